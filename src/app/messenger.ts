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

export { DeliveryError } from "../errors.js";
