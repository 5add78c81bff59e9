import { count, dayNumber, fromDayNumber } from "./dates.js";
import {
  type ChartOptions,
  type ChartResult,
  type ChartSpec,
  chartSize,
  renderSpec,
  THEME,
  titleOption,
} from "./render.js";

export interface RetentionDay {
  date: string;
  reviews: number;
  passed: number;
}

export interface RetentionInput {
  days: RetentionDay[];
  /** Desired retention as a fraction, e.g. 0.9. */
  desired: number;
}

const WINDOW = 7;

/** 7-day rolling retention in % per calendar day (gaps count as 0 reviews); null = no reviews. */
export function rollingRetention(days: RetentionDay[]): {
  dates: string[];
  pct: (number | null)[];
} {
  const byDay = new Map<number, [number, number]>();
  for (const d of days) {
    const reviews = count(d.reviews, `reviews on ${d.date}`);
    const passed = Math.min(reviews, count(d.passed, `passed on ${d.date}`));
    const prev = byDay.get(dayNumber(d.date)) ?? [0, 0];
    byDay.set(dayNumber(d.date), [prev[0] + reviews, prev[1] + passed]);
  }
  const keys = [...byDay.keys()];
  if (keys.length === 0) return { dates: [], pct: [] };
  const [first, last] = [Math.min(...keys), Math.max(...keys)];
  if (last - first > 730) throw new RangeError("retention spans more than two years");
  const dates: string[] = [];
  const pct: (number | null)[] = [];
  for (let day = first; day <= last; day++) {
    let [r, p] = [0, 0];
    for (let k = day - WINDOW + 1; k <= day; k++) {
      const v = byDay.get(k);
      if (v) [r, p] = [r + v[0], p + v[1]];
    }
    dates.push(fromDayNumber(day));
    pct.push(r > 0 ? Math.round((1000 * p) / r) / 10 : null);
  }
  return { dates, pct };
}

export function retentionSpec(input: RetentionInput, opts: ChartOptions = {}): ChartSpec {
  const { width, height } = chartSize(opts);
  if (!(input.desired > 0 && input.desired <= 1)) throw new RangeError("desired must be in (0, 1]");
  const desired = Math.round(input.desired * 1000) / 10;
  const { dates, pct } = rollingRetention(input.days);
  const known = pct.filter((v): v is number => v !== null);
  const latest = known.at(-1);
  const floor = Math.max(0, Math.floor((Math.min(desired, ...known) - 5) / 10) * 10);
  const head = latest === undefined ? "no reviews yet" : `${latest}% now`;
  const option = {
    title: titleOption(`Retention (7-day rolling): ${head}`, `Target ${desired}%`),
    grid: { left: 56, right: 36, top: 86, bottom: 44 },
    xAxis: {
      type: "category",
      data: dates.map((d) => d.slice(5)),
      boundaryGap: false,
      axisLabel: { color: THEME.muted, fontSize: 11 },
      axisLine: { lineStyle: { color: THEME.grid } },
    },
    yAxis: {
      type: "value",
      min: floor,
      max: 100,
      axisLabel: { color: THEME.muted, fontSize: 11, formatter: "{value}%" },
      splitLine: { lineStyle: { color: THEME.grid } },
    },
    series: [
      {
        type: "line",
        data: pct,
        connectNulls: false,
        showSymbol: dates.length <= 31,
        lineStyle: { color: THEME.good, width: 3 },
        itemStyle: { color: THEME.good },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: THEME.warn, type: "dashed", width: 2 },
          label: { formatter: `target ${desired}%`, color: THEME.warn, position: "insideEndTop" },
          data: [{ yAxis: desired }],
        },
      },
    ],
  };
  const range = dates.length ? ` from ${dates[0]} to ${dates.at(-1)}` : "";
  const stats = known.length
    ? `latest ${latest}%, lowest ${Math.min(...known)}%, highest ${Math.max(...known)}%`
    : "no reviews";
  const alt = `7-day rolling retention${range}: ${stats}; desired retention ${desired}%.`;
  return { option, alt, width, height };
}

/** Line of 7-day rolling retention with the desired retention as a dashed markLine. */
export function renderRetention(input: RetentionInput, opts: ChartOptions = {}): ChartResult {
  return renderSpec(retentionSpec(input, opts));
}
