import { RedisError } from "../errors.js";

/** Redis answers that mean the write was refused, not that the request was wrong. */
const REFUSED = /^(MISCONF|EXECABORT|OOM|READONLY|NOREPLICAS|MASTERDOWN|LOADING|BUSY)\b/;

/**
 * A failure to store something: a RedisError, a refused write (full disk, maxmemory,
 * read-only replica) or a lost connection. Nothing was saved, so the person may retry.
 */
export function isStorageFailure(err: unknown): boolean {
  if (err instanceof RedisError) return true;
  const e = err as { name?: unknown; message?: unknown } | undefined;
  if (!e || typeof e.message !== "string") return false;
  if (e.name === "ReplyError" && REFUSED.test(e.message)) return true;
  if (e.name === "MaxRetriesPerRequestError") return true;
  return e.message === "Connection is closed." || /^Stream isn't writeable/.test(e.message);
}

/** What a person is told when their answer or setting could not be stored. */
export const SAVE_FAILED = "Sorry, I couldn't save that — please try again in a moment.";
