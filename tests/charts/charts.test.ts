import { describe, expect, it } from "vitest";
import {
  type ChartResult,
  renderCalendar,
  renderForecast,
  renderLeaderboard,
  renderRetention,
} from "../../src/charts/index.js";
import { rollingRetention } from "../../src/charts/retention.js";
import {
  sampleCalendar,
  sampleForecast,
  sampleLeaderboard,
  sampleRetention,
} from "../../src/charts/samples.js";
import { decode, luminanceStdDev } from "./png.js";

const charts: [string, () => ChartResult][] = [
  ["calendar", () => renderCalendar(sampleCalendar())],
  ["forecast", () => renderForecast(sampleForecast())],
  ["retention", () => renderRetention(sampleRetention())],
  ["leaderboard", () => renderLeaderboard(sampleLeaderboard())],
];

describe("every chart", () => {
  it.each(charts)("%s: a valid 800×400 PNG with real content", (_kind, render) => {
    const chart = render();
    expect(chart.width).toBe(800);
    expect(chart.height).toBe(400);
    const img = decode(chart.png);
    expect([img.width, img.height]).toEqual([800, 400]);
    expect(luminanceStdDev(img)).toBeGreaterThan(15);
    expect(chart.png.length).toBeLessThan(60 * 1024);
    expect(chart.alt.length).toBeGreaterThan(40);
  });

  it("honours width/height options (clamped to 200–2000)", () => {
    const small = renderForecast(sampleForecast(), { width: 600, height: 300 });
    expect(decode(small.png)).toMatchObject({ width: 600, height: 300 });
    const huge = renderForecast(sampleForecast(), { width: 99_999, height: 1 });
    expect(decode(huge.png)).toMatchObject({ width: 2000, height: 200 });
  });

  it("draws text with the bundled font (the title's dark pixels exist)", () => {
    const img = decode(renderForecast(sampleForecast()).png);
    let dark = 0;
    for (let y = 14; y < 45; y++) {
      for (let x = 20; x < 400; x++) if ((img.data[(y * img.width + x) * 4] ?? 255) < 80) dark++;
    }
    expect(dark).toBeGreaterThan(300);
  });
});

describe("forecast", () => {
  it("states the numbers in the alt text", () => {
    const due = Array.from({ length: 30 }, (_, i) => (i === 4 ? 57 : i % 3));
    const { alt } = renderForecast({ start: "2026-03-01", due });
    const total = due.reduce((a, b) => a + b, 0);
    expect(alt).toContain(`${total} cards in total`);
    expect(alt).toContain("busiest day 2026-03-05 with 57 cards");
    expect(alt).toContain(due.join(", "));
  });

  it("renders an all-zero forecast", () => {
    const chart = renderForecast({ start: "2026-03-01", due: Array(30).fill(0) });
    expect(decode(chart.png).width).toBe(800);
    expect(chart.alt).toContain("0 cards in total");
  });
});

describe("retention", () => {
  it("computes a 7-day rolling rate over calendar days, gaps included", () => {
    const { dates, pct } = rollingRetention([
      { date: "2026-01-01", reviews: 10, passed: 9 },
      { date: "2026-01-03", reviews: 10, passed: 7 },
      { date: "2026-01-09", reviews: 0, passed: 0 },
    ]);
    expect(dates).toHaveLength(9);
    expect(pct[0]).toBe(90);
    expect(pct[2]).toBe(80);
    expect(pct[7]).toBe(70); // 01-01 left the window
    expect(pct[8]).toBe(70);
  });

  it("states latest, lowest, highest and desired in the alt text", () => {
    const { alt } = renderRetention({
      days: [
        { date: "2026-01-01", reviews: 10, passed: 9 },
        { date: "2026-01-02", reviews: 10, passed: 5 },
      ],
      desired: 0.85,
    });
    expect(alt).toContain("latest 70%");
    expect(alt).toContain("lowest 70%");
    expect(alt).toContain("highest 90%");
    expect(alt).toContain("desired retention 85%");
  });

  it("renders with no reviews at all", () => {
    const chart = renderRetention({ days: [], desired: 0.9 });
    expect(decode(chart.png).height).toBe(400);
    expect(chart.alt).toContain("no reviews");
  });
});
