import type { Redis } from "ioredis";
import { boardMinute, STREAK_BONUS_CAP } from "../core/scoring.js";
import type { Keys } from "./keys.js";
import { ANSWERED_PROMPT_TTL_SECONDS, PROMPT_TTL_SECONDS } from "./prompts.js";

/**
 * Applies one answer as a single atomic step (one EVALSHA): the card's new state, the
 * review-log entry, the learner's day counters, the prompt marked answered and the
 * next question opened. Keyed by prompt id, so a retried request, a double click or
 * two workers record exactly one review; and version-checked on the card's state, so
 * two prompts for one card cannot both apply on top of the same old state.
 *
 * Also credits points to the learner's teams' weekly and all-time boards (score packs
 * points with "who got there first"), counts the review for each team's week, and,
 * when the review finishes the day's session, advances the streak and adds its bonus —
 * so a retried answer never scores twice.
 *
 * mode "answer": the first answer to an open/revealed prompt.
 * mode "amend": the learner overrides the rating of the answer they just gave (the
 *   card must not have moved on since); the log gets a new entry marked amend=1 with
 *   the same prompt id, and readers take the last entry per prompt.
 *
 * The day counters (dayDate, dayNew, dayReviews, dayCorrect) live in the learner's
 * settings hash, so one HGETALL reads everything a session plan needs.
 */
const APPLY_REVIEW = `
local prompt, cards, log, learnerKey, currentKey, nextKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local mode, card, expected, newState, rating = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local reviewMs, elapsed, isNew, pid = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local points, finishDay, today, yesterday = tonumber(ARGV[10]), ARGV[11], ARGV[12], ARGV[13]
local minute, bonusCap, nBoards, learner = tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]), ARGV[17]
local nextCard, nextPid, promptTtl, sentAt = ARGV[18], ARGV[19], tonumber(ARGV[20]), ARGV[21]
local answeredTtl = tonumber(ARGV[22])
local status = redis.call('HGET', prompt, 'status')
if not status then return {'expired'} end
if redis.call('HGET', prompt, 'card') ~= card then return {'mismatch'} end
local current = redis.call('HGET', cards, card) or ''
local amend = '0'
local correctDelta = 0
local delta = points
local sameDay = redis.call('HGET', learnerKey, 'dayDate') == today
if mode == 'answer' then
  if status == 'answered' then return {'duplicate', redis.call('HGET', prompt, 'rating')} end
  if current ~= expected then return {'conflict'} end
  redis.call('HSET', prompt, 'reviewed', reviewMs)
  if not sameDay then
    redis.call('HSET', learnerKey, 'dayDate', today, 'dayNew', 0, 'dayReviews', 0, 'dayCorrect', 0)
    sameDay = true
  end
  redis.call('HINCRBY', learnerKey, 'dayReviews', 1)
  if isNew == '1' then redis.call('HINCRBY', learnerKey, 'dayNew', 1) end
  if rating ~= '1' then correctDelta = 1 end
else
  if status ~= 'answered' then return {'not-answered'} end
  local old = redis.call('HGET', prompt, 'rating')
  if old == rating then return {'duplicate', old} end
  if current ~= redis.call('HGET', prompt, 'after') then return {'moved-on'} end
  if redis.call('HGET', prompt, 'before') ~= expected then return {'conflict'} end
  amend = '1'
  if old == '1' and rating ~= '1' then correctDelta = 1 end
  if old ~= '1' and rating == '1' then correctDelta = -1 end
  delta = points - tonumber(redis.call('HGET', prompt, 'points') or '0')
end
redis.call('HSET', cards, card, newState)
redis.call('XADD', log, '*', 'card', card, 'rating', rating, 'review', reviewMs, 'elapsed', elapsed,
  'before', expected, 'after', newState, 'prompt', pid, 'amend', amend)
redis.call('HSET', prompt, 'status', 'answered', 'rating', rating, 'before', expected, 'after', newState, 'points', points)
-- An answered prompt only serves a changed rating or a late click now: keep it two days.
redis.call('EXPIRE', prompt, answeredTtl)
if correctDelta ~= 0 and sameDay then redis.call('HINCRBY', learnerKey, 'dayCorrect', correctDelta) end
local streak = tonumber(redis.call('HGET', learnerKey, 'streak') or '0')
if mode == 'answer' and finishDay == '1' then
  local last = redis.call('HGET', learnerKey, 'lastSessionDay')
  if last ~= today then
    if last == yesterday then streak = streak + 1 else streak = 1 end
    local best = tonumber(redis.call('HGET', learnerKey, 'bestStreak') or '0')
    if streak > best then best = streak end
    redis.call('HSET', learnerKey, 'lastSessionDay', today, 'streak', streak, 'bestStreak', best)
    delta = delta + math.min(streak, bonusCap)
  end
end
if delta ~= 0 then
  local shift = 8388608
  for i = 7, 6 + nBoards do
    local cur = redis.call('ZSCORE', KEYS[i], learner)
    local p = 0
    if cur then p = math.floor(tonumber(cur) / shift) end
    p = math.max(0, p + delta)
    redis.call('ZADD', KEYS[i], string.format('%.0f', p * shift + (shift - 1 - minute)), learner)
  end
end
if mode == 'answer' then
  for i = 7 + nBoards, #KEYS do redis.call('HINCRBY', KEYS[i], 'reviews', 1) end
  if nextCard ~= '' then
    redis.call('HSET', nextKey, 'card', nextCard, 'status', 'open', 'sentAt', sentAt)
    redis.call('EXPIRE', nextKey, promptTtl)
    redis.call('SET', currentKey, nextPid, 'EX', promptTtl)
  elseif redis.call('GET', currentKey) == pid then
    redis.call('DEL', currentKey)
  end
end
local d = redis.call('HMGET', learnerKey, 'dayNew', 'dayReviews', 'dayCorrect')
return {'ok', tostring(streak), d[1] or '0', d[2] or '0', d[3] or '0'}
`;

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
}

