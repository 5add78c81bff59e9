import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";
import { isPromptId, type Prompt, parsePrompt } from "./prompts.js";
import { parseSettings, type Settings } from "./settings.js";

/** Everything answering a question needs to know about a learner, read at once. */
export interface Snapshot {
  settings: Settings;
  /** Card id -> encoded FSRS state. */
  states: Record<string, string>;
  tenants: string[];
  /** Id of the learner's open question, if any. */
  currentId?: string | undefined;
  /** The prompt asked for, or else the open question (undefined when gone). */
  prompt?: Prompt | undefined;
  /** Whether the daily delivery of the date asked for was already sent. */
  sent: boolean;
}

/**
 * Read-only: settings (with today's counters), card states, teams, the open question
 * and one prompt (the given id, else the open one). All keys carry the learner's hash
 * tag, so this is one slot.
 */
const READ_SNAPSHOT = `
local cur = redis.call('GET', KEYS[4])
local pid = ARGV[2]
if pid == '' and cur then pid = cur end
local p = {}
if pid ~= '' then p = redis.call('HGETALL', ARGV[1] .. pid) end
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('SMEMBERS', KEYS[3]), cur or '', pid, p, redis.call('EXISTS', KEYS[5])}
`;

type SnapshotRedis = Redis & {
  pyjsReadSnapshot(
    ...args: string[]
  ): Promise<[string[], string[], string[], string, string, string[], number]>;
};

function pairs(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = flat[i + 1] as string;
  return out;
}

/** Reads a learner's snapshot in one round trip (one EVALSHA of a read-only script). */
export class SnapshotStore {
  private readonly redis: SnapshotRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    if (!("pyjsReadSnapshot" in redis)) {
      redis.defineCommand("pyjsReadSnapshot", { numberOfKeys: 5, lua: READ_SNAPSHOT });
    }
    this.redis = redis as SnapshotRedis;
  }

  /**
   * With `promptId`, that prompt; without, the open question. With `sentDate`, also
   * whether that day's delivery went out (the delivery job's check, in the same trip).
   */
  async read(learner: string, promptId?: string, sentDate?: string): Promise<Snapshot> {
    const k = this.keys;
    const asked = promptId !== undefined ? (isPromptId(promptId) ? promptId : "-") : "";
    const [settings, states, tenants, cur, pid, prompt, sent] = await this.redis.pyjsReadSnapshot(
      k.learner(learner),
      k.cards(learner),
      k.tenants(learner),
      k.current(learner),
      // A date no delivery has when none is asked for: EXISTS answers 0.
      k.sent(learner, sentDate ?? "-"),
      k.prompt(learner, ""),
      asked,
    );
    return {
      settings: parseSettings(pairs(settings)),
      states: pairs(states),
      tenants,
      currentId: cur || undefined,
      prompt: pid && pid !== "-" ? parsePrompt(learner, pid, pairs(prompt)) : undefined,
      sent: sent === 1,
    };
  }
}
