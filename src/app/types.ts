/** Types every app module and adapter shares: who asks, from where, and what they did. */
import type { Grade } from "../core/scheduler.js";

export type Platform = "slack" | "discord" | "console";

/** Who is asking, as the adapter knows them. */
export interface Actor {
  /** Learner id: `slack:{team}:{user}`, `discord:{user}`, `console:{name}`. */
  learner: string;
  platform: Platform;
  /** Slack workspace or Discord server, when the request came from one. */
  tenant?: string | undefined;
  /** Time zone the platform knows for this person (Slack's users.info), if any. */
  tz?: string | undefined;
  /** May pick the leaderboard channel (Slack admin/owner, Discord Manage Server). */
  isAdmin?: boolean | undefined;
  /** Channel the request came from. */
  channel?: string | undefined;
  /** Display name, for leaderboards (never a mention). */
  name?: string | undefined;
}

export type Action =
  | { type: "show"; promptId: string }
  | { type: "rate"; promptId: string; rating: Grade }
  | { type: "answer"; promptId: string; text: string }
  | { type: "command"; text: string }
  | { type: "forget-confirm" }
  /** "I was right": the typed answer graded Again/Hard counts as Good. */
  | { type: "right"; promptId: string }
  /** Undo (result), Skip and Don't ask again (question) buttons: see app/controls.ts. */
  | { type: "undo"; promptId: string }
  | { type: "skip"; promptId: string }
  | { type: "suspend"; promptId: string };
