/**
 * Chart rendering cost: each chart rendered N times (BENCH_CHART_RUNS, default 40) after a
 * warm-up; median and p95 of the whole render (option → ECharts SSR SVG → resvg PNG) and of
 * the two stages, plus the PNG size. Goal: < 50 ms and < 60 KB per chart.
 * Standalone: `npx tsx bench/charts.ts`; also section 5 of `npm run bench` (full runs only).
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { calendarSpec } from "../src/charts/calendar.js";
import { forecastSpec } from "../src/charts/forecast.js";
import { leaderboardSpec } from "../src/charts/leaderboard.js";
import { type ChartSpec, svgToPng, toSvg } from "../src/charts/render.js";
import { retentionSpec } from "../src/charts/retention.js";
import {
  sampleCalendar,
  sampleForecast,
  sampleLeaderboard,
  sampleRetention,
} from "../src/charts/samples.js";
import { Table } from "./report.js";
import { Samples } from "./stats.js";

const CHARTS: [string, () => ChartSpec][] = [
  ["calendar", () => calendarSpec(sampleCalendar())],
  ["forecast", () => forecastSpec(sampleForecast())],
  ["retention", () => retentionSpec(sampleRetention())],
  ["leaderboard", () => leaderboardSpec(sampleLeaderboard())],
];

export function benchCharts(t: Table, runs = Number(process.env.BENCH_CHART_RUNS ?? 40)): void {
  for (const [kind, spec] of CHARTS) {
    const [total, cpu, svgStage, pngStage] = [
      new Samples(),
      new Samples(),
      new Samples(),
      new Samples(),
    ];
    let bytes = 0;
    for (let i = -3; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const svg = toSvg(spec());
      const t1 = performance.now();
      const png = svgToPng(svg);
      const t2 = performance.now();
      const c = process.cpuUsage(c0);
      bytes = png.length;
      if (i < 0) continue;
      cpu.push((c.user + c.system) / 1000);
      total.push(t2 - t0);
      svgStage.push(t1 - t0);
      pngStage.push(t2 - t1);
    }
    const split = `SVG ${svgStage.percentile(50).toFixed(1)} ms + PNG ${pngStage.percentile(50).toFixed(1)} ms; p95 ${total.percentile(95).toFixed(1)} ms`;
    t.add(`${kind}: median render`, total.percentile(50), "ms", split);
    t.add(`${kind}: median CPU time`, cpu.percentile(50), "ms", "user+system of the process");
    t.add(`${kind}: PNG size`, bytes / 1024, "KiB", "800×400");
  }
  t.note(`${runs} renders per chart after 3 warm-up renders, one thread, no cache`);
  t.note("goal: < 50 ms and < 60 KiB per chart");
  t.note(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")} on ${cpus().length} cores`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = new Table("Charts (ECharts SSR SVG → resvg PNG, bundled DejaVu Sans)");
  benchCharts(t);
  t.print();
}
