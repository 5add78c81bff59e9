import { hiddenCards, onVacation, streakYesterday } from "../core/controls.js";
import type { Card, Deck } from "../core/deck.js";
import { previousDate } from "../core/delivery-time.js";
import {
  answerKey,
  type Grade as GradeResult,
  Grader,
  gradeAnswer,
  type Matched,
  matchOf,
  parseRating,
  ratingName,
} from "../core/grading.js";
import { DEFAULT_LEECH_THRESHOLD, leechAt, nextLeechReminder } from "../core/leech.js";
import { formatIn, localDate } from "../core/localtime.js";
import {
  type CardState,
  decodeState,
  encodeState,
  type Grade,
  Rating,
  type Scheduler,
  State,
} from "../core/scheduler.js";
import { currentStreak, isoWeek, pointsFor } from "../core/scoring.js";
import {
  nextCardId,
  planSession,
  planSize,
  type SessionLimits,
  type SessionPlan,
} from "../core/session.js";
import { parseTopics, studyCards } from "../core/topics.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { newPromptId, type Prompt, type PromptStore } from "../store/prompts.js";
import type { ProposalStore } from "../store/proposals.js";
import {
  type ApplyResult,
  type ApplyReview,
  type DayCountsRaw,
  dayCounts,
  type ReviewStore,
} from "../store/reviews.js";
import type { Settings, SettingsStore } from "../store/settings.js";
import type { Snapshot, SnapshotStore } from "../store/snapshot.js";
import type { AnswerInfo, Part, Question, RatingWord, Reply } from "./reply.js";
import { reply, text } from "./reply.js";
import type { Actor, Platform } from "./types.js";

export interface QuizDeps {
  deck: Deck;
  scheduler: Scheduler;
  settings: SettingsStore;
  prompts: PromptStore;
  reviews: ReviewStore;
  snapshots: SnapshotStore;
  limits: SessionLimits;
  defaultTz: string;
  teamZone: (tenant: string) => Promise<string>;
  metrics: () => Metrics | undefined;
  log?: Logger | undefined;
  /** "I was right" claims and team-accepted answers. */
  proposals?: ProposalStore | undefined;
  /** Lapses that make a card a leech (core/leech.ts; 0: off). */
  leechThreshold?: number | undefined;
  /**
   * The scheduler for a learner's parameters (own fit, team prior or defaults; see
   * app/parameters.ts). Absent: `scheduler` for everyone.
   */
  schedulerOf?:
    | ((settings: Settings, tenants: readonly string[]) => Promise<Scheduler>)
    | undefined;
}

const RETRIES_ON_CONFLICT = 3;

/**
 * The teams a learner's "I was right" proposals count in: the workspace or server the
 * request came from; for a Discord DM (no server on it), the servers the learner has
 * used pyjs in; terminal learners share one "local" team. A Discord learner who never
 * used pyjs in a server has no team: a claim then only amends their own review.
 */
function teamsOf(actor: Actor, joined: readonly string[]): string[] {
  if (actor.tenant) return [actor.tenant];
  if (joined.length > 0) return [...joined];
  return actor.platform === "console" ? ["local"] : [];
}

/** What a typed answer added to a rating (absent for buttons). */
interface Typed {
  verdict?: "correct" | "typo" | "wrong";
  given?: string;
  /** What the grader matched the typed answer with. */
  match?: Matched | undefined;
  /** Came as a typed line (a DM or the terminal): a repeat is answered, not ignored. */
  fromText?: boolean;
}

/** Said when the question a line answers was answered elsewhere (another terminal, a button). */
export const ANSWERED_ELSEWHERE = "That question was already answered in another session.";
/** Said when `stop` closes the open question. */
export const STOPPED = "Stopped. Type `quiz` to pick up where you left off.";
/** Answered prompts remembered per learner for rating words typed after them. */
const LAST_ANSWERED_MAX = 50_000;

/** One planned review step and what its reply needs. */
interface ReviewPlan {
  input: ApplyReview;
  answer: AnswerInfo;
  before: CardState | undefined;
  after: CardState;
  at: Date;
  amend: boolean;
  states: Map<string, CardState>;
  plan: ReturnType<typeof planSession>;
  counts: { newCards: number; reviews: number };
}
/** Decoded card states kept in memory (~200 bytes each). */
const DECODED_CACHE = 100_000;

/** What a daily delivery should do. */
export type Daily =
  | { outcome: "send"; parts: Part[] }
  | { outcome: "already-sent" | "not-subscribed" | "nothing-due" | "on-vacation" };

