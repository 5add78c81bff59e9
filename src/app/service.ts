import type { Deck } from "../core/deck.js";
import { parseRating } from "../core/grading.js";
import { type Command, parseCommand, TERMINAL_USAGE, USAGE } from "../core/grammar.js";
import { DEFAULT_LEECH_THRESHOLD } from "../core/leech.js";
import { buildGlossary, type Glossary, lookup } from "../core/lookup.js";
import type { Scheduler } from "../core/scheduler.js";
import { DEFAULT_LIMITS, type SessionLimits } from "../core/session.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { ControlsStore } from "../store/controls.js";
import type { Dedupe } from "../store/dedupe.js";
import type { Prompt, PromptStore } from "../store/prompts.js";
import type { ProposalStore } from "../store/proposals.js";
import type { ReviewStore } from "../store/reviews.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import type { Snapshot, SnapshotStore } from "../store/snapshot.js";
import type { TeamStore } from "../store/teams.js";
import type { ChartMaker } from "./charts.js";
import { Controls } from "./controls.js";
import { exportReviews } from "./export.js";
import { Installs } from "./installs.js";
import { Leaderboards, type WeeklyScheduler } from "./leaderboard.js";
import { type OptimizeRequests, type Optimizer, optimizeCommand } from "./optimizer.js";
import type { ParameterChoice } from "./parameters.js";
import { PauseNotices } from "./pause-notice.js";
import { progress } from "./progress.js";
import { ANSWERED_ELSEWHERE, type Daily, Quiz, STOPPED } from "./quiz.js";
import type { Part, Reply } from "./reply.js";
import { reply, text } from "./reply.js";
import { Subscriptions } from "./subscriptions.js";
import { teamLeechNote } from "./team-leeches.js";
import { Topics } from "./topics.js";
import type { Action, Actor, Platform } from "./types.js";

/**
 * One terminal session's view of the quiz: the question it showed last. Two sessions of
 * one learner share the open question; a line answering a question this session no
 * longer shows is told so instead of going silent or turning into a lookup.
 */
export interface Conversation {
  promptId?: string | undefined;
}

/** The open question of a snapshot, if it can still be answered. */
function openPrompt(snap: Snapshot): Prompt | undefined {
  const p = snap.prompt;
  return p && p.id === snap.currentId && p.status !== "answered" ? p : undefined;
}

const partsOf = (r: Reply): Part[] => [...r.parts, ...(r.dm ?? [])];

/** After a reply: the session now shows the question it asked, or none once it ended. */
function track(conv: Conversation, r: Reply, stopped: boolean): void {
  const parts = partsOf(r);
  const asked = parts.findLast((p) => p.kind === "question");
  if (asked?.kind === "question") {
    conv.promptId = asked.question.promptId;
    return;
  }
  const ended = parts.some(
    (p) =>
      p.kind === "summary" ||
      p.kind === "forgotten" ||
      (p.kind === "text" && (p.text.startsWith(ANSWERED_ELSEWHERE) || p.text === STOPPED)),
  );
  if (ended || stopped) conv.promptId = undefined;
}

const isShowWord = (w: string) => w === "show" || w === "?";
const isStopWord = (w: string) => w === "stop" || w === "skip";

export interface AppDeps {
  deck: Deck;
  scheduler: Scheduler;
  settings: SettingsStore;
  prompts: PromptStore;
  reviews: ReviewStore;
  /** One-round-trip reads of a learner (the quiz). */
  snapshots: SnapshotStore;
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
  /** Undo, skip and suspend (absent: those commands say they are unavailable). */
  controls?: ControlsStore;
  /** "I was right" proposals and team-accepted answers (absent: no claims). */
  proposals?: ProposalStore;
  /** Drops redelivered platform messages (Slack retries, gateway replays). */
  dedupe?: Dedupe;
  limits?: SessionLimits;
  /** Lapses that make a card a leech (default 8, Anki's; 0: no leeches). */
  leechThreshold?: number;
  log?: Logger;
  /** Prometheus counters of the process serving /metrics. */
  metrics?: Metrics;
  /** Zone for learners who never said theirs. */
  defaultTz?: string;
  /** Renders stats charts and board pictures (absent: text only). See app/charts.ts. */
  charts?: ChartMaker;
  /** Each learner's FSRS parameters (absent: the defaults for everyone). */
  parameters?: ParameterChoice;
  /** Fits them (`optimize`, the fit in `stats`); absent: no optimizer. */
  optimizer?: Optimizer;
  /** Queues `optimize` from a chat for a worker. */
  optimizeRequests?: OptimizeRequests;
}

