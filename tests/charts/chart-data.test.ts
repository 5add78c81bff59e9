import { createEmptyCard } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { chartData, FORECAST_DAYS, lastDays } from "../../src/core/chart-data.js";
import { type CardState, State } from "../../src/core/scheduler.js";

const at = (iso: string) => new Date(iso).getTime();
const card = (state: State, due: string): CardState => ({
  ...createEmptyCard<CardState>(new Date("2026-01-01T00:00:00Z")),
  state,
  due: new Date(due),
});

describe("chartData (pure: log + states + now + tz → chart inputs)", () => {
  // Europe/Berlin springs forward on Sunday 2026-03-29 at 02:00 (UTC+1 → UTC+2).
  const tz = "Europe/Berlin";
  const now = new Date("2026-03-30T10:00:00Z"); // Mon 30 Mar, 12:00 CEST

  it("buckets reviews by the learner's local day across the DST change", () => {
    const log = [
      { card: "a", rating: 3, review: at("2026-03-28T22:30:00Z") }, // 28 Mar 23:30 CET
      { card: "a", rating: 3, review: at("2026-03-28T23:30:00Z") }, // 29 Mar 00:30 CET
      { card: "b", rating: 1, review: at("2026-03-29T21:30:00Z") }, // 29 Mar 23:30 CEST
      // 30 Mar 00:30 CEST: a fixed UTC+1 offset would wrongly say 29 Mar 23:30.
      { card: "c", rating: 3, review: at("2026-03-29T22:30:00Z") },
      { card: "c", rating: 4, review: at("2026-03-30T09:00:00Z") },
    ];
    const d = chartData({ log, states: new Map(), now, tz, streak: 3, desiredRetention: 0.9 });
    expect(d.calendar).toEqual({
      today: "2026-03-30",
      streak: 3,
      days: { "2026-03-28": 1, "2026-03-29": 2, "2026-03-30": 2 },
    });
    expect(lastDays(d.calendar.days, "2026-03-30", 4)).toEqual([0, 1, 2, 2]);
  });

  it("keeps the 182-day calendar window ending today and ignores the future", () => {
    const log = [
      { card: "a", rating: 3, review: at("2025-09-29T12:00:00Z") }, // 182 days back: outside
      { card: "a", rating: 3, review: at("2025-09-30T12:00:00Z") }, // the window's first day
      { card: "a", rating: 3, review: at("2026-03-31T12:00:00Z") }, // tomorrow: ignored
      { card: "a", rating: 3, review: Number.NaN }, // unreadable: ignored
    ];
    const d = chartData({ log, states: [], now, tz, streak: 0, desiredRetention: 0.9 });
    expect(d.calendar.days).toEqual({ "2025-09-30": 1 });
    // Reviews older than the 60-day retention window do not make a retention chart.
    expect(d.retention).toBeUndefined();
  });

  it("forecasts 30 local days from today: overdue counts today, new cards not at all", () => {
    const states = new Map<string, CardState>([
      ["overdue", card(State.Review, "2026-03-20T08:00:00Z")],
      ["learning", card(State.Learning, "2026-03-30T10:10:00Z")],
      ["new", card(State.New, "2026-03-30T00:00:00Z")],
      // 1 Apr 00:30 CEST (31 Mar 22:30 UTC): day 2, not day 1.
      ["after-midnight", card(State.Review, "2026-03-31T22:30:00Z")],
      ["last-day", card(State.Review, "2026-04-28T12:00:00Z")],
      ["too-far", card(State.Review, "2026-04-29T12:00:00Z")],
    ]);
    const d = chartData({ log: [], states, now, tz, streak: 0, desiredRetention: 0.9 });
    expect(d.forecast.start).toBe("2026-03-30");
    expect(d.forecast.due).toHaveLength(FORECAST_DAYS);
    expect(d.forecast.due[0]).toBe(2);
    expect(d.forecast.due[1]).toBe(0);
    expect(d.forecast.due[2]).toBe(1);
    expect(d.forecast.due[29]).toBe(1);
    expect(d.forecast.due.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("forecast days stay whole across the autumn change (America/New_York, 1 Nov 2026)", () => {
    const ny = "America/New_York";
    const before = new Date("2026-10-31T16:00:00Z"); // Sat 31 Oct, 12:00 EDT
    const states = [
      card(State.Review, "2026-11-02T04:30:00Z"), // Sun 1 Nov 23:30 EST: day 1
      card(State.Review, "2026-11-02T05:30:00Z"), // Mon 2 Nov 00:30 EST: day 2
    ];
    const d = chartData({ log: [], states, now: before, tz: ny, streak: 0, desiredRetention: 0.9 });
    expect(d.forecast.due.slice(0, 3)).toEqual([0, 1, 1]);
  });

  it("counts daily reviews and passes (not Again) for retention, with the desired retention", () => {
    const log = [
      { card: "a", rating: 1, review: at("2026-03-01T10:00:00Z") },
      { card: "a", rating: 3, review: at("2026-03-01T11:00:00Z") },
      { card: "b", rating: 2, review: at("2026-03-30T08:00:00Z") },
      { card: "c", rating: 1, review: at("2025-12-01T08:00:00Z") }, // before the window
    ];
    const d = chartData({ log, states: [], now, tz, streak: 0, desiredRetention: 0.85 });
    expect(d.retention).toEqual({
      desired: 0.85,
      days: [
        { date: "2026-03-01", reviews: 2, passed: 1 },
        { date: "2026-03-30", reviews: 1, passed: 1 },
      ],
    });
  });
});
