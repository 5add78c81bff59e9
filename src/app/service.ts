import type { Deck } from "../core/deck.js";
import { nextDelivery, previousDate } from "../core/delivery-time.js";
import { gradeAnswer, knownAnswers, parseRating, ratingName } from "../core/grading.js";
import { type Command, parseCommand, USAGE } from "../core/grammar.js";
import { formatIn, formatLocal, localDate } from "../core/localtime.js";
import { buildGlossary, type Glossary, lookup } from "../core/lookup.js";
import {
  type CardState,
  decodeState,
  encodeState,
  type Grade,
  type Scheduler,
  State,
} from "../core/scheduler.js";
import { currentStreak, isoWeek, pointsFor } from "../core/scoring.js";
import {
  DEFAULT_LIMITS,
  nextCardId,
  planSession,
  planSize,
  type SessionLimits,
} from "../core/session.js";
import { computeStats } from "../core/stats.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { Dedupe } from "../store/dedupe.js";
import type { Prompt, PromptStore } from "../store/prompts.js";
import type { ReviewStore } from "../store/reviews.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { Settings, SettingsStore } from "../store/settings.js";
import type { TeamStore } from "../store/teams.js";
import { Leaderboards, type WeeklyScheduler } from "./leaderboard.js";
import type { AnswerInfo, Part, Question, RatingWord, Reply } from "./reply.js";
import { reply, text } from "./reply.js";

export type Platform = "slack" | "discord" | "console";

/** Who is asking, as the adapter knows them. */
export interface Actor {
  /** Learner id: `slack:{team}:{user}`, `discord:{user}`, `console:{name}`. */
  learner: string;
  platform: Platform;
  /** Slack workspace or Discord server, when the request came from one. */
  tenant?: string | undefined;
  /** Time zone the platform knows for this person (Slack's users.info), if any. */
  tz?: string | undefined;
  /** May pick the leaderboard channel (Slack admin/owner, Discord Manage Server). */
  isAdmin?: boolean | undefined;
  /** Channel the request came from. */
  channel?: string | undefined;
  /** Display name, for leaderboards (never a mention). */
  name?: string | undefined;
}

export type Action =
  | { type: "show"; promptId: string }
  | { type: "rate"; promptId: string; rating: Grade }
  | { type: "answer"; promptId: string; text: string }
  | { type: "command"; text: string }
  | { type: "forget-confirm" };

export interface AppDeps {
  deck: Deck;
  scheduler: Scheduler;
  settings: SettingsStore;
  prompts: PromptStore;
  reviews: ReviewStore;
  /** The daily delivery schedule (absent: subscriptions are stored but nothing is scheduled). */
  schedule?: ScheduleStore;
  /** Teams and their boards (absent: no leaderboard). */
  teams?: TeamStore;
  /** Schedules weekly leaderboard posts. */
  weekly?: WeeklyScheduler;
  /** False while Redis is unreachable: progress features answer politely instead of hanging. */
  storageUp?: () => boolean;
  /** Erases a learner (`forget me`): store keys, board entries and queued jobs. */
  erase?: (learner: string) => Promise<string[]>;
  /** Drops redelivered platform messages (Slack retries, gateway replays). */
  dedupe?: Dedupe;
  limits?: SessionLimits;
  log?: Logger;
  /** Zone for learners who never said theirs. */
  defaultTz?: string;
}

const RETRIES_ON_CONFLICT = 3;

export class App {
  readonly glossary: Glossary;
  private readonly limits: SessionLimits;
  private readonly defaultTz: string;
  private readonly known = new Map<string, Set<string>>();

  private readonly boards?: Leaderboards;
  /** Prometheus counters, set by the process that serves /metrics. */
  metrics?: Metrics;

  constructor(private readonly deps: AppDeps) {
    this.glossary = buildGlossary(deps.deck);
    if (deps.teams) {
      this.boards = new Leaderboards(
        deps.teams,
        deps.settings,
        (t) => this.teamZone(t),
        deps.weekly,
      );
    }
    this.limits = deps.limits ?? DEFAULT_LIMITS;
    this.defaultTz = deps.defaultTz ?? "UTC";
  }