/** The streak as it stands today (it lapses after a whole day without a session). */
export function streakToday(settings: Settings, now: Date, tz: string): number {
  const today = localDate(now, tz);
  return currentStreak(
    {
      streak: settings.streak ?? 0,
      best: settings.bestStreak ?? 0,
      lastDay: settings.lastSessionDay,
    },
    today,
    streakYesterday(settings, today),
  );
}

/**
 * The quiz: asking, revealing, grading and rating cards, and the daily delivery's
 * first question. Reads a learner in one round trip (a snapshot) and writes a review,
 * with the next question, in another (one Lua step), so a button press costs two
 * Redis round trips.
 */
export class Quiz {
  /** The deck's grader: its known terms are read once. */
  private readonly grader: Grader;
  private readonly decoded = new Map<string, CardState>();
  /** Learner -> the prompt they last answered here: a rating word typed next amends it. */
  private readonly lastAnswered = new Map<string, string>();

  constructor(private readonly d: QuizDeps) {
    this.grader = new Grader(d.deck);
  }

  tzOf(actor: Actor, settings: Settings): string {
    return settings.tz ?? actor.tz ?? this.d.defaultTz;
  }

  /**
   * Decodes a learner's card states. `cached` (the answer path) reuses states decoded
   * before: between two answers at most one changes. The daily delivery sees each
   * learner once a day, so it skips the cache rather than churn it.
   */
  decode(learner: string, raw: Record<string, string>, cached = true): Map<string, CardState> {
    const out = new Map<string, CardState>();
    for (const [id, s] of Object.entries(raw)) {
      try {
        let st = cached ? this.decoded.get(s) : decodeState(s);
        if (!st) {
          // States are immutable values: cache them by their encoding (most cards of a
          // learner do not change between two answers), frozen so nothing can edit one.
          st = Object.freeze(decodeState(s));
          if (this.decoded.size >= DECODED_CACHE) this.decoded.clear();
          this.decoded.set(s, st);
        }
        out.set(id, st);
      } catch (err) {
        this.d.log?.warn(
          { learner, card: id, err: (err as Error).message },
          "unreadable card state skipped",
        );
      }
    }
    return out;
  }

  /** The open question, when it can still be answered. */
  private open(snap: Snapshot): Prompt | undefined {
    const p = snap.prompt;
    return p && p.id === snap.currentId && p.status !== "answered" && this.d.deck.byId.has(p.card)
      ? p
      : undefined;
  }

  /** The learner's open question, if any (a typed line answers it). */
  async current(learner: string): Promise<Prompt | undefined> {
    return this.open(await this.d.snapshots.read(learner));
  }

  /** `quiz`: re-sends the open question, or asks the next card of today's session. */
  async start(actor: Actor, now: Date): Promise<Reply> {
    const snap = await this.d.snapshots.read(actor.learner);
    const states = this.decode(actor.learner, snap.states);
    const parts = await this.ask(actor, snap.settings, states, now, this.open(snap));
    return { parts: [{ kind: "sent-to-dm" }], dm: parts };
  }

  /**
   * The daily delivery for a learner and their local `date`: a greeting with today's
   * counts and the first question — or why there is nothing to send (already sent that
   * day, not subscribed, nothing due and no new card left). One read, one write.
   */
  async daily(learner: string, platform: Platform, now: Date, date: string): Promise<Daily> {
    const snap = await this.d.snapshots.read(learner, undefined, date);
    const settings = snap.settings;
    if (snap.sent) return { outcome: "already-sent" };
    if (!settings.subscribed || settings.paused) return { outcome: "not-subscribed" };
    const tz = settings.tz ?? this.d.defaultTz;
    const actor: Actor = { learner, platform, tz };
    const states = this.decode(learner, snap.states, false);
    const today = localDate(now, tz);
    if (onVacation(settings, today)) return { outcome: "on-vacation" };
    const plan = planSession(
      this.cardsFor(settings),
      states,
      now,
      this.limitsFor(settings),
      dayCounts(settings, today),
      hiddenCards(settings, today),
    );
    if (planSize(plan) === 0) return { outcome: "nothing-due" };
    const yesterday = previousDate(today);
    const unfinishedYesterday =
      settings.lastDelivery === yesterday && settings.lastSessionDay !== yesterday;
    const reuse = this.open(snap);
    // The delivery date is written with the new prompt (or alone, when one is re-sent).
    if (reuse) await this.d.settings.update(learner, { lastDelivery: today });
    const parts = await this.ask(actor, settings, states, now, reuse, {
      alsoWrite: { lastDelivery: today },
      plan,
    });
    return {
      outcome: "send",
      parts: [
        {
          kind: "greeting",
          greeting: { due: plan.due.length, fresh: plan.fresh.length, unfinishedYesterday },
        },
        ...parts,
      ],
    };
  }

