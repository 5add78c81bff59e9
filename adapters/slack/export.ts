import type { webApi } from "@slack/bolt";
import type { ExportFile, Part } from "../../src/app/reply.js";

/** The review-log files of reply parts (`export`). */
export function slackExports(parts: Part[]): ExportFile[] {
  return parts.flatMap((p) => (p.kind === "export" ? [p.file] : []));
}

/**
 * Uploads a review-log CSV into a conversation (the learner's DM) with files.uploadV2
 * (scope files:write, as the stats charts). Throws when Slack refuses: the file is the
 * whole answer, so the caller tells the learner.
 */
export async function uploadExport(
  client: webApi.WebClient,
  channel: string,
  file: ExportFile,
): Promise<void> {
  await client.files.uploadV2({
    channel_id: channel,
    file: Buffer.from(file.csv, "utf8"),
    filename: file.name,
    title: "Your pyjs review log",
    initial_comment: `Your review log: ${file.reviews} review(s) of ${file.cards} card(s), in the CSV layout the FSRS optimizer tools read.`,
  });
}