  get deck(): Deck {
    return this.deps.deck;
  }

  /** `/pyjs …` text from any platform. */
  async handleCommand(actor: Actor, input: string, now = new Date()): Promise<Reply> {
    const cmd = parseCommand(input);
    // Lookups and help come from the in-memory deck: they work while Redis is down.
    const offline = cmd.kind === "lookup" || cmd.kind === "help" || cmd.kind === "usage";
    if (!this.storageUp()) return offline ? this.run(actor, cmd, now) : this.unavailable();
    if (actor.tenant) {
      const joined = this.deps.teams?.join(actor.learner, actor.tenant, actor.name);
      // A lookup does not wait for the bookkeeping.
      if (offline)
        joined?.catch((err: unknown) => this.deps.log?.warn({ err }, "team join failed"));
      else await joined;
    }
    const [out, notice] = await Promise.all([
      this.run(actor, cmd, now),
      cmd.kind === "lookup" ? undefined : this.boards?.pendingNotice(actor),
    ]);
    return notice ? { ...out, parts: [notice, ...out.parts] } : out;
  }

  /** A typed message in a DM (or a terminal line): answers the open question, else a command. */
  async handleMessage(
    actor: Actor,
    input: string,
    now = new Date(),
    opts: { messageId?: string } = {},
  ): Promise<Reply> {
    if (!this.storageUp()) return this.handleCommand(actor, input, now);
    if (
      opts.messageId &&
      this.deps.dedupe &&
      !(await this.deps.dedupe.first(`${actor.platform}:${opts.messageId}`))
    ) {
      return { parts: [] };
    }
    const trimmed = input.trim();
    if (/^\/?pyjs\b/i.test(trimmed)) return this.handleCommand(actor, trimmed, now);
    const current = await this.deps.prompts.current(actor.learner);
    if (current && current.status !== "answered") {
      const word = trimmed.toLowerCase();
      if (word === "show" || word === "?") return this.show(actor, current, now);
      const rating = parseRating(trimmed);
      if (current.status === "revealed" && rating) return this.rate(actor, current, rating, now);
      const cmd = parseCommand(trimmed);
      if (cmd.kind !== "lookup" && !this.isAnswerTo(current, trimmed)) {
        return this.run(actor, cmd, now);
      }
      if (word === "skip" || word === "stop") {
        await this.deps.prompts.clearCurrent(actor.learner, current.id);
        return text("Stopped. Type `quiz` to pick up where you left off.");
      }
      return this.answer(actor, current, trimmed, now);
    }
    return this.handleCommand(actor, trimmed, now);
  }

  /** True when `typed` is a right answer to the prompt's card (so never a command). */
  private isAnswerTo(prompt: Prompt, typed: string): boolean {
    const card = this.deps.deck.byId.get(prompt.card);
    return card ? gradeAnswer(card, typed).verdict === "correct" : false;
  }

  /** A button press or modal submission. */
  async handleAction(actor: Actor, action: Action, now = new Date()): Promise<Reply> {
    if (action.type === "command") return this.handleCommand(actor, action.text, now);
    if (!this.storageUp()) return this.unavailable();
    if (action.type === "forget-confirm") return this.forget(actor);
    const prompt = await this.deps.prompts.get(actor.learner, action.promptId);
    if (!prompt) return reply({ kind: "expired" });
    switch (action.type) {
      case "show":
        return this.show(actor, prompt, now);
      case "rate":
        return this.rate(actor, prompt, action.rating, now);
      case "answer":
        return this.answer(actor, prompt, action.text, now);
    }
  }

  private storageUp(): boolean {
    return this.deps.storageUp?.() ?? true;
  }

  private unavailable(): Reply {
    return text(
      "Sorry, quizzes, stats and leaderboards are unavailable for a moment (pyjs cannot reach its storage). Lookups still work; try again shortly.",
    );
  }

  /** A team's weekly post for a finished ISO week, or undefined without boards. */
  async weeklyBoard(tenant: string, week: string, now: Date): Promise<Part[] | undefined> {
    if (!this.boards) return undefined;
    return [{ kind: "leaderboard", board: await this.boards.weeklyBoard(tenant, week, now) }];
  }

