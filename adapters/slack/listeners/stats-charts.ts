import { slackImages } from "../charts.js";
import { slackErrorCode } from "../errors.js";
import type { Who } from "../people.js";
import type { ListenerDeps } from "./deps.js";

/**
 * After `/pyjs stats` was answered (ephemeral text, acknowledged within Slack's 3 s), the
 * learner's calendar and forecast are rendered and posted into their DM. Never throws.
 */
export async function statsChartsToDm(deps: ListenerDeps, w: Who): Promise<void> {
  try {
    const r = await deps.app.handleCommand(w.actor, "stats", deps.now());
    const images = slackImages(r.parts);
    if (images.length)
      await deps.sender.uploadImages(w.team, await deps.dms.open(w.team, w.user), images);
  } catch (err) {
    deps.log.warn(
      { user: w.user, err, code: slackErrorCode(err) },
      "could not post the stats charts to the DM",
    );
  }
}
