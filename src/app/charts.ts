/**
 * The App's chart collaborator: renders a learner's stats charts and a team's weekly
 * board as PNGs, through a ChartCache and tryRender (a failing chart is logged and left
 * out; the text reply is sent without it).
 *
 * Cache keys: stats charts per learner, local day and data version (the review log's
 * length and last review time). A review changes the version, so the next `stats`
 * renders afresh without any invalidation hook; yesterday's and superseded entries age
 * out of the LRU. Board pictures per team and ISO week.
 */

import { ChartCache } from "../charts/cache.js";
import { tryRender, type WarnLogger } from "../charts/fallback.js";
import type { LeaderboardInput } from "../charts/leaderboard.js";
import type { ChartResult } from "../charts/render.js";
import type { ChartData } from "../core/chart-data.js";
import type { ChartImage } from "./reply.js";

export type StatsChartKind = "calendar" | "forecast" | "retention";

export interface StatsChartRequest {
  learner: string;
  /** The learner's local date, "YYYY-MM-DD". */
  date: string;
  /** Changes whenever the learner's reviews do (e.g. `${log.length}:${lastReview}`). */
  version: string;
  /** Computes the chart inputs; only called when a chart is not cached. */
  data: () => ChartData;
}

/** What App needs: stats charts for a learner, the board picture for a team. */
export interface ChartMaker {
  stats(req: StatsChartRequest): Promise<ChartImage[]>;
  board(tenant: string, input: LeaderboardInput): Promise<ChartImage[]>;
}

type Renderers = typeof import("../charts/index.js");
let renderers: Promise<Renderers> | undefined;
/**
 * ECharts and resvg are loaded on the first chart, not at startup: every CLI command
 * (`pyjs lookup`) and process start would otherwise pay for importing them.
 */
const loadRenderers = (): Promise<Renderers> => {
  renderers ??= import("../charts/index.js");
  return renderers;
};

export const STATS_CHARTS: readonly StatsChartKind[] = ["calendar", "forecast", "retention"];

const image = (kind: string, chart: ChartResult): ChartImage => ({
  name: `${kind}.png`,
  png: chart.png,
  alt: chart.alt,
  width: chart.width,
  height: chart.height,
});

export class Charts implements ChartMaker {
  constructor(
    private readonly log: WarnLogger,
    readonly cache: ChartCache = new ChartCache(),
  ) {}

  async stats(req: StatsChartRequest): Promise<ChartImage[]> {
    const { renderCalendar, renderForecast, renderRetention } = await loadRenderers();
    let data: ChartData | undefined;
    let failed = false;
    const input = (): ChartData | undefined => {
      if (!data && !failed) {
        data = tryRender(this.log, "stats-data", req.data, { learner: req.learner });
        failed = data === undefined;
      }
      return data;
    };
    const render: Record<StatsChartKind, (d: ChartData) => ChartResult | undefined> = {
      calendar: (d) => renderCalendar(d.calendar),
      forecast: (d) => renderForecast(d.forecast),
      retention: (d) => (d.retention ? renderRetention(d.retention) : undefined),
    };
    const out: ChartImage[] = [];
    for (const kind of STATS_CHARTS) {
      const chart = this.cache.getOrRender(
        { learner: req.learner, date: req.date, kind: `${kind}@${req.version}` },
        () => {
          const d = input();
          return d && tryRender(this.log, kind, () => render[kind](d), { learner: req.learner });
        },
      );
      if (chart) out.push(image(kind, chart));
    }
    return out;
  }

  async board(tenant: string, input: LeaderboardInput): Promise<ChartImage[]> {
    const { renderLeaderboard } = await loadRenderers();
    // The rows are part of the key: a finished week's board is final, but a key that
    // holds the content can never serve a stale picture.
    const kind = `leaderboard@${JSON.stringify(input.rows)}`;
    const chart = this.cache.getOrRender(
      { learner: `team:${tenant}`, date: input.week, kind },
      () => tryRender(this.log, "leaderboard", () => renderLeaderboard(input), { tenant }),
    );
    return chart ? [image("leaderboard", chart)] : [];
  }
}
