import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeStatsPng } from "../../src/charts/cli.js";
import {
  ChartCache,
  type ChartResult,
  renderCalendar,
  renderForecast,
  renderLeaderboard,
  renderRetention,
  renderStatsCharts,
  tryRender,
} from "../../src/charts/index.js";
import { sampleCalendar, sampleForecast, sampleRetention } from "../../src/charts/samples.js";
import { decode } from "./png.js";

function recorder() {
  const warnings: { obj: object; msg: string }[] = [];
  return { warnings, warn: (obj: object, msg: string) => void warnings.push({ obj, msg }) };
}

const bad: [string, () => ChartResult][] = [
  ["calendar: bad today", () => renderCalendar({ days: {}, today: "yesterday", streak: 0 })],
  ["calendar: impossible date", () => renderCalendar({ days: {}, today: "2026-02-30", streak: 0 })],
  [
    "calendar: NaN count",
    () => renderCalendar({ days: { "2026-01-01": Number.NaN }, today: "2026-01-02", streak: 0 }),
  ],
  [
    "calendar: negative streak",
    () => renderCalendar({ days: {}, today: "2026-01-02", streak: -1 }),
  ],
  ["forecast: empty", () => renderForecast({ start: "2026-01-01", due: [] })],
  ["forecast: negative", () => renderForecast({ start: "2026-01-01", due: [1, -2] })],
  [
    "forecast: not an array",
    () => renderForecast({ start: "2026-01-01", due: null as unknown as number[] }),
  ],
  ["retention: desired 1.5", () => renderRetention({ days: [], desired: 1.5 })],
  [
    "retention: bad date",
    () => renderRetention({ days: [{ date: "x", reviews: 1, passed: 1 }], desired: 0.9 }),
  ],
  [
    "leaderboard: Infinity points",
    () => renderLeaderboard({ week: "W", rows: [{ name: "a", points: Infinity }] }),
  ],
];

describe("tryRender", () => {
  it.each(bad)("%s → undefined and one warning", (_name, render) => {
    const log = recorder();
    expect(tryRender(log, "chart", render, { learner: "u1" })).toBeUndefined();
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]?.obj).toMatchObject({ chart: "chart", learner: "u1" });
    expect((log.warnings[0]?.obj as { err?: unknown } | undefined)?.err).toBeInstanceOf(Error);
  });

  it("passes a good result through without logging", () => {
    const log = recorder();
    const chart = tryRender(log, "forecast", () => renderForecast(sampleForecast()));
    expect(chart?.png.length).toBeGreaterThan(1000);
    expect(log.warnings).toHaveLength(0);
  });

  it("never throws, even when the logger does", () => {
    const log = {
      warn: () => {
        throw new Error("logger down");
      },
    };
    expect(
      tryRender(log, "x", () => {
        throw new Error("boom");
      }),
    ).toBeUndefined();
  });

  it("renderStatsCharts keeps the charts that render and drops the one that fails", () => {
    const log = recorder();
    const out = renderStatsCharts(
      {
        calendar: sampleCalendar(),
        forecast: { start: "nope", due: [1] },
        retention: sampleRetention(),
      },
      log,
    );
    expect(out.calendar?.width).toBe(800);
    expect(out.forecast).toBeUndefined();
    expect(out.retention?.alt).toContain("retention");
    expect(log.warnings.map((w) => (w.obj as { chart: string }).chart)).toEqual(["forecast"]);
  });
});

describe("ChartCache", () => {
  const chart = (n: number): ChartResult => ({
    png: Buffer.alloc(n),
    width: 1,
    height: 1,
    alt: `${n}`,
  });
  const key = (learner: string, kind = "calendar", date = "2026-01-01") => ({
    learner,
    date,
    kind,
  });

  it("renders once per learner, local date and kind", () => {
    const cache = new ChartCache();
    let renders = 0;
    const render = () => chart(++renders);
    expect(cache.getOrRender(key("a"), render)?.alt).toBe("1");
    expect(cache.getOrRender(key("a"), render)?.alt).toBe("1");
    expect(cache.getOrRender(key("a", "forecast"), render)?.alt).toBe("2");
    expect(cache.getOrRender(key("a", "calendar", "2026-01-02"), render)?.alt).toBe("3");
    expect(cache.getOrRender(key("b"), render)?.alt).toBe("4");
    expect(renders).toBe(4);
  });

  it("does not cache a failed render", () => {
    const cache = new ChartCache();
    expect(cache.getOrRender(key("a"), () => undefined)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.getOrRender(key("a"), () => chart(1))?.alt).toBe("1");
  });

  it("evicts least recently used charts past the byte budget", () => {
    const cache = new ChartCache({ maxBytes: 300 });
    cache.set(key("a"), chart(100));
    cache.set(key("b"), chart(100));
    cache.get(key("a"));
    cache.set(key("c"), chart(150));
    expect(cache.get(key("b"))).toBeUndefined();
    expect(cache.get(key("a"))?.alt).toBe("100");
    expect(cache.get(key("c"))?.alt).toBe("150");
  });

  it("invalidate drops one learner's charts only (ids with separators stay distinct)", () => {
    const cache = new ChartCache();
    cache.set(key("a"), chart(1));
    cache.set(key("a", "forecast"), chart(2));
    cache.set(key("a|x"), chart(3));
    cache.set(key("b"), chart(4));
    cache.invalidate("a");
    expect(cache.size).toBe(2);
    expect(cache.get(key("a|x"))?.alt).toBe("3");
  });
});

describe("writeStatsPng", () => {
  it("writes one PNG: calendar above forecast (800×808)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "pyjs-charts-")), "stats.png");
    await writeStatsPng(file, { calendar: sampleCalendar(), forecast: sampleForecast() });
    expect(decode(readFileSync(file))).toMatchObject({ width: 800, height: 808 });
  });

  it("adds the retention panel when given (800×1216)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "pyjs-charts-")), "stats.png");
    await writeStatsPng(file, {
      calendar: sampleCalendar(),
      forecast: sampleForecast(),
      retention: sampleRetention(),
    });
    expect(decode(readFileSync(file))).toMatchObject({ width: 800, height: 1216 });
  });

  it("rejects bad data instead of writing a file", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "pyjs-charts-")), "stats.png");
    await expect(
      writeStatsPng(file, { calendar: sampleCalendar(), forecast: { start: "x", due: [1] } }),
    ).rejects.toThrow(RangeError);
  });
});
