import { describe, expect, it } from "vitest";
import { reviewEvents } from "../../src/app/optimizer.js";
import { evaluateFit, predictions } from "../../src/core/fsrs-eval.js";
import { isTrainable, timeSplit, toItems } from "../../src/core/fsrs-items.js";
import {
  chooseParameters,
  DEFAULT_PARAMETERS,
  DEFAULT_WEIGHTS,
  decodeWeights,
  encodeWeights,
  fitLine,
  type ParameterReport,
  parametersLine,
} from "../../src/core/parameters.js";
import type { LogEntry } from "../../src/store/reviews.js";

const at = (iso: string) => Date.parse(iso);

describe("review log -> FSRS items", () => {
  it("counts day gaps in the learner's calendar days, not 24-hour periods", () => {
    // 23:30 and 00:30 in Berlin are one local day apart, one hour apart in time.
    const items = toItems(
      [
        { card: "a", rating: 3, at: at("2026-03-01T22:30:00Z"), fromNew: true },
        { card: "a", rating: 3, at: at("2026-03-01T23:30:00Z"), fromNew: false },
        { card: "a", rating: 1, at: at("2026-03-05T08:00:00Z"), fromNew: false },
      ],
      "Europe/Berlin",
    );
    expect(items.map((i) => i.reviews)).toEqual([
      [
        { rating: 3, deltaT: 0 },
        { rating: 3, deltaT: 1 },
      ],
      [
        { rating: 3, deltaT: 0 },
        { rating: 3, deltaT: 1 },
        { rating: 1, deltaT: 3 },
      ],
    ]);
    // In UTC the same two reviews fall on one day: that item never left day one.
    const utc = toItems(
      [
        { card: "a", rating: 3, at: at("2026-03-01T22:30:00Z"), fromNew: true },
        { card: "a", rating: 3, at: at("2026-03-01T23:30:00Z"), fromNew: false },
      ],
      "UTC",
    );
    expect(utc).toEqual([]);
  });

  it("drops a card whose history was cut (its first review read was not from new)", () => {
    const items = toItems(
      [
        { card: "cut", rating: 3, at: at("2026-03-01T09:00:00Z"), fromNew: false },
        { card: "cut", rating: 3, at: at("2026-03-04T09:00:00Z"), fromNew: false },
        { card: "whole", rating: 3, at: at("2026-03-01T09:00:00Z"), fromNew: true },
        { card: "whole", rating: 4, at: at("2026-03-03T09:00:00Z"), fromNew: false },
      ],
      "UTC",
    );
    expect(items.map((i) => i.card)).toEqual(["whole"]);
  });

  it("accepts only what fsrs-rs accepts (it aborts the process otherwise)", () => {
    expect(
      isTrainable([
        { rating: 3, deltaT: 0 },
        { rating: 3, deltaT: 2 },
      ]),
    ).toBe(true);
    expect(
      isTrainable([
        { rating: 3, deltaT: 0 },
        { rating: 3, deltaT: 0 },
      ]),
    ).toBe(false);
    expect(
      isTrainable([
        { rating: 3, deltaT: 1 },
        { rating: 3, deltaT: 2 },
      ]),
    ).toBe(false);
    expect(
      isTrainable([
        { rating: 0, deltaT: 0 },
        { rating: 3, deltaT: 2 },
      ]),
    ).toBe(false);
    expect(
      isTrainable([
        { rating: 3, deltaT: 0 },
        { rating: 3, deltaT: 1.5 },
      ]),
    ).toBe(false);
  });

  it("reads the folded log: the review time, and new cards from their empty or New state", () => {
    const entry = (before: string, rating: number): LogEntry => ({
      id: "1-0",
      card: "c",
      rating,
      review: 1000,
      elapsed: 0,
      before,
      after: "",
      prompt: "p",
      amend: false,
    });
    const events = reviewEvents([
      entry("", 3),
      entry("a|1|5|0|0|0|0|0|", 3),
      entry("a|1|5|3|0|1|0|2|b", 1),
    ]);
    expect(events.map((e) => e.fromNew)).toEqual([true, true, false]);
    expect(events[2]).toEqual({ card: "c", rating: 1, at: 1000, fromNew: false });
  });

  it("splits items in time", () => {
    const items = [3, 1, 2, 4].map((n) => ({ card: `c${n}`, reviews: [], at: n }));
    const { train, test } = timeSplit(items, 0.75);
    expect(train.map((i) => i.at)).toEqual([1, 2, 3]);
    expect(test.map((i) => i.at)).toEqual([4]);
  });
});

