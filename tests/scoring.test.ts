import { describe, expect, it } from "vitest";
import {
  currentStreak,
  isoWeek,
  packScore,
  pointsFor,
  pointsOf,
  previousIsoWeek,
  streakAfter,
  weekBefore,
} from "../src/core/scoring.js";

describe("points", () => {
  it("reward recall of due cards, Easy no more than Good", () => {
    const due = { due: true, withinDailyLimit: true };
    expect([1, 2, 3, 4].map((r) => pointsFor(r as 1 | 2 | 3 | 4, due))).toEqual([1, 2, 3, 3]);
  });

  it("give nothing ahead of schedule or past the daily limit", () => {
    expect(pointsFor(3, { due: false, withinDailyLimit: true })).toBe(0);
    expect(pointsFor(3, { due: true, withinDailyLimit: false })).toBe(0);
  });

  it("pack points and the time of achievement so ties go to whoever got there first", () => {
    const early = packScore(12, new Date("2026-11-23T08:00:00Z"));
    const late = packScore(12, new Date("2026-11-23T18:00:00Z"));
    expect(early).toBeGreaterThan(late);
    expect(packScore(13, new Date("2026-11-29T23:59:00Z"))).toBeGreaterThan(early);
    expect(pointsOf(early)).toBe(12);
    expect(pointsOf(packScore(1_000_000, new Date("2030-01-01T00:00:00Z")))).toBe(1_000_000);
  });
});

describe("streaks", () => {
  it("grow on consecutive local days, restart after a gap, ignore a second session", () => {
    let s = streakAfter({ streak: 0, best: 0 }, "2026-11-01", "2026-10-31");
    expect(s).toEqual({ streak: 1, best: 1, lastDay: "2026-11-01" });
    s = streakAfter(s, "2026-11-02", "2026-11-01");
    s = streakAfter(s, "2026-11-02", "2026-11-01");
    expect(s.streak).toBe(2);
    s = streakAfter(s, "2026-11-05", "2026-11-04");
    expect(s).toEqual({ streak: 1, best: 2, lastDay: "2026-11-05" });
  });

  it("shows as lapsed once a whole day is missed", () => {
    const s = { streak: 4, best: 4, lastDay: "2026-11-02" };
    expect(currentStreak(s, "2026-11-02", "2026-11-01")).toBe(4);
    expect(currentStreak(s, "2026-11-03", "2026-11-02")).toBe(4);
    expect(currentStreak(s, "2026-11-04", "2026-11-03")).toBe(0);
  });
});

describe("ISO weeks in the team's zone", () => {
  it("Sunday night in UTC is already Monday in Auckland", () => {
    const at = new Date("2026-11-29T20:00:00Z");
    expect(isoWeek(at, "UTC")).toBe("2026-W48");
    expect(isoWeek(at, "Pacific/Auckland")).toBe("2026-W49");
    expect(previousIsoWeek(at, "Pacific/Auckland")).toBe("2026-W48");
  });

  it("weeks roll over the year like ISO says", () => {
    expect(isoWeek(new Date("2027-01-01T12:00:00Z"), "UTC")).toBe("2026-W53");
    expect(weekBefore("2027-W01")).toBe("2026-W53");
    expect(weekBefore("2026-W01")).toBe("2025-W52");
  });
});
