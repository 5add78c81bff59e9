import type { Redis } from "ioredis";
import { currentHints } from "./current-hint.js";
import type { Keys } from "./keys.js";
import { randomId } from "./random-ids.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";

export type PromptStatus = "open" | "revealed" | "answered";

export interface Prompt {
  id: string;
  learner: string;
  card: string;
  status: PromptStatus;
  sentAt: number;
  /** Rating applied, once answered. */
  rating?: number | undefined;
  /** Encoded card state before/after the applied review (for an amended rating). */
  before?: string | undefined;
  after?: string | undefined;
  /** When the answer was applied (epoch ms). */
  reviewedAt?: number | undefined;
  /** Where the platform shows it (e.g. Slack channel + ts), set by the adapter. */
  ref?: string | undefined;
}

/** Open prompts live a week; answering an older one says it expired. */
export const PROMPT_TTL_SECONDS = 7 * 24 * 3600;
/** Answered ones two days: enough to change the rating or absorb a late double click. */
export const ANSWERED_PROMPT_TTL_SECONDS = 2 * 24 * 3600;

/** 12 random base64url characters: unguessable, short enough for any custom id. */
export function newPromptId(): string {
  return randomId(9, "base64url");
}

export function isPromptId(s: string): boolean {
  return /^[A-Za-z0-9_-]{12}$/.test(s);
}

/** A prompt from its Redis hash (undefined when the hash is gone or not a prompt). */
export function parsePrompt(
  learner: string,
  id: string,
  raw: Record<string, string>,
): Prompt | undefined {
  if (!raw.card || !raw.status) return undefined;
  return {
    id,
    learner,
    card: raw.card,
    status: raw.status as PromptStatus,
    sentAt: Number(raw.sentAt),
    rating: raw.rating ? Number(raw.rating) : undefined,
    before: raw.before,
    after: raw.after,
    reviewedAt: raw.reviewed ? Number(raw.reviewed) : undefined,
    ref: raw.ref,
  };
}

export class PromptStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
  ) {
    this.redis = withScripts(redis);
  }

  /**
   * Opens a prompt for `card` and makes it the learner's current question; `settings`
   * fields are written to the learner hash in the same step (the daily delivery's date).
   * One script call (lua/open-prompt.lua).
   */
  async open(
    learner: string,
    card: string,
    now: Date,
    settings?: Record<string, string>,
  ): Promise<Prompt> {
    const id = newPromptId();
    await this.redis.pyjsOpenPrompt(
      this.keys.prompt(learner, id),
      this.keys.current(learner),
      this.keys.learner(learner),
      id,
      card,
      String(now.getTime()),
      PROMPT_TTL_SECONDS,
      ...Object.entries(settings ?? {}).flat(),
    );
    currentHints(this.redis).set(learner, id);
    return { id, learner, card, status: "open", sentAt: now.getTime() };
  }

  async get(learner: string, id: string): Promise<Prompt | undefined> {
    if (!isPromptId(id)) return undefined;
    return parsePrompt(learner, id, await this.redis.hgetall(this.keys.prompt(learner, id)));
  }

  /** Clears the open question, if it still is this prompt (lua/clear-current.lua). */
  async clearCurrent(learner: string, id: string): Promise<void> {
    await this.redis.pyjsClearCurrent(this.keys.current(learner), id);
    const hints = currentHints(this.redis);
    if (hints.get(learner) === id) hints.set(learner, "");
  }

  /** Marks an open prompt revealed; false when it is missing or already answered. */
  async reveal(learner: string, id: string): Promise<boolean> {
    return (await this.redis.pyjsRevealPrompt(this.keys.prompt(learner, id))) === 1;
  }

  /** Remembers where the platform shows this prompt, so a later answer can update it. */
  async setRef(learner: string, id: string, ref: string): Promise<void> {
    await this.redis.pyjsSetPromptRef(this.keys.prompt(learner, id), ref);
  }
}
