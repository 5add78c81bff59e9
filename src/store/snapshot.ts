import type { Redis } from "ioredis";
import { replyRecord } from "../redis/reply.js";
import { currentHints } from "./current-hint.js";
import type { Keys } from "./keys.js";
import { isPromptId, type Prompt, parsePrompt } from "./prompts.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";
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

type SnapshotReply =
  | ["ok", string[], string[], string[], string, string[], number]
  | ["stale", string];

/** A prompt id no prompt has: names a key that never exists. */
const NONE = "-";

/**
 * Reads a learner's snapshot with one EVALSHA of a read-only script
 * (lua/read-snapshot.lua); a second one only when the open question changed since this
 * process last saw it.
 */
export class SnapshotStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.redis = withScripts(redis);
  }

  /**
   * With `promptId`, that prompt; without, the open question. With `sentDate`, also
   * whether that day's delivery went out (the delivery job's check, in the same trip).
   */
  async read(learner: string, promptId?: string, sentDate?: string): Promise<Snapshot> {
    const hints = currentHints(this.redis);
    const asked = promptId !== undefined ? (isPromptId(promptId) ? promptId : NONE) : undefined;
    let guess = asked ?? hints.get(learner) ?? "";
    for (let attempt = 0; ; attempt++) {
      const reply = await this.run(learner, asked, guess, sentDate);
      if (reply[0] === "ok") {
        const [, settings, states, tenants, cur, prompt, sent] = reply;
        hints.set(learner, cur);
        const pid = asked ?? cur;
        return {
          settings: parseSettings(replyRecord(settings)),
          states: replyRecord(states),
          tenants,
          currentId: cur || undefined,
          prompt: pid && pid !== NONE ? parsePrompt(learner, pid, replyRecord(prompt)) : undefined,
          sent: sent === 1,
        };
      }
      // The open question moved on between two reads, many times over: give up.
      if (attempt >= 9) throw new Error(`snapshot of ${learner}: current question keeps changing`);
      guess = reply[1];
    }
  }

  private async run(
    learner: string,
    asked: string | undefined,
    guess: string,
    sentDate: string | undefined,
  ): Promise<SnapshotReply> {
    const k = this.keys;
    const reply = await this.redis.pyjsReadSnapshot(
      k.learner(learner),
      k.cards(learner),
      k.tenants(learner),
      k.current(learner),
      // A date no delivery has when none is asked for: EXISTS answers 0.
      k.sent(learner, sentDate ?? NONE),
      k.prompt(learner, guess || NONE),
      asked !== undefined ? "asked" : "current",
      guess,
    );
    return reply as SnapshotReply;
  }
}
