import { exportFileName, reviewsCsv } from "../core/export.js";
import type { ReviewStore } from "../store/reviews.js";
import { type Reply, reply, text } from "./reply.js";

/**
 * `export`: the learner's review log as a CSV file in the FSRS optimizer layout
 * (core/export.ts), amends folded and undone reviews left out, as the log readers do.
 * Adapters deliver the file: Slack uploads it to the DM, Discord attaches it to the
 * reply, the terminal writes it to the current folder.
 */
export async function exportReviews(
  reviews: Pick<ReviewStore, "log">,
  learner: string,
): Promise<Reply> {
  const out = reviewsCsv(await reviews.log(learner));
  if (out.reviews === 0) return text("No reviews to export yet. Type `quiz` to start.");
  return reply({
    kind: "export",
    file: { name: exportFileName(learner), csv: out.csv, reviews: out.reviews, cards: out.cards },
  });
}
