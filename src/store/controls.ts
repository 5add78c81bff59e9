import type { Redis } from "ioredis";
import { replyRecord } from "../redis/reply.js";
import { currentHints } from "./current-hint.js";
import type { Keys } from "./keys.js";
import { PROMPT_TTL_SECONDS } from "./prompts.js";
import { BOARD_TOKEN_KEEP_MS } from "./reviews.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";
import { BURY_FIELD, SUSPEND_FIELD } from "./settings.js";

/**
 * Learner controls in Redis: undo (lua/undo-review.lua on the learner's keys, from the
 * record lua/capture-review.lua keeps beside each answer, then lua/apply-board.lua per
 * team key), skipped cards (`bury:{card}` fields
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

/** What undo-review.lua returns of the team side (Lua's cjson writes an empty list as {}). */
interface TeamRecord {
  boards?: TeamKey[] | Record<string, never>;
  counters?: TeamKey[] | Record<string, never>;
  /** The prompt's review-log ids, answer first, comma-separated. */
  tokens?: string;
  /** Points credited by them; the board tiebreak minute. */
  total?: number;
  minute?: number;
}

/** A team key's name (records from before the cluster merge held [key, value]). */
type TeamKey = string | [string, unknown];
const keyOf = (t: TeamKey): string => (typeof t === "string" ? t : t[0]);

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

  /**
   * Undoes the review of `promptId` if it is the learner's last one of local `today`: the
   * learner's side in one learner-slot script (lua/undo-review.lua), then each team key
   * the answer credited (boards, team weeks) back to its value before, one
   * lua/apply-board.lua call per key in its own slot, idempotent under `undo:<token>`.
   */
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
    let currentId = cur ?? "";
    for (let attempt = 0; attempt < 5; attempt++) {
      const keys = [
        k.prompt(learner, promptId),
        k.cards(learner),
        k.log(learner),
        k.learner(learner),
        k.current(learner),
        k.prompt(learner, currentId || promptId),
      ];
      const args = {
        promptId,
        currentId,
        today,
        nowMs: String(now.getTime()),
        promptTtl: PROMPT_TTL_SECONDS,
        scan: UNDO_SCAN,
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
      if (status === "ok") {
        currentHints(this.redis).set(learner, promptId);
        await this.revertTeam(learner, JSON.parse(extra[2] ?? "{}") as TeamRecord);
      }
      return {
        status: status as UndoStatus,
        promptId,
        card: extra[0],
        rating: extra[1] ? Number(extra[1]) : undefined,
      };
    }
    throw new Error(`undo for ${learner}: the current question keeps changing`);
  }

  /** Each team key back to its value before the undone answer (and its amends). */
  private async revertTeam(learner: string, t: TeamRecord): Promise<void> {
    const tokens = (t.tokens ?? "").split(",").filter(Boolean);
    const first = tokens[0];
    if (!first) return;
    const k = this.keys;
    const token = `undo:${first}`;
    const now = String(Date.now());
    const keep = String(BOARD_TOKEN_KEEP_MS);
    const delta = String(-(t.total ?? 0));
    const minute = String(t.minute ?? 0);
    const calls: Promise<number>[] = [];
    for (const board of listOf(t.boards ?? []).map(keyOf)) {
      const args = ["unboard", token, now, keep, learner, delta, minute, ...tokens];
      calls.push(this.redis.pyjsApplyBoard(board, k.applied(board), k.prior(board), ...args));
    }
    for (const week of listOf(t.counters ?? []).map(keyOf)) {
      const args = ["uncount", token, now, keep, learner, "0", "0", ...tokens];
      calls.push(this.redis.pyjsApplyBoard(week, k.applied(week), k.prior(week), ...args));
    }
    await Promise.all(calls);
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
