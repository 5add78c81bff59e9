import type { Messenger } from "../../src/app/messenger.js";
import type { Part } from "../../src/app/reply.js";
import type { Platform } from "../../src/app/types.js";

/** A Messenger that records what it is asked to send; `fail` makes it throw instead. */
export class RecordingMessenger implements Messenger {
  readonly dms: { learner: string; parts: Part[] }[] = [];
  readonly posts: { tenant: string; channel: string; parts: Part[] }[] = [];
  fail?: (learner: string) => Error | undefined;
  delayMs = 0;

  constructor(readonly platform: Platform = "slack") {}

  async sendDm(learner: string, parts: Part[]): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const err = this.fail?.(learner);
    if (err) throw err;
    this.dms.push({ learner, parts });
  }

  async postToChannel(tenant: string, channel: string, parts: Part[]): Promise<void> {
    const err = this.fail?.(`${tenant}:${channel}`);
    if (err) throw err;
    this.posts.push({ tenant, channel, parts });
  }

  sentTo(learner: string): number {
    return this.dms.filter((d) => d.learner === learner).length;
  }
}

/** Polls `cond` until it holds (no timing assertions: only a generous give-up time). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
