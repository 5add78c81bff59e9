import { DiscordAPIError, type Interaction, RESTJSONErrorCodes } from "discord.js";
import type { Logger } from "../../../src/logger.js";
import { isStorageFailure, SAVE_FAILED } from "../../../src/redis/failure.js";
import { errInfo } from "../errors.js";
import { NO_MENTIONS } from "../render.js";
import { EPHEMERAL } from "./reply.js";

function apiCode(err: unknown): number | string | undefined {
  return err instanceof DiscordAPIError ? err.code : undefined;
}

/**
 * Runs an interaction handler so nothing escapes: an interaction that expired is only
 * logged; any other failure is logged and the user gets an ephemeral apology.
 */
export async function guard(log: Logger, i: Interaction, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const code = apiCode(err);
    if (
      code === RESTJSONErrorCodes.UnknownInteraction ||
      code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged
    ) {
      log.warn({ interaction: i.id, code }, "interaction expired before it was answered");
      return;
    }
    log.error(
      { err: errInfo(err), interaction: i.id, user: i.user.id },
      "discord interaction failed",
    );
    await apologise(log, i, err);
  }
}

/** What a person is told when handling their interaction or message failed. */
export function apologyFor(err: unknown): string {
  return isStorageFailure(err)
    ? SAVE_FAILED
    : "Sorry, something went wrong on my side. Please try again.";
}

async function apologise(log: Logger, i: Interaction, err: unknown): Promise<void> {
  if (!i.isRepliable()) return;
  const body = { content: apologyFor(err), allowedMentions: NO_MENTIONS };
  try {
    if (i.deferred && !i.replied) await i.editReply(body);
    else if (i.replied) await i.followUp({ ...body, flags: EPHEMERAL });
    else await i.reply({ ...body, flags: EPHEMERAL });
  } catch (again) {
    log.warn({ err: errInfo(again), interaction: i.id }, "could not report the failure");
  }
}
