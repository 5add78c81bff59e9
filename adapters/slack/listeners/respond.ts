import type { RespondArguments, RespondFn } from "@slack/bolt";
import type { Logger } from "../../../src/logger.js";
import { isStorageFailure, SAVE_FAILED } from "../../../src/redis/failure.js";
import type { SlackMessage } from "../blocks.js";
import { slackErrorCode } from "../errors.js";

/** Said when a request failed on our side. */
export const SORRY = "Sorry, something went wrong on my side. Please try again in a moment.";

/** The apology for a failure on our side: "couldn't save that" when Redis refused it. */
export const sorryFor = (err: unknown): string => (isStorageFailure(err) ? SAVE_FAILED : SORRY);

/** A reply only the person sees (the apology when there is nothing to render). */
export const ephemeral = (msg: SlackMessage | undefined, replace = false): RespondArguments => ({
  response_type: "ephemeral",
  replace_original: replace,
  ...(msg ?? { text: SORRY }),
});

/** Runs `fn`, logging instead of throwing when it fails (for replies about a failure). */
export async function safely(log: Logger, what: string, fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (err) {
    log.warn({ err, code: slackErrorCode(err) }, `${what} failed`);
  }
}

/** Tells the person something through the request's response_url, if it has one. */
export const tell = (log: Logger, respond: RespondFn | undefined, text: string) =>
  safely(log, "telling the user", async () => {
    await respond?.({ response_type: "ephemeral", replace_original: false, text });
  });