/** Per-call options of handleCommand. */
export interface CommandOptions {
  /** False: no chart images (the Slack Home tab shows text stats only). Default true. */
  charts?: boolean;
}

/**
 * The service every adapter calls: platform-neutral commands, actions and messages in,
 * `Reply` parts out. It dispatches to the quiz, subscriptions, progress and
 * leaderboards; adapters only translate.
 */
export class App {
  readonly glossary: Glossary;
  /** Prometheus counters, when the process serves /metrics. */
  private readonly metrics: Metrics | undefined;
  private readonly defaultTz: string;
  private readonly quiz: Quiz;
  private readonly subs: Subscriptions;
  private readonly pauses: PauseNotices;
  private readonly topics: Topics;
  private readonly boards?: Leaderboards;
  private readonly controls?: Controls;
  private readonly installs: Installs;
  private readonly zones = new Map<string, { tz: string; until: number }>();
  private readonly joined = new Set<string>();

  constructor(private readonly deps: AppDeps) {
    this.glossary = buildGlossary(deps.deck);
    this.defaultTz = deps.defaultTz ?? "UTC";
    this.metrics = deps.metrics;
    const choice = deps.parameters;
    this.quiz = new Quiz({
      deck: deps.deck,
      scheduler: deps.scheduler,
      settings: deps.settings,
      prompts: deps.prompts,
      reviews: deps.reviews,
      snapshots: deps.snapshots,
      limits: deps.limits ?? DEFAULT_LIMITS,
      defaultTz: this.defaultTz,
      teamZone: (t) => this.teamZone(t),
      metrics: () => this.metrics,
      log: deps.log,
      proposals: deps.proposals,
      leechThreshold: deps.leechThreshold,
      schedulerOf: choice ? (s, t) => choice.scheduler(s, t) : undefined,
    });
    this.topics = new Topics({
      ...deps,
      decode: (learner, raw) => this.quiz.decode(learner, raw),
    });
    this.subs = new Subscriptions(deps.settings, this.defaultTz, deps.schedule);
    this.installs = new Installs(deps);
    this.pauses = new PauseNotices(deps.settings);
    if (deps.controls) {
      this.controls = new Controls({
        ...deps,
        controls: deps.controls,
        quiz: this.quiz,
        limits: deps.limits ?? DEFAULT_LIMITS,
        defaultTz: this.defaultTz,
        leechThreshold: deps.leechThreshold ?? DEFAULT_LEECH_THRESHOLD,
      });
    }
    if (deps.teams) {
      this.boards = new Leaderboards(
        deps.teams,
        deps.settings,
        (t) => this.teamZone(t),
        deps.weekly,
      );
    }
  }

  get deck(): Deck {
    return this.deps.deck;
  }

  /** `/pyjs …` text from any platform. */
  async handleCommand(
    actor: Actor,
    input: string,
    now = new Date(),
    opts: CommandOptions = {},
  ): Promise<Reply> {
    const cmd = parseCommand(input);
    // Lookups and help come from the in-memory deck: they work while Redis is down.
    const offline = cmd.kind === "lookup" || cmd.kind === "help" || cmd.kind === "usage";
    if (!this.storageUp()) return offline ? this.run(actor, cmd, now) : this.unavailable();
    const joined = this.join(actor);
    // A lookup does not wait for the bookkeeping.
    if (offline) joined.catch((err: unknown) => this.deps.log?.warn({ err }, "team join failed"));
    else await joined;
    // Owed notices are read before the command runs; `resume` and `subscribe` restart
    // the quiz, so they need no "paused because…" first.
    const restarts = cmd.kind === "resume" || cmd.kind === "subscribe";
    const notices: (Part | undefined)[] = offline
      ? []
      : await Promise.all([
          restarts ? undefined : this.pauses.pending(actor),
          this.boards?.pendingNotice(actor),
        ]);
    const out = await this.run(actor, cmd, now, opts);
    const owed = notices.filter((n): n is Part => n !== undefined);
    return owed.length > 0 ? { ...out, parts: [...owed, ...out.parts] } : out;
  }

