import type { Redis } from "ioredis";
import { boardMinute, STREAK_BONUS_CAP } from "../core/scoring.js";
import { bound } from "../core/text.js";
import { replyRecord } from "../redis/reply.js";
import { currentHints } from "./current-hint.js";
import type { Keys } from "./keys.js";
import { ANSWERED_PROMPT_TTL_SECONDS, PROMPT_TTL_SECONDS } from "./prompts.js";
import { type ScriptChain, type ScriptedRedis, withScripts } from "./scripts.js";

/**
 * Reviews: one answer is applied as a single atomic step on the learner's keys (one
 * EVALSHA of lua/apply-review.lua, one hash slot): the card's new state, the review-log
 * entry, the learner's day counters, the prompt marked answered and the next question
 * opened. Keyed by prompt id, so a retried request, a double click or two workers record
 * exactly one review; and version-checked on the card's state, so two prompts for one
 * card cannot both apply on top of the same old state.
 *
 * Then, sent together, one lua/apply-board.lua per team key (other slots on a cluster):
 * points to the learner's teams' weekly and all-time boards (score packs points with
 * "who got there first") and the review counted for each team's week, each applied once
 * per review-log token — a retried answer finishes that step and never scores twice.
 * When the review finishes the day's session, the streak advances and adds its bonus.
 *
 * The day counters (dayDate, dayNew, dayReviews, dayCorrect) live in the learner's
 * settings hash, so one HGETALL reads everything a session plan needs.
 */
/** How long a team key remembers a credited review: longer than any retry of an answer. */
export const BOARD_TOKEN_KEEP_MS = 3 * 24 * 3600 * 1000;

export type ApplyStatus =
  | "ok"
  | "duplicate"
  | "expired"
  | "mismatch"
  | "conflict"
  | "not-answered"
  | "moved-on";

export interface ApplyReview {
  mode: "answer" | "amend";
  learner: string;
  promptId: string;
  card: string;
  /** Encoded state the new one was computed from ("" for a new card). */
  expected: string;
  newState: string;
  rating: number;
  reviewedAt: Date;
  elapsedDays: number;
  isNew: boolean;
  /** Learner's local date of the review, for the day counters, and the day before. */
  localDate: string;
  yesterday: string;
  /** Points this rating earns (see core/scoring). */
  points: number;
  /** This review finishes the day's session (streak + bonus). */
  finishDay: boolean;
  /** Boards to credit: each team's weekly and all-time board, and team-week counters. */
  boards: { tenant: string; week: string }[];
  /** The question to open next in the same step (answer mode), if any. */
  next?: { promptId: string; card: string } | undefined;
  /** The lapse count this review reached when it is a leech threshold (core/leech.ts). */
  leech?: number | undefined;
  /** The typed answer, kept in the log entry (team leeches show the wrong ones). */
  given?: string | undefined;
}

/** Longest typed answer the review log keeps. */
export const MAX_LOGGED_ANSWER = 200;

export interface ApplyResult {
  status: ApplyStatus;
  /** The rating already recorded (duplicate). */
  rating?: number | undefined;
  /** After an applied answer: the streak and today's counters. */
  streak?: number | undefined;
  day?: DayCountsRaw | undefined;
  /** The leech threshold this review crossed, told now (once per card and threshold). */
  leech?: number | undefined;
}

export interface LogEntry {
  id: string;
  card: string;
  rating: number;
  review: number;
  elapsed: number;
  before: string;
  after: string;
  prompt: string;
  amend: boolean;
  /** The typed answer, when the review came from one (absent before it was logged). */
  given?: string | undefined;
}

export interface DayCountsRaw {
  newCards: number;
  reviews: number;
  correct: number;
}

/** Day counters from the learner hash's fields, for `date` (zeros on another day). */
export function dayCounts(
  f: { dayDate?: string | undefined; dayNew?: unknown; dayReviews?: unknown; dayCorrect?: unknown },
  date: string,
): DayCountsRaw {
  if (f.dayDate !== date) return { newCards: 0, reviews: 0, correct: 0 };
  return {
    newCards: Number(f.dayNew ?? 0),
    reviews: Number(f.dayReviews ?? 0),
    correct: Number(f.dayCorrect ?? 0),
  };
}