  /**
   * The next question of today's session (opening a prompt), or the summary when done.
   * `plan`: today's plan when the caller already made it (the daily delivery), so it is
   * not worked out twice; `alsoWrite`: settings written with the new prompt.
   */
  private async ask(
    actor: Actor,
    settings: Settings,
    states: Map<string, CardState>,
    now: Date,
    reuse?: Prompt,
    given: { alsoWrite?: Record<string, string>; plan?: SessionPlan } = {},
  ): Promise<Part[]> {
    const tz = this.tzOf(actor, settings);
    const date = localDate(now, tz);
    const day = dayCounts(settings, date);
    const plan =
      given.plan ??
      planSession(
        this.cardsFor(settings),
        states,
        now,
        this.limitsFor(settings),
        day,
        hiddenCards(settings, date),
      );
    const cardId = reuse?.card ?? nextCardId(plan);
    if (!cardId) return [this.summary(day, states, now, streakToday(settings, now, tz))];
    const prompt =
      reuse ?? (await this.d.prompts.open(actor.learner, cardId, now, given.alsoWrite));
    return [
      {
        kind: "question",
        question: this.question(prompt.id, cardId, states.get(cardId), Math.max(1, planSize(plan))),
      },
    ];
  }

  private summary(
    day: DayCountsRaw,
    states: Map<string, CardState>,
    now: Date,
    streak: number,
  ): Part {
    const upcoming = [...states.values()]
      .filter((s) => s.due.getTime() > now.getTime())
      .sort((a, b) => a.due.getTime() - b.due.getTime())[0]?.due;
    return {
      kind: "summary",
      summary: {
        reviewedToday: day.reviews,
        correctToday: day.correct,
        nextDue: upcoming,
        nextIn: upcoming ? formatIn(upcoming, now) : undefined,
        streak,
      },
    };
  }

  private question(
    promptId: string,
    cardId: string,
    st: CardState | undefined,
    remaining: number,
  ): Question {
    const card = this.d.deck.byId.get(cardId);
    return {
      promptId,
      cardId,
      term: card?.term ?? cardId,
      prompt: card?.prompt ?? "",
      isNew: !st || st.state === State.New,
      remaining,
    };
  }

  private answerInfo(cardId: string): AnswerInfo | undefined {
    const card = this.d.deck.byId.get(cardId);
    if (!card) return undefined;
    return { answer: card.answer, accept: card.accept, explain: card.explain, link: card.link };
  }

  /** True when `typed` is a right answer to the prompt's card (so never a command). */
  isAnswerTo(prompt: Prompt, typed: string): boolean {
    const card = this.d.deck.byId.get(prompt.card);
    return card ? gradeAnswer(card, typed).verdict === "correct" : false;
  }

  /** "Show answer": the answer, and what each rating would schedule. */
  async show(actor: Actor, promptId: string, now: Date): Promise<Reply> {
    const snap = await this.d.snapshots.read(actor.learner, promptId);
    const prompt = snap.prompt;
    if (!prompt) return reply({ kind: "expired" });
    if (prompt.status === "answered") return { parts: [] };
    const answer = this.answerInfo(prompt.card);
    if (!answer || !(await this.d.prompts.reveal(actor.learner, prompt.id))) {
      return reply({ kind: "expired" });
    }
    const raw = snap.states[prompt.card];
    const st = raw ? decodeState(raw) : undefined;
    const scheduler = await this.schedulerOf(snap);
    const preview = scheduler.preview(st, now);
    const intervals = {
      Again: formatIn(preview[1], now),
      Hard: formatIn(preview[2], now),
      Good: formatIn(preview[3], now),
      Easy: formatIn(preview[4], now),
    } satisfies Record<RatingWord, string>;
    return {
      parts: [],
      dm: [
        {
          kind: "reveal",
          question: this.question(prompt.id, prompt.card, st, 1),
          answer,
          intervals,
        },
      ],
    };
  }