  /** `forget me`, confirmed: erases every key and board entry of the learner. */
  private async forget(actor: Actor): Promise<Reply> {
    const erased = await this.deps.erase?.(actor.learner);
    if (!erased) return text("Erasing is not available here.");
    this.deps.log?.info({ learner: actor.learner }, "learner erased at their request");
    return reply({
      kind: "forgotten",
      erased: erased.length ? erased : ["nothing (pyjs had no data about you)"],
    });
  }

  /** Forgets which question is open (a terminal session starts fresh). */
  async resetConversation(actor: Actor): Promise<void> {
    const current = await this.deps.prompts.current(actor.learner);
    if (current) await this.deps.prompts.clearCurrent(actor.learner, current.id);
  }

  /** Remembers where the platform shows a prompt (e.g. Slack channel:ts) to update it later. */
  async rememberPromptRef(actor: Actor, promptId: string, ref: string): Promise<void> {
    await this.deps.prompts.setRef(actor.learner, promptId, ref);
  }

  async promptRef(actor: Actor, promptId: string): Promise<string | undefined> {
    return (await this.deps.prompts.get(actor.learner, promptId))?.ref;
  }

  private async run(actor: Actor, cmd: Command, now: Date): Promise<Reply> {
    switch (cmd.kind) {
      case "help":
        return reply({ kind: "help", lines: USAGE });
      case "usage":
        return reply({ kind: "usage", message: cmd.message });
      case "lookup": {
        const found = lookup(this.glossary, cmd.term);
        this.metrics?.lookups.inc({ found: String(found.found) });
        return found.found
          ? reply({ kind: "lookup", entries: found.entries })
          : reply({ kind: "unknown", query: found.query, suggestions: found.suggestions });
      }
      case "quiz":
        return this.quiz(actor, now);
      case "stats":
        return this.stats(actor, now);
      case "subscribe":
        return this.subscribe(actor, now, cmd.time, cmd.tz);
      case "unsubscribe":
        await this.deps.settings.update(actor.learner, { subscribed: false });
        await this.deps.schedule?.remove(actor.learner);
        return text("Daily quiz stopped. Your progress is kept; `subscribe` starts it again.");
      case "pause":
        await this.deps.settings.update(actor.learner, { paused: true });
        await this.deps.schedule?.remove(actor.learner);
        return text("Daily quiz paused. `resume` picks it up again.");
      case "resume":
        return this.resume(actor, now);
      case "leaderboard":
        return this.boards
          ? this.boards.show(actor, now)
          : text("Leaderboards are not set up here.");
      case "leaderboard-here":
        return this.boards
          ? this.boards.here(actor, await this.deps.settings.get(actor.learner))
          : text("Leaderboards are not set up here.");
      case "leaderboard-opt":
        return this.boards
          ? this.boards.optIn(actor, cmd.optIn)
          : text("Leaderboards are not set up here.");
      case "forget-me":
        return reply({ kind: "confirm-forget" });
    }
  }

  private readonly zones = new Map<string, { tz: string; until: number }>();

  /** A team's zone (for its ISO weeks), cached for a minute: teams rarely move. */
  async teamZone(tenant: string): Promise<string> {
    const hit = this.zones.get(tenant);
    if (hit && hit.until > Date.now()) return hit.tz;
    const tz = (await this.deps.teams?.get(tenant))?.tz ?? this.defaultTz;
    this.zones.set(tenant, { tz, until: Date.now() + 60_000 });
    return tz;
  }

  /** The streak as it stands today (it lapses after a whole day without a session). */
  private streakOf(settings: Settings, now: Date, tz: string): number {
    const today = localDate(now, tz);
    return currentStreak(
      {
        streak: settings.streak ?? 0,
        best: settings.bestStreak ?? 0,
        lastDay: settings.lastSessionDay,
      },
      today,
      previousDate(today),
    );
  }

  private async tzOf(actor: Actor, settings?: Settings): Promise<string> {
    const s = settings ?? (await this.deps.settings.get(actor.learner));
    return s.tz ?? actor.tz ?? this.defaultTz;
  }

