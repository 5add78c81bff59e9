import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";

/**
 * Applies one answer as a single atomic step: the card's new state, the review-log
 * entry, the day counters and the prompt marked answered. Keyed by prompt id, so a
 * retried request, a double click or two workers record exactly one review; and
 * version-checked on the card's state, so two prompts for one card cannot both apply
 * on top of the same old state.
 *
 * mode "answer": the first answer to an open/revealed prompt.
 * mode "amend": the learner overrides the rating of the answer they just gave (the
 *   card must not have moved on since); the log gets a new entry marked amend=1 with
 *   the same prompt id, and readers take the last entry per prompt.
 */
const APPLY_REVIEW = `
local prompt, cards, log, day = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local mode, card, expected, newState, rating = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local reviewMs, elapsed, isNew, dayTtl, pid = ARGV[6], ARGV[7], ARGV[8], tonumber(ARGV[9]), ARGV[10]
local status = redis.call('HGET', prompt, 'status')
if not status then return {'expired'} end
if redis.call('HGET', prompt, 'card') ~= card then return {'mismatch'} end
local current = redis.call('HGET', cards, card) or ''
local amend = '0'
local correctDelta = 0
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
end
redis.call('HSET', cards, card, newState)
redis.call('XADD', log, '*', 'card', card, 'rating', rating, 'review', reviewMs, 'elapsed', elapsed,
  'before', expected, 'after', newState, 'prompt', pid, 'amend', amend)
redis.call('HSET', prompt, 'status', 'answered', 'rating', rating, 'before', expected, 'after', newState)
if correctDelta ~= 0 then redis.call('HINCRBY', day, 'correct', correctDelta) end
redis.call('EXPIRE', day, dayTtl)
return {'ok'}
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
  /** Learner's local date, for the day counters. */
  localDate: string;
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
      redis.defineCommand("pyjsApplyReview", { numberOfKeys: 4, lua: APPLY_REVIEW });
    }
    this.redis = redis as ReviewRedis;
  }

  /** One EVALSHA: everything a review changes, or nothing. */
  async apply(r: ApplyReview): Promise<{ status: ApplyStatus; rating?: number | undefined }> {
    const k = this.keys;
    const [status, rating] = await this.redis.pyjsApplyReview(
      k.prompt(r.learner, r.promptId),
      k.cards(r.learner),
      k.log(r.learner),
      k.day(r.learner, r.localDate),
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
    );
    return { status, rating: rating ? Number(rating) : undefined };
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