  /** A typed answer: graded, then applied with the rating the grade maps to. */
  async answer(
    actor: Actor,
    promptId: string,
    typed: string,
    now: Date,
    known?: Snapshot,
  ): Promise<Reply> {
    const snap = known ?? (await this.d.snapshots.read(actor.learner, promptId));
    const prompt = snap.prompt;
    if (!prompt) return reply({ kind: "expired" });
    if (prompt.status === "answered") return { parts: [] };
    const card = this.d.deck.byId.get(prompt.card);
    if (!card) return reply({ kind: "expired" });
    const grade = await this.teamGrade(actor, card, typed, snap.tenants);
    if (grade.verdict === "empty" || grade.rating === undefined) {
      return reply({
        kind: "usage",
        message: "Type your answer, or `show` to see it and rate yourself.",
      });
    }
    const out = await this.apply(actor, snap, grade.rating, now, {
      verdict: grade.verdict,
      given: grade.given,
      match: grade.match,
      fromText: true,
    });
    if (grade.verdict !== "correct" && this.d.proposals && grade.given)
      await this.d.proposals.rememberTyped(actor.learner, prompt.id, grade.given);
    return out;
  }

  /** The grader's verdict, with the answers this learner's team has accepted. */
  private async teamGrade(
    actor: Actor,
    card: Card,
    typed: string,
    joined: readonly string[],
  ): Promise<GradeResult> {
    const grade = this.grader.grade(card, typed);
    const proposals = this.d.proposals;
    if (grade.verdict === "correct" || grade.verdict === "empty" || !proposals) return grade;
    const key = answerKey(typed);
    const sets = await Promise.all(
      teamsOf(actor, joined).map((team) => proposals.acceptedKeys(team, card.id)),
    );
    return sets.some((accepted) => accepted.has(key))
      ? {
          ...grade,
          verdict: "correct",
          rating: Rating.Good,
          match: { ...matchOf(grade.given, grade.given), byTeam: true },
        }
      : grade;
  }

  /**
   * "I was right": the learner's typed answer, graded Again or Hard, counts as Good (the
   * amend path, once), and is proposed as an accepted answer for their team — accepted
   * for everyone once two learners (or one admin) have proposed it.
   */
  async claimRight(actor: Actor, promptId: string | undefined, now: Date): Promise<Reply> {
    const proposals = this.d.proposals;
    const id = promptId ?? (await proposals?.claimable(actor.learner));
    if (!proposals || !id) return text("There is no typed answer to claim right now.");
    const [snap, given] = await Promise.all([
      this.d.snapshots.read(actor.learner, id),
      proposals.typedFor(actor.learner, id),
    ]);
    const prompt = snap.prompt;
    if (prompt?.status !== "answered" || !given) return reply({ kind: "expired" });
    const already = text("That answer already counts as right.");
    if ((prompt.rating ?? 0) >= Rating.Good) return already;
    // Two presses at once both see Again: only the one that takes the claim amends.
    if (!(await proposals.takeClaim(actor.learner, id))) return already;
    const out = await this.apply(actor, snap, Rating.Good, now, {
      verdict: "correct",
      given,
    }).catch(async (err: unknown) => {
      await proposals.releaseClaim(actor.learner, id);
      throw err;
    });
    const note = await this.propose(actor, prompt.card, given, snap.tenants);
    return { ...out, dm: [...(out.dm ?? []), { kind: "text", text: note }] };
  }

  /** Records a claimed answer as the learner's teams' proposal; says what became of it. */
  private async propose(
    actor: Actor,
    card: string,
    given: string,
    joined: readonly string[],
  ): Promise<string> {
    const proposals = this.d.proposals;
    const teams = teamsOf(actor, joined);
    if (!proposals || teams.length === 0) return "Counted as right.";
    const key = answerKey(given);
    const accepted = await Promise.all(
      teams.map((tenant) =>
        proposals.propose(
          { tenant, card, key, text: given, learner: actor.learner },
          actor.isAdmin === true,
        ),
      ),
    );
    return accepted.some(Boolean)
      ? `Counted as right. "${given}" is now accepted for this card for everyone here.`
      : `Counted as right. "${given}" is proposed as an answer for this card; once a teammate has it accepted too, it counts for everyone here.`;
  }

  /** A rating button (or `good` typed after Show answer). */
  async rate(
    actor: Actor,
    promptId: string,
    rating: Grade,
    now: Date,
    known?: Snapshot,
    fromText = false,
  ): Promise<Reply> {
    const snap = known ?? (await this.d.snapshots.read(actor.learner, promptId));
    if (!snap.prompt) return reply({ kind: "expired" });
    return this.apply(actor, snap, rating, now, fromText ? { fromText } : {});
  }

