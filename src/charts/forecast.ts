import { addDays, count, dayMonth, dayNumber, plural, shortLabel } from "./dates.js";
import {
  type ChartOptions,
  type ChartResult,
  type ChartSpec,
  chartSize,
  renderSpec,
  THEME,
  titleOption,
} from "./render.js";

export interface ForecastInput {
  /** Local date of the first bar (normally today). */
  start: string;
  /** Cards due on each day from `start` on (30 values for the 30-day forecast). */
  due: number[];
}

export function forecastSpec(input: ForecastInput, opts: ChartOptions = {}): ChartSpec {
  const { width, height } = chartSize(opts);
  dayNumber(input.start);
  if (!Array.isArray(input.due) || input.due.length < 1 || input.due.length > 120) {
    throw new RangeError("due must hold 1–120 daily counts");
  }
  const due = input.due.map((n, i) => count(n, `due[${i}]`));
  const dates = due.map((_, i) => addDays(input.start, i));
  const total = due.reduce((s, n) => s + n, 0);
  const peak = due.reduce((best, n, i) => (n > (due[best] ?? 0) ? i : best), 0);
  const days = plural(due.length, "day");
  const peakDate = dates[peak] ?? input.start;
  const summary =
    total > 0
      ? `Today ${due[0] ?? 0} · busiest ${shortLabel(peakDate)} (${due[peak] ?? 0})`
      : "Nothing due: add cards or review ahead";
  const option = {
    title: titleOption(`Due in the next ${days}: ${plural(total, "card")}`, summary),
    grid: { left: 56, right: 28, top: 86, bottom: 44 },
    xAxis: {
      type: "category",
      data: dates.map((d, i) => (i === 0 ? "Today" : dayMonth(d))),
      axisLabel: { color: THEME.muted, fontSize: 11 },
      axisLine: { lineStyle: { color: THEME.grid } },
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      type: "value",
      minInterval: 1,
      axisLabel: { color: THEME.muted, fontSize: 11 },
      splitLine: { lineStyle: { color: THEME.grid } },
    },
    series: [
      {
        type: "bar",
        data: due,
        barMaxWidth: 28,
        itemStyle: { color: THEME.accent, borderRadius: [3, 3, 0, 0] },
        label: { show: due.length <= 40, position: "top", color: THEME.text, fontSize: 10 },
      },
    ],
  };
  const alt = `Cards due over the ${days} from ${input.start}: ${plural(total, "card")} in total${
    total > 0
      ? `, ${due[0] ?? 0} today, busiest day ${peakDate} with ${plural(due[peak] ?? 0, "card")}`
      : ""
  }. Per day: ${due.join(", ")}.`;
  return { option, alt, width, height };
}

/** Bars of cards due per day. */
export function renderForecast(input: ForecastInput, opts: ChartOptions = {}): ChartResult {
  return renderSpec(forecastSpec(input, opts));
}
