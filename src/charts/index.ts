/** Chart rendering for pyjs: plain data in, chat-sized PNG + alt text out. */
import { type CalendarInput, renderCalendar } from "./calendar.js";
import { tryRender, type WarnLogger } from "./fallback.js";
import { type ForecastInput, renderForecast } from "./forecast.js";
import type { ChartOptions, ChartResult } from "./render.js";
import { type RetentionInput, renderRetention } from "./retention.js";

export { ChartCache, type ChartCacheKey, type ChartCacheOptions } from "./cache.js";
export { type CalendarInput, calendarSpec, renderCalendar } from "./calendar.js";
export { tryRender, type WarnLogger } from "./fallback.js";
export { type ForecastInput, forecastSpec, renderForecast } from "./forecast.js";
export { type LeaderboardInput, leaderboardSpec, renderLeaderboard } from "./leaderboard.js";
export type { ChartOptions, ChartResult, ChartSpec } from "./render.js";
export {
  type RetentionDay,
  type RetentionInput,
  renderRetention,
  retentionSpec,
} from "./retention.js";

/** What `/pyjs stats` and `pyjs stats --png` chart for one learner. */
export interface StatsChartsInput {
  calendar: CalendarInput;
  forecast: ForecastInput;
  retention?: RetentionInput | undefined;
}

export interface StatsCharts {
  calendar: ChartResult | undefined;
  forecast: ChartResult | undefined;
  retention: ChartResult | undefined;
}

/** Each stats chart through tryRender: a failing chart is undefined (and logged), never a throw. */
export function renderStatsCharts(
  input: StatsChartsInput,
  log: WarnLogger,
  opts: ChartOptions = {},
): StatsCharts {
  const { retention } = input;
  return {
    calendar: tryRender(log, "calendar", () => renderCalendar(input.calendar, opts)),
    forecast: tryRender(log, "forecast", () => renderForecast(input.forecast, opts)),
    retention: retention && tryRender(log, "retention", () => renderRetention(retention, opts)),
  };
}
