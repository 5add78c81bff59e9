import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from "discord.js";
import { DeliveryError } from "../../src/app/messenger.js";

/** JSON error codes that no retry will fix: the user, channel or token is the problem. */
export const PERMANENT_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser, // 50007: DMs closed or no shared server
  RESTJSONErrorCodes.UnknownChannel, // 10003
  RESTJSONErrorCodes.UnknownUser, // 10013
  RESTJSONErrorCodes.InvalidRecipients, // 50033: opening a DM with a user who is gone
  RESTJSONErrorCodes.MissingAccess, // 50001
  RESTJSONErrorCodes.MissingPermissions, // 50013
  RESTJSONErrorCodes.Unauthorized, // 40001
]);

/** The user's DMs are closed to the bot (Discord's error 50007). */
export function isDmClosed(err: unknown): boolean {
  return (
    err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser
  );
}

/** Maps a discord.js failure to the Messenger port's error (permanent ones are not retried). */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === "number" ? err.code : undefined;
    const permanent = (code !== undefined && PERMANENT_CODES.has(code)) || err.status === 401;
    return new DeliveryError(
      `Discord ${err.method.toUpperCase()} failed: ${err.message}`,
      permanent,
      String(err.code),
    );
  }
  if (err instanceof HTTPError) {
    return new DeliveryError(
      `Discord ${err.method.toUpperCase()} failed: HTTP ${err.status}`,
      err.status === 401,
      String(err.status),
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError(`Discord delivery failed: ${message}`, false);
}

/** Interaction and webhook tokens in a URL, replaced (they authorise replies for 15 minutes). */
export function redactUrl(url: string): string {
  return url.replace(/\/(interactions|webhooks)\/(\d+)\/[^/?]+/g, "/$1/$2/[token]");
}

/** A failure as a log field: API errors without request bodies or interaction tokens. */
export function errInfo(err: unknown): unknown {
  if (err instanceof DiscordAPIError || err instanceof HTTPError) {
    return {
      type: err.name,
      message: err.message,
      status: err.status,
      method: err.method,
      url: redactUrl(err.url),
      ...(err instanceof DiscordAPIError ? { code: err.code } : {}),
    };
  }
  return err;
}