  private async subscribe(actor: Actor, now: Date, time?: string, tz?: string): Promise<Reply> {
    const settings = await this.deps.settings.get(actor.learner);
    const zone = tz ?? actor.tz ?? settings.tz ?? this.defaultTz;
    const at = time ?? settings.time ?? "09:00";
    await this.deps.settings.update(actor.learner, {
      subscribed: true,
      paused: false,
      pausedReason: "",
      time: at,
      tz: zone,
    });
    const next = nextDelivery(now, at, zone);
    await this.deps.schedule?.set(actor.learner, next);
    return text(
      `Subscribed: a daily quiz at ${at} (${zone}), next on ${formatLocal(next, zone)}. \`unsubscribe\` stops it.`,
    );
  }

  private async resume(actor: Actor, now: Date): Promise<Reply> {
    const s = await this.deps.settings.get(actor.learner);
    if (!s.subscribed) {
      return text("You are not subscribed. `subscribe [HH:MM] [time zone]` starts a daily quiz.");
    }
    await this.deps.settings.update(actor.learner, { paused: false, pausedReason: "" });
    const zone = s.tz ?? this.defaultTz;
    const next = nextDelivery(now, s.time ?? "09:00", zone);
    await this.deps.schedule?.set(actor.learner, next);
    return text(`Daily quiz resumed, next on ${formatLocal(next, zone)}.`);
  }

  /**
   * The daily delivery for a learner: a greeting with today's counts and the first
   * question, or nothing when no review is due and no new card is left.
   */
  async daily(learner: string, platform: Platform, now: Date): Promise<Part[] | undefined> {
    const settings = await this.deps.settings.get(learner);
    const tz = settings.tz ?? this.defaultTz;
    const actor: Actor = { learner, platform, tz };
    const states = await this.loadStates(learner);
    const today = localDate(now, tz);
    const day = await this.deps.reviews.day(learner, today);
    const plan = planSession(this.deps.deck.cards, states, now, this.limits, day);
    if (planSize(plan) === 0) return undefined;
    const yesterday = previousDate(today);
    const unfinishedYesterday =
      settings.lastDelivery === yesterday && settings.lastSessionDay !== yesterday;
    await this.deps.settings.update(learner, { lastDelivery: today });
    const current = await this.deps.prompts.current(learner);
    const reuse =
      current && current.status !== "answered" && this.deps.deck.byId.has(current.card)
        ? current
        : undefined;
    const parts = await this.nextParts(actor, now, states, reuse);
    return [
      {
        kind: "greeting",
        greeting: { due: plan.due.length, fresh: plan.fresh.length, unfinishedYesterday },
      },
      ...parts,
    ];
  }

  private async loadStates(
    learner: string,
    known?: Record<string, string>,
  ): Promise<Map<string, CardState>> {
    const raw = known ?? (await this.deps.reviews.states(learner));
    const out = new Map<string, CardState>();
    for (const [id, s] of Object.entries(raw)) {
      try {
        out.set(id, decodeState(s));
      } catch (err) {
        this.deps.log?.warn(
          { learner, card: id, err: (err as Error).message },
          "unreadable card state skipped",
        );
      }
    }
    return out;
  }

  /** `quiz`: re-sends the open question, or asks the next card of today's session. */
  async quiz(actor: Actor, now: Date): Promise<Reply> {
    const current = await this.deps.prompts.current(actor.learner);
    if (current && current.status !== "answered" && this.deps.deck.byId.has(current.card)) {
      const states = await this.loadStates(actor.learner);
      const parts = await this.nextParts(actor, now, states, current);
      return { parts: [{ kind: "sent-to-dm" }], dm: parts };
    }
    const parts = await this.nextParts(actor, now);
    return { parts: [{ kind: "sent-to-dm" }], dm: parts };
  }

