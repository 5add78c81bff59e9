import type { Redis } from "ioredis";
import { boardMinute, STREAK_BONUS_CAP } from "../core/scoring.js";
import type { Keys } from "./keys.js";

/**
 * Applies one answer as a single atomic step: the card's new state, the review-log
 * entry, the day counters and the prompt marked answered. Keyed by prompt id, so a
 * retried request, a double click or two workers record exactly one review; and
 * version-checked on the card's state, so two prompts for one card cannot both apply
 * on top of the same old state.
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
 */
const APPLY_REVIEW = `
local prompt, cards, log, day, learnerKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local mode, card, expected, newState, rating = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local reviewMs, elapsed, isNew, dayTtl, pid = ARGV[6], ARGV[7], ARGV[8], tonumber(ARGV[9]), ARGV[10]
local points, finishDay, today, yesterday = tonumber(ARGV[11]), ARGV[12], ARGV[13], ARGV[14]
local minute, bonusCap, nBoards, learner = tonumber(ARGV[15]), tonumber(ARGV[16]), tonumber(ARGV[17]), ARGV[18]
local status = redis.call('HGET', prompt, 'status')
if not status then return {'expired'} end
if redis.call('HGET', prompt, 'card') ~= card then return {'mismatch'} end
local current = redis.call('HGET', cards, card) or ''
local amend = '0'
local correctDelta = 0
local delta = points
if mode == 'answer' then
  if status == 'answered' then return {'duplicate', redis.call('HGET', prompt, 'rating')} end
  if current ~= expected then return {'conflict'} end
  redis.call('HSET', prompt, 'reviewed', reviewMs)
  redis.call('HINCRBY', day, 'reviews', 1)
  if isNew == '1' then redis.call('HINCRBY', day, 'new', 1) end
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
if correctDelta ~= 0 then redis.call('HINCRBY', day, 'correct', correctDelta) end
redis.call('EXPIRE', day, dayTtl)
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
  for i = 6, 5 + nBoards do
    local cur = redis.call('ZSCORE', KEYS[i], learner)
    local p = 0
    if cur then p = math.floor(tonumber(cur) / shift) end
    p = math.max(0, p + delta)
    redis.call('ZADD', KEYS[i], string.format('%.0f', p * shift + (shift - 1 - minute)), learner)
  end
end
if mode == 'answer' then
  for i = 6 + nBoards, #KEYS do redis.call('HINCRBY', KEYS[i], 'reviews', 1) end
end
return {'ok', tostring(streak)}
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
  /** Learner's local date, for the day counters, and the day before. */
  localDate: string;
  yesterday: string;
  /** Points this rating earns (see core/scoring). */
  points: number;
  /** This review finishes the day's session (streak + bonus). */
  finishDay: boolean;
  /** Boards to credit: each team's weekly and all-time board, and team-week counters. */
  boards: { tenant: string; week: string }[];
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

const DAY_TTL_SECONDS = 3 * 24 * 3600;

type ReviewRedis = Redis & {
  pyjsApplyReview(...args: (string | number)[]): Promise<[ApplyStatus, string?]>;
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
  async apply(
    r: ApplyReview,
  ): Promise<{ status: ApplyStatus; rating?: number | undefined; streak?: number | undefined }> {
    const k = this.keys;
    const boardKeys = r.boards.flatMap((b) => [
      k.board(b.tenant, b.week),
      k.board(b.tenant, "all"),
    ]);
    const counterKeys = r.boards.map((b) => k.teamWeek(b.tenant, b.week));
    const keys = [
      k.prompt(r.learner, r.promptId),
      k.cards(r.learner),
      k.log(r.learner),
      k.day(r.learner, r.localDate),
      k.learner(r.learner),
      ...boardKeys,
      ...counterKeys,
    ];
    const [status, extra] = await this.redis.pyjsApplyReview(
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
      DAY_TTL_SECONDS,
      r.promptId,
      r.points,
      r.finishDay ? "1" : "0",
      r.localDate,
      r.yesterday,
      boardMinute(r.reviewedAt),
      STREAK_BONUS_CAP,
      boardKeys.length,
      r.learner,
    );
    const n = extra === undefined ? undefined : Number(extra);
    return status === "ok" ? { status, streak: n } : { status, rating: n };
  }

  async states(learner: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.cards(learner));
  }

  async day(learner: string, date: string): Promise<DayCountsRaw> {
    const raw = await this.redis.hgetall(this.keys.day(learner, date));
    return {
      newCards: Number(raw.new ?? 0),
      reviews: Number(raw.reviews ?? 0),
      correct: Number(raw.correct ?? 0),
    };
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
