/**
 * Chart rendering cost: each chart rendered N times (BENCH_CHART_RUNS, default 40) after a
 * warm-up; median and p95 of the whole render (option → ECharts SSR SVG → resvg PNG) and of
 * the two stages, plus the PNG size. Goal: < 50 ms and < 60 KB per chart.
 * Standalone: `npx tsx bench/charts.ts`; also section 5 of `npm run bench` (full runs only).
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { Charts } from "../src/app/charts.js";
import { progress } from "../src/app/progress.js";
import { loadDecks } from "../src/cards/load.js";
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
import { BUNDLED_CARDS_DIR } from "../src/config.js";
import { createScheduler, decodeState, encodeState } from "../src/core/scheduler.js";
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

/**
 * The `/pyjs stats` path (progress(): stats + chart data + charts) on in-memory stores, so
 * Redis round trips are left out: text only (no charts collaborator), a cold chart cache
 * (the day's first `stats`, or the first after a review) and a warm one (a repeat).
 * A learner of 26 weeks: ~25 reviews a day over 182 days, every deck card started.
 */
export async function benchStatsPath(t: Table, runs = Number(process.env.BENCH_CHART_RUNS ?? 40)) {
  const deck = loadDecks(BUNDLED_CARDS_DIR);
  const now = new Date("2026-11-29T12:00:00Z");
  const scheduler = createScheduler({ fuzz: false });
  const states: Record<string, string> = {};
  const log: {
    id: string;
    card: string;
    rating: number;
    review: number;
    elapsed: number;
    before: string;
  }[] = [];
  deck.cards.forEach((card, i) => {
    let st: ReturnType<typeof scheduler.review>["after"] | undefined;
    for (let k = 0; k < 4; k++) {
      const when = new Date(now.getTime() - (170 - k * 40 - (i % 30)) * 86_400_000);
      const rating = (i + k) % 9 === 0 ? 1 : 3;
      st = scheduler.review(st, rating as 1 | 3, when).after;
      log.push({
        id: `${log.length}-0`,
        card: card.id,
        rating,
        review: when.getTime(),
        elapsed: 0,
        before: "",
      });
    }
    if (st) states[card.id] = encodeState(st);
  });
  while (log.length < 182 * 25) {
    const r = log[log.length % deck.cards.length] as (typeof log)[number];
    log.push({ ...r, id: `${log.length}-0`, review: r.review - (log.length % 5) * 3_600_000 });
  }
  log.sort((a, b) => a.review - b.review);
  const quiet = { warn: () => undefined };
  const deps = (charts: Charts | undefined) =>
    ({
      deck,
      settings: { get: async () => ({ streak: 12, lastSessionDay: "2026-11-29" }) },
      reviews: { states: async () => states, log: async () => log },
      defaultTz: "Europe/Berlin",
      decode: (_l: string, raw: Record<string, string>) =>
        new Map(Object.entries(raw).map(([k, v]) => [k, decodeState(v)])),
      charts,
      desiredRetention: 0.9,
    }) as unknown as Parameters<typeof progress>[0];
  const actor = { learner: "slack:T1:U1", platform: "slack" as const };
  const time = async (
    label: string,
    n: number,
    make: () => Charts | undefined,
    note: string,
    reuse = false,
  ) => {
    const samples = new Samples();
    const cpu = new Samples();
    const shared = make();
    for (let i = -2; i < n; i++) {
      const charts = reuse ? shared : make();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await progress(deps(charts), actor, now);
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      const part = r.parts[0];
      if (charts && part?.kind === "stats" && (part.images?.length ?? 0) < 3)
        throw new Error("a chart failed to render");
      if (i >= 0) {
        samples.push(ms);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    t.add(
      `stats path, ${label}: median`,
      samples.percentile(50),
      "ms",
      `${note}; p95 ${samples.percentile(95).toFixed(1)} ms; median CPU ${cpu.percentile(50).toFixed(1)} ms`,
    );
  };
  await time("text only", runs, () => undefined, "no charts collaborator");
  await time(
    "cold cache",
    Math.max(5, Math.round(runs / 4)),
    () => new Charts(quiet),
    "renders calendar + forecast + retention",
  );
  await time(
    "warm cache",
    runs,
    () => new Charts(quiet),
    "the same learner, day and review count",
    true,
  );
  t.note(
    `stats path: ${log.length} reviews, ${Object.keys(states).length} card states, in-memory stores (no Redis)`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t = new Table("Charts (ECharts SSR SVG → resvg PNG, bundled DejaVu Sans)");
  benchCharts(t);
  await benchStatsPath(t);
  t.print();
}
