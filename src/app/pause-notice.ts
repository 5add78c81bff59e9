import type { SettingsStore } from "../store/settings.js";
import type { Part } from "./reply.js";
import type { Actor, Platform } from "./types.js";

/** Slack codes for a DM the person (or their Slack) refuses: the Messages tab is off. */
const SLACK_DM_CLOSED = new Set(["cannot_dm_bot", "messages_tab_disabled", "channel_not_found"]);
/** Slack codes for an account Slack no longer lets anyone message. */
const SLACK_ACCOUNT_GONE = new Set([
  "user_not_found",
  "users_not_found",
  "user_disabled",
  "account_inactive",
]);
/** Slack codes for the app's own install (token, scopes): only an admin can fix those. */
const SLACK_INSTALL = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "missing_scope",
  "no_permission",
  "team_access_not_granted",
]);
/** Discord JSON error codes: 50007 DMs closed, 50033/10013 the user is gone. */
const DISCORD_DM_CLOSED = new Set(["50007"]);
const DISCORD_USER_GONE = new Set(["50033", "10013"]);

const RESUME = "`/pyjs resume` starts the daily quiz again (or `/pyjs subscribe` with a new time)";

/**
 * Why a learner's daily quiz stopped, in words they can act on: the platform's code
 * (stored as `pausedReason` by the delivery job) and how to get the quiz back.
 */
export function pauseExplanation(platform: Platform, reason: string): string {
  const head = `Your daily quiz is paused: I could not send it to your direct messages (${platform === "discord" ? "Discord" : "Slack"} answered \`${reason}\`).`;
  if (platform === "discord") {
    if (DISCORD_DM_CLOSED.has(reason))
      return `${head} Discord refuses DMs from me: direct messages from server members are off for you (User Settings → Privacy & Safety, or this server's Privacy Settings), or we no longer share a server. Allow them, then ${RESUME}.`;
    if (DISCORD_USER_GONE.has(reason))
      return `${head} Discord no longer finds your account. ${RESUME}.`;
  } else {
    if (SLACK_DM_CLOSED.has(reason))
      return `${head} Slack won't let me message you: turn on pyjs's Messages tab (open pyjs under Apps → About → "Allow users to send messages", or ask an admin), then ${RESUME}.`;
    if (SLACK_ACCOUNT_GONE.has(reason))
      return `${head} Slack reported your account as deactivated or not found at the time. ${RESUME}.`;
    if (SLACK_INSTALL.has(reason))
      return `${head} pyjs's install in this workspace lost access; ask a workspace admin to reinstall pyjs, then ${RESUME}.`;
  }
  return `${head} ${RESUME}.`;
}

/**
 * The one-time notice for a learner whose daily DM was refused: told at their next
 * `/pyjs` (a channel's reply is only for them), once — `pausedNotified` is set then and
 * cleared whenever a delivery pauses the quiz again.
 */
export class PauseNotices {
  constructor(private readonly settings: SettingsStore) {}

  async pending(actor: Actor): Promise<Part | undefined> {
    if (actor.platform === "console") return undefined;
    const s = await this.settings.get(actor.learner);
    if (!s.paused || !s.pausedReason || s.pausedNotified) return undefined;
    await this.settings.update(actor.learner, { pausedNotified: true });
    return { kind: "text", text: pauseExplanation(actor.platform, s.pausedReason) };
  }
}