  /** A typed message in a DM (or a terminal line): answers the open question, else a command. */
  async handleMessage(
    actor: Actor,
    input: string,
    now = new Date(),
    opts: { messageId?: string; conversation?: Conversation } = {},
  ): Promise<Reply> {
    if (!this.storageUp()) return this.handleCommand(actor, input, now);
    const seen = opts.messageId ? `${actor.platform}:${opts.messageId}` : undefined;
    if (seen && this.deps.dedupe && !(await this.deps.dedupe.first(seen))) return { parts: [] };
    const line = input.trim();
    if (/^\/?pyjs\b/i.test(line)) return this.handleCommand(actor, line, now);
    const snap = await this.deps.snapshots.read(actor.learner);
    const open = openPrompt(snap);
    const conv = opts.conversation;
    if (!conv) return this.dmLine(actor, snap, open, line, now);
    const mine = conv.promptId !== undefined && open?.id === conv.promptId;
    const r = await this.sessionLine(actor, conv, snap, open, line, now);
    track(conv, r, mine && isStopWord(line.toLowerCase()));
    return r;
  }

  /** A DM line: answers the open question, else a command or lookup. */
  private async dmLine(
    actor: Actor,
    snap: Snapshot,
    open: Prompt | undefined,
    line: string,
    now: Date,
  ): Promise<Reply> {
    if (!open) return this.idleLine(actor, line, now);
    // A command word runs the command (the question stays open), unless it is the answer.
    const cmd = parseCommand(line);
    if (cmd.kind !== "lookup" && !this.quiz.isAnswerTo(open, line))
      return this.run(actor, cmd, now);
    return this.quiz.typed(actor, snap, line, now);
  }

  /** A line with no open question: `show` and rating words get told, the rest is a command. */
  private async idleLine(actor: Actor, line: string, now: Date): Promise<Reply> {
    if (isShowWord(line.toLowerCase())) {
      return text("There is no open question to show. Type `quiz` to get one.");
    }
    const rating = parseRating(line);
    if (rating) return this.quiz.amendLast(actor, rating, now);
    return this.handleCommand(actor, line, now);
  }

  /**
   * A terminal line: like a DM, but a line meant for a question this session showed and
   * another session has since answered (or replaced) is told so, with the current one.
   */
  private async sessionLine(
    actor: Actor,
    conv: Conversation,
    snap: Snapshot,
    open: Prompt | undefined,
    line: string,
    now: Date,
  ): Promise<Reply> {
    if (open && open.id === conv.promptId) return this.dmLine(actor, snap, open, line, now);
    const cmd = parseCommand(line);
    if (conv.promptId === undefined || cmd.kind !== "lookup") {
      // This session shows no question: another session's open one is not answered here.
      return this.idleLine(actor, line, now);
    }
    const note = `${ANSWERED_ELSEWHERE} ${open ? "The current one:" : "Type `quiz` for the next one."}`;
    if (!open) return text(note);
    const again = await this.quiz.start(actor, now);
    return { parts: [{ kind: "text", text: note }, ...partsOf(again)] };
  }

  /**
   * Records that the learner uses pyjs in this team (their points count on its boards)
   * and the name boards show; remembered in-process, so a repeat costs no Redis call.
   */
  private async join(actor: Actor): Promise<void> {
    if (!actor.tenant || !this.deps.teams) return;
    const key = `${actor.learner}\n${actor.tenant}\n${actor.name ?? ""}`;
    if (this.joined.has(key)) return;
    await this.deps.teams.join(actor.learner, actor.tenant, actor.name);
    if (this.joined.size >= 50_000) this.joined.clear();
    this.joined.add(key);
  }

