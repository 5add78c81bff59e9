/** `pyjs export --learner ID`: a learner's review log as CSV on stdout (FSRS optimizer layout). */

import type { Env } from "../config.js";
import { reviewsCsv } from "../core/export.js";
import { learner as learnerId } from "../core/learner.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { startRuntime } from "../runtime.js";

export const EXPORT_USAGE = "usage: pyjs export --learner ID > reviews.csv";

export function parseExportArgs(args: string[]): { learner: string } {
  const [flag, value, ...extra] = args;
  if (flag !== "--learner" || !value || value.startsWith("--") || extra.length > 0)
    throw new UsageError(EXPORT_USAGE);
  if (!learnerId.parse(value))
    throw new UsageError(
      `not a learner id: ${value} (slack:TEAM:USER, discord:USER or console:NAME)`,
    );
  return { learner: value };
}

/**
 * Connects like `pyjs start` (REDIS_URL, or the local redis-server), reads the learner's
 * log (amends folded, undone reviews left out) and writes the CSV to `out`; a count on
 * stderr, so a redirect holds only the CSV.
 */
export async function exportCommand(
  args: string[],
  env: Env,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const { learner } = parseExportArgs(args);
  const rt = await startRuntime(env, createLogger("warn"));
  try {
    const csv = reviewsCsv(await rt.stores.reviews.log(learner));
    out.write(csv.csv);
    err.write(`${csv.reviews} reviews of ${csv.cards} cards for ${learner}\n`);
    return 0;
  } finally {
    await rt.close();
  }
}