  /**
   * A rating word typed after an answer (README: "the words amend the previous rating"):
   * changes the rating of the learner's last answer; never graded as an answer.
   */
  async amendLast(actor: Actor, rating: Grade, now: Date): Promise<Reply> {
    const last = this.lastAnswered.get(actor.learner);
    if (!last) {
      return text(
        "There is no answer to rate yet: type your answer, or `show` to see it and rate yourself.",
      );
    }
    return this.rate(actor, last, rating, now, undefined, true);
  }

  /** A line typed while a question is open: `show`, a rating word after reveal, or the answer. */
  async typed(actor: Actor, snap: Snapshot, line: string, now: Date): Promise<Reply> {
    const prompt = snap.prompt;
    if (!prompt) return reply({ kind: "expired" });
    const word = line.toLowerCase();
    if (word === "show" || word === "?") return this.show(actor, prompt.id, now);
    const rating = parseRating(line);
    if (prompt.status === "revealed" && rating)
      return this.rate(actor, prompt.id, rating, now, snap, true);
    // Right after an answer the next card is open: the word amends that answer.
    if (rating && !this.isAnswerTo(prompt, line)) return this.amendLast(actor, rating, now);
    if (word === "skip" || word === "stop") {
      await this.d.prompts.clearCurrent(actor.learner, prompt.id);
      return text(STOPPED);
    }
    return this.answer(actor, prompt.id, line, now, snap);
  }

  private rememberAnswered(learner: string, promptId: string): void {
    if (this.lastAnswered.size >= LAST_ANSWERED_MAX) this.lastAnswered.clear();
    this.lastAnswered.set(learner, promptId);
  }

  /** The cards this learner studies (their topics, essentials first). */
  private cardsFor(settings: Settings): readonly Card[] {
    return studyCards(this.d.deck, parseTopics(settings.topics));
  }

  /** The daily limits, with the learner's own new-cards-per-day when they set one. */
  private limitsFor(settings: Settings): SessionLimits {
    const n = settings.newPerDay;
    return n && Number.isFinite(n) ? { ...this.d.limits, newPerDay: n } : this.d.limits;
  }