  /** A button press or modal submission. */
  async handleAction(actor: Actor, action: Action, now = new Date()): Promise<Reply> {
    if (action.type === "command") return this.handleCommand(actor, action.text, now);
    if (!this.storageUp()) return this.unavailable();
    switch (action.type) {
      case "right":
        return this.quiz.claimRight(actor, action.promptId, now);
      case "forget-confirm":
        return this.forget(actor);
      case "show":
        return this.quiz.show(actor, action.promptId, now);
      case "rate":
        return this.quiz.rate(actor, action.promptId, action.rating, now);
      case "answer":
        return this.quiz.answer(actor, action.promptId, action.text, now);
      case "undo":
      case "skip":
      case "suspend":
        return this.control(actor, action, now);
    }
  }

  /** The daily delivery for a learner's local `date`: what to send, or why nothing. */
  daily(learner: string, platform: Platform, now: Date, date: string): Promise<Daily> {
    return this.quiz.daily(learner, platform, now, date);
  }

  /** A team's weekly post for a finished ISO week, or undefined without boards. */
  async weeklyBoard(tenant: string, week: string, now: Date): Promise<Part[] | undefined> {
    if (!this.boards) return undefined;
    const board = await this.boards.weeklyBoard(tenant, week, now);
    const rows = board.rows.map((r) => ({ name: r.name, points: r.points }));
    const images = await this.deps.charts?.board(tenant, { week, rows });
    return [{ kind: "leaderboard", board, ...(images?.length ? { images } : {}) }];
  }

  /**
   * The app left a team (Slack: uninstalled, tokens revoked): its daily quizzes and
   * weekly post are paused until {@link installationRestored}. Answers learners paused.
   */
  installationRemoved(platform: Platform, tenant: string, reason: string): Promise<number> {
    return this.installs.removed(platform, tenant, reason);
  }

  /** The app was (re)installed in a team: what its removal paused runs again. */
  installationRestored(tenant: string, now: Date): Promise<number> {
    return this.installs.restored(tenant, now);
  }

  /** The weekly note for a team's admin: cards most of the team keeps missing (or none). */
  async teamLeeches(tenant: string, now: Date): Promise<Part[] | undefined> {
    if (!this.deps.teams) return undefined;
    return teamLeechNote({ ...this.deps, teams: this.deps.teams }, tenant, now);
  }

  /** A team's zone (for its ISO weeks), cached for a minute: teams rarely move. */
  async teamZone(tenant: string): Promise<string> {
    const hit = this.zones.get(tenant);
    if (hit && hit.until > Date.now()) return hit.tz;
    const tz = (await this.deps.teams?.get(tenant))?.tz ?? this.defaultTz;
    this.zones.set(tenant, { tz, until: Date.now() + 60_000 });
    return tz;
  }

  /** Remembers where the platform shows a prompt (e.g. Slack channel:ts) to update it later. */
  async rememberPromptRef(actor: Actor, promptId: string, ref: string): Promise<void> {
    await this.deps.prompts.setRef(actor.learner, promptId, ref);
  }

  /** The learner's stored DM channel (one platform call per delivery after the first). */
  dmChannel(learner: string): Promise<string | undefined> {
    return this.deps.settings.dmChannel(learner);
  }

  /** Stores the DM channel opened for the learner (a re-opened one replaces it). */
  async rememberDmChannel(learner: string, channel: string): Promise<void> {
    await this.deps.settings.update(learner, { dmChannel: channel });
  }

  async promptRef(actor: Actor, promptId: string): Promise<string | undefined> {
    return (await this.deps.prompts.get(actor.learner, promptId))?.ref;
  }