  /** The next question of today's session, or the summary when it is done. */
  private async nextParts(
    actor: Actor,
    now: Date,
    known?: Map<string, CardState>,
    reuse?: Prompt,
  ): Promise<Part[]> {
    const settings = await this.deps.settings.get(actor.learner);
    const tz = await this.tzOf(actor, settings);
    const states = known ?? (await this.loadStates(actor.learner));
    const day = await this.deps.reviews.day(actor.learner, localDate(now, tz));
    const plan = planSession(this.deps.deck.cards, states, now, this.limits, day);
    const cardId = reuse?.card ?? nextCardId(plan);
    if (!cardId) {
      if (reuse) await this.deps.prompts.clearCurrent(actor.learner, reuse.id);
      const upcoming = [...states.values()]
        .filter((s) => s.due.getTime() > now.getTime())
        .sort((a, b) => a.due.getTime() - b.due.getTime())[0]?.due;
      return [
        {
          kind: "summary",
          summary: {
            reviewedToday: day.reviews,
            correctToday: day.correct,
            nextDue: upcoming,
            nextIn: upcoming ? formatIn(upcoming, now) : undefined,
            streak: this.streakOf(settings, now, tz),
          },
        },
      ];
    }
    const prompt = reuse ?? (await this.deps.prompts.open(actor.learner, cardId, now));
    const st = states.get(cardId);
    return [{ kind: "question", question: this.question(prompt, st, Math.max(1, planSize(plan))) }];
  }

  private question(prompt: Prompt, st: CardState | undefined, remaining: number): Question {
    const card = this.deps.deck.byId.get(prompt.card);
    return {
      promptId: prompt.id,
      cardId: prompt.card,
      term: card?.term ?? prompt.card,
      prompt: card?.prompt ?? "",
      isNew: !st || st.state === State.New,
      remaining,
    };
  }

  private answerInfo(cardId: string): AnswerInfo | undefined {
    const card = this.deps.deck.byId.get(cardId);
    if (!card) return undefined;
    return { answer: card.answer, accept: card.accept, explain: card.explain, link: card.link };
  }

  private async show(actor: Actor, prompt: Prompt, now: Date): Promise<Reply> {
    if (prompt.status === "answered") return { parts: [] };
    const answer = this.answerInfo(prompt.card);
    if (!answer || !(await this.deps.prompts.reveal(actor.learner, prompt.id))) {
      return reply({ kind: "expired" });
    }
    const states = await this.loadStates(actor.learner);
    const st = states.get(prompt.card);
    const preview = this.deps.scheduler.preview(st, now);
    const intervals = {
      Again: formatIn(preview[1], now),
      Hard: formatIn(preview[2], now),
      Good: formatIn(preview[3], now),
      Easy: formatIn(preview[4], now),
    } satisfies Record<RatingWord, string>;
    return {
      parts: [],
      dm: [{ kind: "reveal", question: this.question(prompt, st, 1), answer, intervals }],
    };
  }

  private async answer(actor: Actor, prompt: Prompt, typed: string, now: Date): Promise<Reply> {
    if (prompt.status === "answered") return { parts: [] };
    const card = this.deps.deck.byId.get(prompt.card);
    if (!card) return reply({ kind: "expired" });
    let others = this.known.get(card.id);
    if (!others) {
      others = knownAnswers(this.deps.deck.cards, card);
      this.known.set(card.id, others);
    }
    const grade = gradeAnswer(card, typed, others);
    if (grade.verdict === "empty" || grade.rating === undefined) {
      return reply({
        kind: "usage",
        message: "Type your answer, or `show` to see it and rate yourself.",
      });
    }
    return this.apply(actor, prompt, grade.rating, now, {
      verdict: grade.verdict,
      given: grade.given,
    });
  }

  private async rate(actor: Actor, prompt: Prompt, rating: Grade, now: Date): Promise<Reply> {
    return this.apply(actor, prompt, rating, now, {});
  }