export class ReviewStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.redis = withScripts(redis);
  }

  /** One EVALSHA: everything a review changes, or nothing. */
  async apply(r: ApplyReview): Promise<ApplyResult> {
    const k = this.keys;
    const next = r.mode === "answer" ? r.next : undefined;
    const keys = [
      k.prompt(r.learner, r.promptId),
      k.cards(r.learner),
      k.log(r.learner),
      k.learner(r.learner),
      k.current(r.learner),
      k.prompt(r.learner, next?.promptId ?? r.promptId),
    ];
    const args = {
      mode: r.mode,
      card: r.card,
      expected: r.expected,
      newState: r.newState,
      rating: String(r.rating),
      reviewMs: String(r.reviewedAt.getTime()),
      elapsed: String(r.elapsedDays),
      isNew: r.isNew,
      promptId: r.promptId,
      points: r.points,
      finishDay: r.finishDay,
      today: r.localDate,
      yesterday: r.yesterday,
      minute: boardMinute(r.reviewedAt),
      bonusCap: STREAK_BONUS_CAP,
      nextCard: next?.card ?? "",
      nextPromptId: next?.promptId ?? "",
      promptTtl: PROMPT_TTL_SECONDS,
      answeredTtl: ANSWERED_PROMPT_TTL_SECONDS,
      leech: r.leech ?? 0,
      given: bound(r.given ?? "", MAX_LOGGED_ANSWER),
    };
    const reply = await this.run(r, keys, JSON.stringify(args));
    const [status, ...extra] = reply as [ApplyStatus, ...string[]];
    if (status === "duplicate") {
      const [rating, ...owed] = extra;
      await this.applyBoards(r, owed);
      return { status, rating: rating ? Number(rating) : undefined };
    }
    if (status !== "ok") return { status };
    await this.applyBoards(r, extra.slice(4, 8));
    if (r.mode === "answer") this.noteCurrent(r.learner, r.promptId, next?.promptId);
    const [streak, newCards, reviews, correct, , , , , leech] = extra.map(Number);
    return {
      status,
      streak,
      day: { newCards: newCards ?? 0, reviews: reviews ?? 0, correct: correct ?? 0 },
      leech: leech || undefined,
    };
  }

  /**
   * An answer runs as MULTI { capture-review, apply-review } (one round trip, nothing in
   * between, both on the learner's keys only), so `undo` finds what the answer changed;
   * an amend runs apply-review alone. The record names the team keys the answer credits
   * (see teamKeys); their values before are kept by apply-board.lua in their own slots.
   */
  private async run(r: ApplyReview, keys: string[], args: string): Promise<string[]> {
    if (r.mode !== "answer") return this.redis.pyjsApplyReview(keys.length, ...keys, args);
    const chain = this.redis.multi() as unknown as ScriptChain;
    const res = await chain
      .pyjsCaptureReview(keys.length, ...keys, JSON.stringify(this.teamKeys(r.boards)))
      .pyjsApplyReview(keys.length, ...keys, args)
      .exec();
    const applied = res?.[1];
    if (!applied) throw new Error("review transaction was discarded");
    if (applied[0]) throw applied[0];
    return applied[1] as string[];
  }

  /** The team keys a review credits: each team's weekly and all-time board, its week. */
  private teamKeys(boards: ApplyReview["boards"]): { boards: string[]; counters: string[] } {
    const k = this.keys;
    return {
      boards: boards.flatMap((b) => [k.board(b.tenant, b.week), k.board(b.tenant, "all")]),
      counters: boards.map((b) => k.teamWeek(b.tenant, b.week)),
    };
  }

  /**
   * The team step of a review: `owed` is [token, delta, minute, count] from the review
   * script. One apply-board call per team key, sent together (each key its own slot).
   */
  private async applyBoards(r: ApplyReview, owed: string[]): Promise<void> {
    const [token, delta = "0", minute = "0", count = "0"] = owed;
    if (!token || r.boards.length === 0) return;
    const k = this.keys;
    const now = String(Date.now());
    const keep = String(BOARD_TOKEN_KEEP_MS);
    const calls: Promise<number>[] = [];
    for (const b of r.boards) {
      if (Number(delta) !== 0) {
        for (const board of [k.board(b.tenant, b.week), k.board(b.tenant, "all")]) {
          const args = ["board", token, now, keep, r.learner, delta, minute];
          calls.push(this.redis.pyjsApplyBoard(board, k.applied(board), k.prior(board), ...args));
        }
      }
      if (count === "1") {
        const week = k.teamWeek(b.tenant, b.week);
        calls.push(
          this.redis.pyjsApplyBoard(
            week,
            k.applied(week),
            k.prior(week),
            "count",
            token,
            now,
            keep,
          ),
        );
      }
    }
    await Promise.all(calls);
  }

  /** What the script did to the open question, as the snapshot's guess of it. */
  private noteCurrent(learner: string, answered: string, next: string | undefined): void {
    const hints = currentHints(this.redis);
    if (next) hints.set(learner, next);
    else if (hints.get(learner) === answered) hints.set(learner, "");
  }

  async states(learner: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.cards(learner));
  }

  /** The learner's counters for their local `date` (zeros once the day has turned). */
  async day(learner: string, date: string): Promise<DayCountsRaw> {
    const [d, n, r, c] = await this.redis.hmget(
      this.keys.learner(learner),
      "dayDate",
      "dayNew",
      "dayReviews",
      "dayCorrect",
    );
    return dayCounts({ dayDate: d ?? undefined, dayNew: n, dayReviews: r, dayCorrect: c }, date);
  }

  /**
   * Review-log entries from `sinceMs` on (stream ids are times), amended ones folded and
   * undone ones dropped (an `undo=1` entry removes its prompt's review).
   */
  async log(learner: string, sinceMs = 0): Promise<LogEntry[]> {
    const rows = await this.redis.xrange(this.keys.log(learner), String(sinceMs), "+");
    const byPrompt = new Map<string, LogEntry>();
    const out: LogEntry[] = [];
    const undone = new Set<LogEntry>();
    for (const [id, fields] of rows) {
      const f = replyRecord(fields);
      if (f.undo === "1") {
        const earlier = byPrompt.get(f.prompt ?? "");
        if (earlier) undone.add(earlier);
        byPrompt.delete(f.prompt ?? "");
        continue;
      }
      const entry: LogEntry = {
        id,
        card: f.card ?? "",
        rating: Number(f.rating),
        review: Number(f.review),
        elapsed: Number(f.elapsed),
        before: f.before ?? "",
        after: f.after ?? "",
        prompt: f.prompt ?? "",
        amend: f.amend === "1",
        ...(f.given ? { given: f.given } : {}),
      };
      const earlier = byPrompt.get(entry.prompt);
      if (entry.amend && earlier) {
        Object.assign(earlier, { ...entry, id: earlier.id });
      } else {
        byPrompt.set(entry.prompt, entry);
        out.push(entry);
      }
    }
    return undone.size ? out.filter((e) => !undone.has(e)) : out;
  }

  async logLength(learner: string): Promise<number> {
    return this.redis.xlen(this.keys.log(learner));
  }
}