  /**
   * Applies a rating: the first one for this prompt records the review and opens the
   * next card in the same step; a later different one amends it (Anki-style override
   * of a typed answer's grade) and asks nothing new; a repeat does nothing (no second
   * follow-up). A conflicting concurrent change of the card is retried on a fresh read.
   */
  private async apply(
    actor: Actor,
    first: Snapshot,
    rating: Grade,
    now: Date,
    typed: Typed,
  ): Promise<Reply> {
    let snap = first;
    for (let attempt = 0; attempt < RETRIES_ON_CONFLICT; attempt++) {
      const step = await this.planReview(actor, snap, rating, now);
      if (!step) return reply({ kind: "expired" });
      if (typed.given) step.input.given = typed.given;
      const res = await this.d.reviews.apply(step.input);
      switch (res.status) {
        case "ok":
          return this.reviewed(step, res, rating, now, typed);
        case "conflict":
          this.d.log?.debug(
            { learner: actor.learner, card: step.input.card },
            "card changed meanwhile; retrying",
          );
          snap = await this.d.snapshots.read(actor.learner, step.input.promptId);
          continue;
        case "duplicate":
          // A button's double click stays silent; a typed line always gets an answer.
          if (!typed.fromText) return { parts: [] };
          return step.amend
            ? text(`Already rated ${ratingName(rating)}.`)
            : text(`${ANSWERED_ELSEWHERE} Type \`quiz\` for the current one.`);
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

  /** The learner's scheduler: their parameters, read with the snapshot's settings. */
  private schedulerOf(snap: Snapshot): Promise<Scheduler> {
    return this.d.schedulerOf?.(snap.settings, snap.tenants) ?? Promise.resolve(this.d.scheduler);
  }

  /** Everything one review step writes, computed from a snapshot (no I/O but team zones). */
  private async planReview(
    actor: Actor,
    snap: Snapshot,
    rating: Grade,
    now: Date,
  ): Promise<ReviewPlan | undefined> {
    const prompt = snap.prompt;
    const answer = prompt ? this.answerInfo(prompt.card) : undefined;
    if (!prompt || !answer) return undefined;
    const amend = prompt.status === "answered";
    const at = amend && prompt.reviewedAt ? new Date(prompt.reviewedAt) : now;
    const today = localDate(at, this.tzOf(actor, snap.settings));
    const day = dayCounts(snap.settings, today);
    const states = this.decode(actor.learner, snap.states);
    const raw = amend ? (prompt.before ?? "") : (snap.states[prompt.card] ?? "");
    const before = raw ? decodeState(raw) : undefined;
    const outcome = (await this.schedulerOf(snap)).review(before, rating, at);
    const isNew = !before || before.state === State.New;
    const reviewsBefore = amend ? day.reviews - 1 : day.reviews;
    const points = pointsFor(rating, {
      due: isNew || (before?.due.getTime() ?? 0) <= at.getTime(),
      withinDailyLimit: reviewsBefore < this.d.limits.maxReviewsPerDay,
    });
    // What comes next, with this answer applied: it finishes the day when nothing is left.
    states.set(prompt.card, outcome.after);
    const counts = {
      newCards: day.newCards + (isNew && !amend ? 1 : 0),
      reviews: reviewsBefore + 1,
    };
    const limits = this.limitsFor(snap.settings);
    const hidden = hiddenCards(snap.settings, localDate(now, this.tzOf(actor, snap.settings)));
    const plan = planSession(this.cardsFor(snap.settings), states, now, limits, counts, hidden);
    const nextCard = amend ? undefined : nextCardId(plan);
    const next = nextCard ? { promptId: newPromptId(), card: nextCard } : undefined;
    const boards = await Promise.all(
      snap.tenants.map(async (tenant) => ({
        tenant,
        week: isoWeek(at, await this.d.teamZone(tenant)),
      })),
    );
    const input: ApplyReview = {
      mode: amend ? "amend" : "answer",
      learner: actor.learner,
      promptId: prompt.id,
      card: prompt.card,
      expected: raw,
      newState: encodeState(outcome.after),
      rating,
      reviewedAt: at,
      elapsedDays: outcome.elapsedDays,
      isNew,
      localDate: today,
      yesterday: streakYesterday(snap.settings, today),
      points,
      finishDay: !amend && !nextCard,
      boards,
      next,
      leech: leechAt(before?.lapses ?? 0, outcome.after.lapses, this.leechThreshold),
    };
    return { input, answer, before, after: outcome.after, at, amend, states, plan, counts };
  }

  /** The reply to a recorded review: the result, then the next question or the day's summary. */
  private reviewed(
    step: ReviewPlan,
    res: ApplyResult,
    rating: Grade,
    now: Date,
    typed: Typed,
  ): Reply {
    const { input, before, after, at, amend, states, plan } = step;
    const result: Part = {
      kind: "result",
      result: {
        promptId: input.promptId,
        question: this.question(input.promptId, input.card, before, 1),
        answer: step.answer,
        verdict: typed.verdict,
        given: typed.given,
        match: typed.match,
        rating: ratingName(rating),
        nextDue: after.due,
        nextIn: formatIn(after.due, at),
        amendable: true,
        amended: amend,
        claimable:
          !amend &&
          Boolean(this.d.proposals) &&
          (typed.verdict === "wrong" || typed.verdict === "typo"),
      },
    };
    const leech = res.leech ? [this.leechPart(step, res.leech)] : [];
    if (amend) return { parts: [], dm: [result, ...leech] };
    this.rememberAnswered(input.learner, input.promptId);
    this.d.metrics()?.reviews.inc({ rating: ratingName(rating) });
    const next = input.next;
    const following: Part = next
      ? {
          kind: "question",
          question: this.question(
            next.promptId,
            next.card,
            states.get(next.card),
            Math.max(1, planSize(plan)),
          ),
        }
      : this.summary(res.day ?? { ...step.counts, correct: 0 }, states, now, res.streak ?? 0);
    return { parts: [], dm: [result, ...leech, following] };
  }

  private get leechThreshold(): number {
    return this.d.leechThreshold ?? DEFAULT_LEECH_THRESHOLD;
  }

  /** Told once per threshold (the review script keeps which): the card, and what to do. */
  private leechPart(step: ReviewPlan, lapses: number): Part {
    const { input } = step;
    const card = this.d.deck.byId.get(input.card);
    return {
      kind: "leech",
      leech: {
        promptId: input.promptId,
        cardId: input.card,
        term: card?.term ?? input.card,
        prompt: card?.prompt ?? "",
        lapses,
        nextReminder: nextLeechReminder(lapses, this.leechThreshold),
        answer: step.answer,
      },
    };
  }
}