describe("evaluating weights (Anki's Evaluate)", () => {
  const items = toItems(
    [
      { card: "a", rating: 3, at: at("2026-03-01T09:00:00Z"), fromNew: true },
      { card: "a", rating: 3, at: at("2026-03-04T09:00:00Z"), fromNew: false },
      { card: "a", rating: 1, at: at("2026-03-20T09:00:00Z"), fromNew: false },
      { card: "b", rating: 3, at: at("2026-03-01T09:00:00Z"), fromNew: true },
      { card: "b", rating: 3, at: at("2026-03-01T09:10:00Z"), fromNew: false },
      { card: "b", rating: 3, at: at("2026-03-03T09:00:00Z"), fromNew: false },
    ],
    "UTC",
  );

  it("scores only reviews on a later day than the one before, with the log loss formula", () => {
    const preds = predictions(items, DEFAULT_WEIGHTS);
    // In time order: a after 3 days, b after 2 days, a after 16 days (forgotten); b's
    // 10-minute step is not a prediction.
    expect(preds).toHaveLength(3);
    expect(preds.map((p) => p.y)).toEqual([1, 1, 0]);
    for (const p of preds) expect(p.p).toBeGreaterThan(0.5);
    const m = evaluateFit(items, DEFAULT_WEIGHTS);
    const expected = -preds.reduce((s, { p, y }) => s + (y ? Math.log(p) : Math.log(1 - p)), 0) / 3;
    expect(m?.logLoss).toBeCloseTo(expected, 10);
    expect(m?.n).toBe(3);
    expect(m?.rmse).toBeGreaterThan(0);
    expect(m?.rmse).toBeLessThan(1);
  });

  it("has nothing to score without a review across days", () => {
    expect(evaluateFit([], DEFAULT_WEIGHTS)).toBeUndefined();
  });
});

describe("parameters in use", () => {
  it("stores weights compactly and rejects anything but 21 numbers", () => {
    const w = decodeWeights(encodeWeights(DEFAULT_WEIGHTS));
    expect(w).toEqual([...DEFAULT_WEIGHTS]);
    expect(decodeWeights("1,2,3")).toBeUndefined();
    expect(
      decodeWeights(`${encodeWeights(DEFAULT_WEIGHTS).replace("0.212", "x")}`),
    ).toBeUndefined();
  });

  it("prefers the learner's own fit, then a team prior, then the defaults", () => {
    const own = { source: "learner" as const, w: DEFAULT_WEIGHTS, reviews: 900 };
    const team = { source: "team" as const, w: DEFAULT_WEIGHTS, reviews: 5000 };
    expect(chooseParameters(own, [team])).toBe(own);
    expect(chooseParameters(undefined, [undefined, team])).toBe(team);
    expect(chooseParameters(undefined, [])).toBe(DEFAULT_PARAMETERS);
  });

  it("says which parameters are in use and how they fit", () => {
    const base: ParameterReport = {
      inUse: DEFAULT_PARAMETERS,
      reviews: 312,
      threshold: 800,
    };
    expect(parametersLine(base)).toBe("FSRS defaults (yours after 800 reviews; you have 312)");
    const fitted: ParameterReport = {
      ...base,
      inUse: {
        source: "learner",
        w: DEFAULT_WEIGHTS,
        fittedAt: at("2026-11-30T03:00:00Z"),
        reviews: 1234,
      },
      fit: {
        items: 900,
        defaults: { logLoss: 0.4512, rmse: 0.0821, n: 900 },
        current: { logLoss: 0.4123, rmse: 0.0412, n: 900 },
      },
    };
    expect(parametersLine(fitted)).toBe("yours, fitted 2026-11-30 on 1,234 reviews");
    expect(fitLine(fitted)).toBe(
      "on your 900 reviews: log loss 0.412 vs 0.451 default, RMSE 4.1% vs 8.2% default (lower is better)",
    );
    expect(parametersLine({ ...base, off: true })).toBe(
      "FSRS defaults (the optimizer is off here)",
    );
  });
});