  /**
   * Applies a rating: the first one for this prompt records the review and asks the
   * next card; a later different one amends it (Anki-style override of a typed
   * answer's grade) and asks nothing new; a repeat does nothing (no second follow-up).
   */
  private async apply(
    actor: Actor,
    prompt: Prompt,
    rating: Grade,
    now: Date,
    typed: { verdict?: "correct" | "typo" | "wrong"; given?: string },
  ): Promise<Reply> {
    const answer = this.answerInfo(prompt.card);
    if (!answer) return reply({ kind: "expired" });
    const tz = await this.tzOf(actor);
    const amend = prompt.status === "answered";
    const at = amend && prompt.reviewedAt ? new Date(prompt.reviewedAt) : now;
    const today = localDate(at, tz);
    const [tenants, day] = await Promise.all([
      this.deps.teams?.tenantsOf(actor.learner) ?? [],
      this.deps.reviews.day(actor.learner, today),
    ]);
    const boards = await Promise.all(
      tenants.map(async (tenant) => ({ tenant, week: isoWeek(at, await this.teamZone(tenant)) })),
    );
    for (let attempt = 0; attempt < RETRIES_ON_CONFLICT; attempt++) {
      const rawStates = await this.deps.reviews.states(actor.learner);
      const states = await this.loadStates(actor.learner, rawStates);
      const raw = amend ? (prompt.before ?? "") : (rawStates[prompt.card] ?? "");
      const before = raw ? decodeState(raw) : undefined;
      const outcome = this.deps.scheduler.review(before, rating, at);
      const newState = encodeState(outcome.after);
      const isNew = !before || before.state === State.New;
      const reviewsBefore = amend ? day.reviews - 1 : day.reviews;
      const points = pointsFor(rating, {
        due: isNew || (before?.due.getTime() ?? 0) <= at.getTime(),
        withinDailyLimit: reviewsBefore < this.limits.maxReviewsPerDay,
      });
      // Does this answer finish today's session? (Nothing left due after it.)
      const after = new Map(states).set(prompt.card, outcome.after);
      const counts = {
        newCards: day.newCards + (isNew && !amend ? 1 : 0),
        reviews: reviewsBefore + 1,
      };
      const finishDay =
        !amend && planSize(planSession(this.deps.deck.cards, after, at, this.limits, counts)) === 0;
      const res = await this.deps.reviews.apply({
        mode: amend ? "amend" : "answer",
        learner: actor.learner,
        promptId: prompt.id,
        card: prompt.card,
        expected: raw,
        newState,
        rating,
        reviewedAt: at,
        elapsedDays: outcome.elapsedDays,
        isNew,
        localDate: today,
        yesterday: previousDate(today),
        points,
        finishDay,
        boards,
      });
      switch (res.status) {
        case "ok": {
          states.set(prompt.card, outcome.after);
          const question = this.question(prompt, before, 1);
          const result: Part = {
            kind: "result",
            result: {
              promptId: prompt.id,
              question,
              answer,
              verdict: typed.verdict,
              given: typed.given,
              rating: ratingName(rating),
              nextDue: outcome.after.due,
              nextIn: formatIn(outcome.after.due, at),
              amendable: true,
              amended: amend,
            },
          };
          if (amend) return { parts: [], dm: [result] };
          this.metrics?.reviews.inc({ rating: ratingName(rating) });
          await this.deps.prompts.clearCurrent(actor.learner, prompt.id);
          const next = await this.nextParts(actor, now, states);
          return { parts: [], dm: [result, ...next] };
        }
        case "conflict":
          this.deps.log?.debug(
            { learner: actor.learner, card: prompt.card },
            "card changed meanwhile; retrying",
          );
          continue;
        case "duplicate":
          return { parts: [] };
        case "moved-on":
          return text(
            "That card has been reviewed again since, so its rating can no longer be changed.",
          );
        default:
          return reply({ kind: "expired" });
      }
    }
    return text("That card was being answered somewhere else at the same moment. Try again.");
  }

  async stats(actor: Actor, now: Date): Promise<Reply> {
    const settings = await this.deps.settings.get(actor.learner);
    const tz = await this.tzOf(actor, settings);
    const [states, log] = await Promise.all([
      this.loadStates(actor.learner),
      this.deps.reviews.log(actor.learner),
    ]);
    const stats = computeStats({
      cards: this.deps.deck.cards,
      states,
      log,
      now,
      tz,
      streak: this.streakOf(settings, now, tz),
      bestStreak: settings.bestStreak,
    });
    const subscription = settings.subscribed
      ? `daily at ${settings.time ?? "09:00"} (${tz})${settings.paused ? ", paused" : ""}`
      : undefined;
    return reply({ kind: "stats", stats, tz, subscription });
  }
}
