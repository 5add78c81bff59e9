import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../src/app/messenger.js";

/**
 * Slack Web API errors that retrying cannot fix: the person, channel, workspace or token
 * is gone or out of reach, or the message itself is refused.
 */
export const PERMANENT_ERRORS = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "user_not_found",
  "users_not_found",
  "user_disabled",
  "account_inactive",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "team_access_not_granted",
  "restricted_action",
  "cannot_dm_bot",
  "user_is_bot",
  "messages_tab_disabled",
  "org_login_required",
  "ekm_access_denied",
  "access_denied",
  "invalid_blocks",
  "invalid_blocks_format",
  "msg_too_long",
  "no_text",
  "too_many_attachments",
]);

/** The short code of a Slack failure (`channel_not_found`, `http_503`, `ratelimited`, …). */
export function slackErrorCode(err: unknown): string {
  if (err instanceof DeliveryError) return err.code ?? "delivery_failed";
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number };
  if (e?.code === webApi.ErrorCode.PlatformError && e.data?.error) return e.data.error;
  if (e?.code === webApi.ErrorCode.RateLimitedError) return "ratelimited";
  if (e?.code === webApi.ErrorCode.HTTPError) return `http_${e.statusCode ?? "error"}`;
  if (e?.code === webApi.ErrorCode.RequestError) return "request_failed";
  return "unexpected";
}

/** Any failure of a Slack call as a DeliveryError: permanent or worth retrying later. */
export function toDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const code = slackErrorCode(err);
  return new DeliveryError(`Slack ${what} failed: ${code}`, PERMANENT_ERRORS.has(code), code);
}

/** What to tell a person when Slack refused something done on their behalf. */
export function politeError(err: unknown, doing: string): string {
  const code = slackErrorCode(err);
  switch (code) {
    case "channel_not_found":
    case "cannot_dm_bot":
    case "messages_tab_disabled":
    case "user_not_found":
      return `Sorry, I couldn't ${doing}: Slack says the conversation is not reachable (\`${code}\`). Make sure pyjs's Messages tab is on (open pyjs under Apps), then try again.`;
    case "not_in_channel":
    case "is_archived":
      return `Sorry, I couldn't ${doing}: I can't post in that channel (\`${code}\`). Invite pyjs with \`/invite @pyjs\` and try again.`;
    case "ratelimited":
      return `Slack asked me to slow down, so I couldn't ${doing}. Please try again in a minute.`;
    default:
      return `Sorry, I couldn't ${doing} because Slack answered \`${code}\`. Please try again in a moment.`;
  }
}
