/** `pyjs stats --png FILE --learner ID`: a learner's stats charts from their stored data. */

import { writeFile } from "node:fs/promises";
import { streakToday } from "../app/quiz.js";
import type { ChartResult } from "../charts/render.js";
import type { Env } from "../config.js";
import { type ChartData, chartData } from "../core/chart-data.js";
import { learner as learnerId } from "../core/learner.js";
import { type CardState, decodeState } from "../core/scheduler.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { startRuntime } from "../runtime.js";
import type { ReviewStore } from "../store/reviews.js";
import type { SettingsStore } from "../store/settings.js";

export const STATS_USAGE = "usage: pyjs stats --png FILE --learner ID";

export function parseStatsArgs(args: string[]): { file: string; learner: string } {
  let file: string | undefined;
  let learner: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if ((args[i] === "--png" || args[i] === "--learner") && (!value || value.startsWith("--")))
      throw new UsageError(`${args[i]} needs a value\n${STATS_USAGE}`);
    if (args[i] === "--png") file = value;
    else if (args[i] === "--learner") learner = value;
    else throw new UsageError(`unknown argument: ${args[i]}\n${STATS_USAGE}`);
    i++;
  }
  if (!file || !learner) throw new UsageError(STATS_USAGE);
  if (!learnerId.parse(learner))
    throw new UsageError(
      `not a learner id: ${learner} (slack:TEAM:USER, discord:USER or console:NAME)`,
    );
  return { file, learner };
}

/** The chart inputs from a learner's stored settings, card states and review log. */
export async function storedChartData(
  stores: { settings: Pick<SettingsStore, "get">; reviews: Pick<ReviewStore, "states" | "log"> },
  learner: string,
  now: Date,
  opts: { defaultTz?: string; desiredRetention: number },
): Promise<{ data: ChartData; reviews: number }> {
  const [settings, raw, log] = await Promise.all([
    stores.settings.get(learner),
    stores.reviews.states(learner),
    stores.reviews.log(learner),
  ]);
  const tz = settings.tz ?? opts.defaultTz ?? "UTC";
  const states: CardState[] = [];
  for (const s of Object.values(raw)) {
    try {
      states.push(decodeState(s));
    } catch {
      // An unreadable state is left out of the forecast (the quiz logs and skips it too).
    }
  }
  const data = chartData({
    log,
    states,
    now,
    tz,
    streak: streakToday(settings, now, tz),
    desiredRetention: opts.desiredRetention,
  });
  return { data, reviews: log.length };
}

/** Writes the stacked stats PNG (calendar, forecast, retention when there are reviews). */
export async function writeLearnerStatsPng(
  stores: Parameters<typeof storedChartData>[0],
  learner: string,
  file: string,
  now: Date,
  opts: Parameters<typeof storedChartData>[3],
): Promise<ChartResult & { reviews: number }> {
  const { data, reviews } = await storedChartData(stores, learner, now, opts);
  // Loaded here, not at CLI startup (ECharts and resvg are heavy to import).
  const { renderStatsPng } = await import("../charts/cli.js");
  const chart = renderStatsPng(data);
  await writeFile(file, chart.png);
  return { ...chart, reviews };
}

/** The CLI command: connects like `pyjs start` (REDIS_URL, or the local redis-server). */
export async function statsCommand(args: string[], env: Env): Promise<number> {
  const { file, learner } = parseStatsArgs(args);
  const rt = await startRuntime(env, createLogger("warn"));
  try {
    const out = await writeLearnerStatsPng(rt.stores, learner, file, new Date(), {
      desiredRetention: env.PYJS_RETENTION,
    });
    process.stdout.write(
      `Wrote ${file} (${out.width}×${out.height}, ${out.reviews} reviews): ${out.alt}\n`,
    );
    return 0;
  } finally {
    await rt.close();
  }
}
