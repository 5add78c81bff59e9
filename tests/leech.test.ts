import { describe, expect, it } from "vitest";
import { isLeech, leechAt, leechStep, nextLeechReminder } from "../src/core/leech.js";

describe("leech thresholds (Anki: at the threshold, then every half of it)", () => {
  it("tells at 8, 12, 16 with the default", () => {
    const told = [];
    for (let lapses = 1; lapses <= 20; lapses++)
      if (leechAt(lapses - 1, lapses, 8)) told.push(lapses);
    expect(told).toEqual([8, 12, 16, 20]);
  });

  it("only when the review added a lapse", () => {
    expect(leechAt(8, 8, 8)).toBe(0);
    expect(leechAt(9, 8, 8)).toBe(0);
    expect(leechAt(7, 8, 8)).toBe(8);
  });

  it("odd and tiny thresholds step by at least one; 0 is off", () => {
    expect(leechStep(5)).toBe(2);
    expect(leechStep(1)).toBe(1);
    expect([5, 6, 7, 8, 9].map((l) => leechAt(l - 1, l, 5))).toEqual([5, 0, 7, 0, 9]);
    expect(leechAt(0, 1, 1)).toBe(1);
    expect(leechAt(1, 2, 1)).toBe(2);
    expect(leechAt(7, 8, 0)).toBe(0);
    expect(isLeech(100, 0)).toBe(false);
  });

  it("names the next reminder", () => {
    expect(nextLeechReminder(3, 8)).toBe(8);
    expect(nextLeechReminder(8, 8)).toBe(12);
    expect(nextLeechReminder(11, 8)).toBe(12);
    expect(nextLeechReminder(12, 8)).toBe(16);
    expect(isLeech(8, 8)).toBe(true);
    expect(isLeech(7, 8)).toBe(false);
  });
});
