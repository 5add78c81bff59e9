import { describe, expect, it } from "vitest";
import { evaluateFit } from "../../src/core/fsrs-eval.js";
import { toItems } from "../../src/core/fsrs-items.js";
import { DEFAULT_WEIGHTS, WEIGHT_COUNT } from "../../src/core/parameters.js";
import { fitWeights, platformPackage } from "../../src/optimizer/binding.js";
import { strongLearnerLog } from "./synthetic.js";

describe("fitting FSRS with the real optimizer (@open-spaced-repetition/binding)", () => {
  it("beats the defaults on held-out reviews of a clearly non-default learner", async () => {
    const log = strongLearnerLog(60);
    // Time split: the first 75% of the reviews train, items predicting a later one are held out.
    const cut = log[Math.floor(log.length * 0.75)]?.at ?? 0;
    const train = toItems(
      log.filter((e) => e.at < cut),
      "UTC",
    );
    const test = toItems(log, "UTC").filter((i) => i.at >= cut);
    expect(train.length).toBeGreaterThan(500);
    expect(test.length).toBeGreaterThan(100);

    const w = await fitWeights(train, { numRelearningSteps: 1 });
    expect(w).toHaveLength(WEIGHT_COUNT);
    expect(w).not.toEqual([...DEFAULT_WEIGHTS]);
    // Memories four times as stable: the fit raises the initial stability of Good.
    expect(w[2]).toBeGreaterThan(DEFAULT_WEIGHTS[2] ?? 0);

    const fitted = evaluateFit(test, w);
    const defaults = evaluateFit(test, DEFAULT_WEIGHTS);
    expect(fitted && defaults).toBeTruthy();
    expect(fitted?.logLoss).toBeLessThan(defaults?.logLoss ?? 0);
    expect(fitted?.rmse).toBeLessThan(defaults?.rmse ?? 0);
  }, 60_000);

  it("gives the same weights for the same reviews (fsrs-rs trains with a fixed seed)", async () => {
    const items = toItems(strongLearnerLog(20), "UTC");
    const [a, b] = [
      await fitWeights(items, { numRelearningSteps: 1 }),
      await fitWeights(items, { numRelearningSteps: 1 }),
    ];
    expect(a).toEqual(b);
  }, 60_000);
});

describe("the optimizer's platform package", () => {
  it("is named as napi-rs names its prebuilt packages", () => {
    expect(platformPackage("linux", "x64", true)).toBe(
      "@open-spaced-repetition/binding-linux-x64-gnu",
    );
    expect(platformPackage("linux", "x64", false)).toBe(
      "@open-spaced-repetition/binding-linux-x64-musl",
    );
    expect(platformPackage("darwin", "arm64", false)).toBe(
      "@open-spaced-repetition/binding-darwin-arm64",
    );
    expect(platformPackage("win32", "x64", false)).toBe(
      "@open-spaced-repetition/binding-win32-x64-msvc",
    );
  });
});