export interface ApplyResult {
  status: ApplyStatus;
  /** The rating already recorded (duplicate). */
  rating?: number | undefined;
  /** After an applied answer: the streak and today's counters. */
  streak?: number | undefined;
  day?: DayCountsRaw | undefined;
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

type ReviewRedis = Redis & {
  pyjsApplyReview(...args: (string | number)[]): Promise<[ApplyStatus, ...string[]]>;
};

export class ReviewStore {
  private readonly redis: ReviewRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    if (!("pyjsApplyReview" in redis)) {
      redis.defineCommand("pyjsApplyReview", { lua: APPLY_REVIEW });
    }
    this.redis = redis as ReviewRedis;
  }

  /** One EVALSHA: everything a review changes, or nothing. */
  async apply(r: ApplyReview): Promise<ApplyResult> {
    const k = this.keys;
    const boardKeys = r.boards.flatMap((b) => [
      k.board(b.tenant, b.week),
      k.board(b.tenant, "all"),
    ]);
    const counterKeys = r.boards.map((b) => k.teamWeek(b.tenant, b.week));
    const next = r.mode === "answer" ? r.next : undefined;
    const keys = [
      k.prompt(r.learner, r.promptId),
      k.cards(r.learner),
      k.log(r.learner),
      k.learner(r.learner),
      k.current(r.learner),
      k.prompt(r.learner, next?.promptId ?? r.promptId),
      ...boardKeys,
      ...counterKeys,
    ];
    const [status, ...extra] = await this.redis.pyjsApplyReview(
      keys.length,
      ...keys,
      r.mode,
      r.card,
      r.expected,
      r.newState,
      String(r.rating),
      String(r.reviewedAt.getTime()),
      String(r.elapsedDays),
      r.isNew ? "1" : "0",
      r.promptId,
      r.points,
      r.finishDay ? "1" : "0",
      r.localDate,
      r.yesterday,
      boardMinute(r.reviewedAt),
      STREAK_BONUS_CAP,
      boardKeys.length,
      r.learner,
      next?.card ?? "",
      next?.promptId ?? "",
      PROMPT_TTL_SECONDS,
      String(r.reviewedAt.getTime()),
      ANSWERED_PROMPT_TTL_SECONDS,
    );
    if (status !== "ok") return { status, rating: extra[0] ? Number(extra[0]) : undefined };
    const [streak, newCards, reviews, correct] = extra.map(Number);
    return {
      status,
      streak,
      day: { newCards: newCards ?? 0, reviews: reviews ?? 0, correct: correct ?? 0 },
    };
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

  /** Review-log entries from `sinceMs` on (stream ids are times), amended ones folded. */
  async log(learner: string, sinceMs = 0): Promise<LogEntry[]> {
    const rows = await this.redis.xrange(this.keys.log(learner), String(sinceMs), "+");
    const byPrompt = new Map<string, LogEntry>();
    const out: LogEntry[] = [];
    for (const [id, fields] of rows) {
      const f: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2)
        f[fields[i] as string] = fields[i + 1] as string;
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
      };
      const earlier = byPrompt.get(entry.prompt);
      if (entry.amend && earlier) {
        Object.assign(earlier, { ...entry, id: earlier.id });
      } else {
        byPrompt.set(entry.prompt, entry);
        out.push(entry);
      }
    }
    return out;
  }

  async logLength(learner: string): Promise<number> {
    return this.redis.xlen(this.keys.log(learner));
  }
}
