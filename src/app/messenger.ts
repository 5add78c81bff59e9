import type { Part } from "./reply.js";
import type { Platform } from "./types.js";

/**
 * The port every chat adapter implements so jobs (daily delivery, weekly leaderboard)
 * can reach people without knowing the platform.
 */
export interface Messenger {
  readonly platform: Platform;
  /** Sends parts to the learner's direct messages (questions get their buttons). */
  sendDm(learner: string, parts: Part[]): Promise<void>;
  /** Posts parts in a channel of a team (Slack workspace / Discord server). */
  postToChannel(tenant: string, channel: string, parts: Part[]): Promise<void>;
}

/**
 * A failed delivery. `permanent` ones (user gone, DMs closed, token revoked, channel
 * not postable) are not retried: the subscription or post is paused instead.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}
