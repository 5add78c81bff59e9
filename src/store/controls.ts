import type { Redis } from "ioredis";
import { replyRecord } from "../redis/reply.js";
import { currentHints } from "./current-hint.js";
import type { Keys } from "./keys.js";
import { PROMPT_TTL_SECONDS } from "./prompts.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";
import { BURY_FIELD, SUSPEND_FIELD } from "./settings.js";

/**
 * Learner controls in Redis: undo (lua/undo-review.lua, from the record
 * lua/capture-review.lua keeps beside each answer), skipped cards (`bury:{card}` fields
 * of the learner hash: the local date they come back) and suspended cards (`susp:{card}`
 * fields). Both live in the learner hash, so the snapshot that plans a session already
 * reads them.
 */
export type UndoStatus =
  | "ok"
  | "expired"
  | "not-answered"
  | "no-record"
  | "not-last"
  | "old-day"
  | "keys"
  | "nothing";

export interface UndoResult {
  status: UndoStatus;
  promptId?: string | undefined;
  card?: string | undefined;
  rating?: number | undefined;
}

/** How far back `undo` looks for the last review not undone yet. */
const UNDO_SCAN = 200;

/** lua/clear-current.lua queued in a MULTI. */
interface ClearInMulti {
  pyjsClearCurrent(key: string, promptId: string): unknown;
}

interface Record_ {
  boards: [string, string | false][] | Record<string, never>;
  counters: [string, string | false][] | Record<string, never>;
}

const listOf = <T>(v: T[] | Record<string, never>): T[] => (Array.isArray(v) ? v : []);

/** Why a prompt has no undo record: gone, not answered (already undone), or older. */
function noRecord(status: string | null | undefined): UndoStatus {
  if (!status) return "expired";
  return status === "answered" ? "no-record" : "not-answered";
}

export class ControlsStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.redis = withScripts(redis);
  }

  /** The prompt id of the learner's last review not undone (the `undo` word), if any. */
  async lastReviewed(learner: string): Promise<string | undefined> {
    const rows = await this.redis.xrevrange(this.keys.log(learner), "+", "-", "COUNT", UNDO_SCAN);
    const undone = new Set<string>();
    for (const [, fields] of rows) {
      const f = replyRecord(fields);
      const prompt = f.prompt ?? "";
      if (f.undo === "1") undone.add(prompt);
      else if (!undone.has(prompt)) return prompt;
    }
    return undefined;
  }

  /** Undoes the review of `promptId` if it is the learner's last one of local `today`. */
  async undo(learner: string, promptId: string, today: string, now: Date): Promise<UndoResult> {
    const k = this.keys;
    const replies = (await this.redis
      .multi()
      .hget(k.prompt(learner, promptId), "pre")
      .get(k.current(learner))
      .hget(k.prompt(learner, promptId), "status")
      .exec()) as [unknown, string | null][] | null;
    const [raw, cur, status] = (replies ?? []).map((r) => r[1]);
    if (!raw) return { status: noRecord(status), promptId };
    const rec = JSON.parse(raw) as Record_;
    // Lua's cjson writes an empty list as {}.
    const boardKeys = listOf(rec.boards).map((b) => b[0]);
    const counterKeys = listOf(rec.counters).map((c) => c[0]);
    let currentId = cur ?? "";
    for (let attempt = 0; attempt < 5; attempt++) {
      const keys = [
        k.prompt(learner, promptId),
        k.cards(learner),
        k.log(learner),
        k.learner(learner),
        k.current(learner),
        k.prompt(learner, currentId || promptId),
        ...boardKeys,
        ...counterKeys,
      ];
      const args = {
        promptId,
        currentId,
        learner,
        today,
        nowMs: String(now.getTime()),
        promptTtl: PROMPT_TTL_SECONDS,
        scan: UNDO_SCAN,
        nBoards: boardKeys.length,
      };
      const [status, ...extra] = await this.redis.pyjsUndoReview(
        keys.length,
        ...keys,
        JSON.stringify(args),
      );
      if (status === "stale") {
        currentId = extra[0] ?? "";
        continue;
      }
      if (status === "ok") currentHints(this.redis).set(learner, promptId);
      return {
        status: status as UndoStatus,
        promptId,
        card: extra[0],
        rating: extra[1] ? Number(extra[1]) : undefined,
      };
    }
    throw new Error(`undo for ${learner}: the current question keeps changing`);
  }

  /**
   * Skips `card` until local date `until`: buried, its open prompt dropped (its buttons
   * then say expired), and the open question cleared when it was that prompt. Burials
   * that have come back (`stale`) are removed on the way.
   */
  async bury(
    learner: string,
    card: string,
    until: string,
    promptId: string | undefined,
    stale: string[],
  ): Promise<void> {
    const k = this.keys;
    const m = this.redis.multi().hset(k.learner(learner), `${BURY_FIELD}${card}`, until);
    if (stale.length) m.hdel(k.learner(learner), ...stale.map((c) => `${BURY_FIELD}${c}`));
    if (promptId) this.dropPrompt(m, learner, promptId);
    await m.exec();
    if (promptId) this.forgetHint(learner, promptId);
  }

  /**
   * Suspends cards (never asked again; their history stays); `promptId`, an open
   * question of one of them, is dropped with it.
   */
  async suspend(learner: string, cards: readonly string[], promptId?: string): Promise<void> {
    if (!cards.length) return;
    const k = this.keys;
    const fields = Object.fromEntries(cards.map((c) => [`${SUSPEND_FIELD}${c}`, "1"]));
    const m = this.redis.multi().hset(k.learner(learner), fields);
    if (promptId) this.dropPrompt(m, learner, promptId);
    await m.exec();
    if (promptId) this.forgetHint(learner, promptId);
  }

  /** Queues: clear the open question if it is `promptId`, and delete that prompt. */
  private dropPrompt(m: ReturnType<Redis["multi"]>, learner: string, promptId: string): void {
    (m as unknown as ClearInMulti).pyjsClearCurrent(this.keys.current(learner), promptId);
    m.del(this.keys.prompt(learner, promptId));
  }

  private forgetHint(learner: string, promptId: string): void {
    const hints = currentHints(this.redis);
    if (hints.get(learner) === promptId) hints.set(learner, "");
  }

  async unsuspend(learner: string, cards: readonly string[]): Promise<void> {
    if (!cards.length) return;
    await this.redis.hdel(this.keys.learner(learner), ...cards.map((c) => `${SUSPEND_FIELD}${c}`));
  }
}