  private async run(
    actor: Actor,
    cmd: Command,
    now: Date,
    opts: CommandOptions = {},
  ): Promise<Reply> {
    const noBoards = () => text("Leaderboards are not set up here.");
    switch (cmd.kind) {
      case "help":
        return reply({
          kind: "help",
          lines: actor.platform === "console" ? TERMINAL_USAGE : USAGE,
        });
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
        return this.quiz.start(actor, now);
      case "stats":
        return this.stats(actor, now, opts);
      case "subscribe":
        return this.subs.subscribe(actor, now, cmd.time, cmd.tz);
      case "unsubscribe":
        return this.subs.unsubscribe(actor);
      case "pause":
        return this.subs.pause(actor);
      case "resume":
        return this.subs.resume(actor, now);
      case "leaderboard":
        return this.boards ? this.boards.show(actor, now) : noBoards();
      case "leaderboard-here":
        if (actor.platform === "console") {
          return text(
            "`leaderboard here` picks a Slack or Discord channel for the weekly post; the terminal has none.",
          );
        }
        return this.boards
          ? this.boards.here(actor, await this.deps.settings.get(actor.learner))
          : noBoards();
      case "leaderboard-opt":
        return this.boards ? this.boards.optIn(actor, cmd.optIn) : noBoards();
      case "forget-me":
        return reply({ kind: "confirm-forget" });
      case "topics":
        return this.topics.list(actor);
      case "topic":
        return this.topics.toggle(actor, cmd.deck, cmd.on);
      case "topics-all":
        return this.topics.all(actor);
      case "set-new":
        return this.topics.setNew(actor, cmd.perDay);
      case "undo":
      case "skip":
      case "suspend":
      case "unsuspend":
      case "suspended":
      case "vacation":
        return this.controlCommand(actor, cmd, now);
      case "right":
        return this.quiz.claimRight(actor, undefined, now);
      case "export":
        return exportReviews(this.deps.reviews, actor.learner);
      case "optimize":
        return optimizeCommand(this.deps.optimizer, this.deps.optimizeRequests, actor, now);
    }
  }

  /** `stats`: progress, charts, and the FSRS parameters in use with their fit. */
  private stats(actor: Actor, now: Date, opts: CommandOptions): Promise<Reply> {
    const deps = {
      ...this.deps,
      defaultTz: this.defaultTz,
      decode: (learner: string, raw: Record<string, string>) => this.quiz.decode(learner, raw),
      desiredRetention: this.deps.scheduler.options.retention,
      parameters: this.deps.optimizer,
    };
    return progress(deps, actor, now, opts);
  }

  /** The control buttons: Undo on a result, Skip and Don't ask again on a question. */
  private control(
    actor: Actor,
    action: Extract<Action, { type: "undo" | "skip" | "suspend" }>,
    now: Date,
  ): Promise<Reply> {
    const c = this.controls;
    if (!c) return Promise.resolve(text("That is not available here."));
    if (action.type === "undo") return c.undo(actor, now, action.promptId);
    if (action.type === "skip") return c.skip(actor, now, action.promptId);
    return c.suspendPrompt(actor, now, action.promptId);
  }

  /** `undo`, `skip`, `suspend …`, `unsuspend …`, `suspended`, `pause 7d|until …`. */
  private controlCommand(
    actor: Actor,
    cmd: Extract<
      Command,
      { kind: "undo" | "skip" | "suspend" | "unsuspend" | "suspended" | "vacation" }
    >,
    now: Date,
  ): Promise<Reply> {
    const c = this.controls;
    if (!c) return Promise.resolve(text("That is not available here."));
    switch (cmd.kind) {
      case "undo":
        return c.undo(actor, now);
      case "skip":
        return c.skip(actor, now);
      case "suspend":
        return c.suspend(actor, now, cmd.target);
      case "unsuspend":
        return c.unsuspend(actor, cmd.target);
      case "suspended":
        return c.suspended(actor);
      case "vacation":
        return c.vacation(actor, now, cmd.days, cmd.until);
    }
  }

  /** `forget me`, confirmed: erases every key and board entry of the learner. */
  private async forget(actor: Actor): Promise<Reply> {
    const erased = await this.deps.erase?.(actor.learner);
    // Memberships were erased too: the next command must record them again.
    this.joined.clear();
    if (!erased) return text("Erasing is not available here.");
    this.deps.log?.info({ learner: actor.learner }, "learner erased at their request");
    return reply({
      kind: "forgotten",
      erased: erased.length ? erased : ["nothing (pyjs had no data about you)"],
    });
  }

  private storageUp(): boolean {
    return this.deps.storageUp?.() ?? true;
  }

  private unavailable(): Reply {
    return text(
      "Sorry, quizzes, stats and leaderboards are unavailable for a moment (pyjs cannot reach its storage). Lookups still work; try again shortly.",
    );
  }
}
