import { createEmptyCard, fsrs, generatorParameters, Rating } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { createScheduler, decodeState, encodeState } from "../src/core/scheduler.js";

const at = (iso: string) => new Date(iso);

describe("FSRS scheduling", () => {
  it("matches ts-fsrs (fuzz off) for a fixed sequence of ratings at pinned dates", () => {
    const ours = createScheduler({
      fuzz: false,
      learningSteps: ["1m", "10m"],
      relearningSteps: ["10m"],
    });
    const reference = fsrs(
      generatorParameters({
        enable_fuzz: false,
        learning_steps: ["1m", "10m"],
        relearning_steps: ["10m"],
      }),
    );
    const steps: [string, Rating.Again | Rating.Hard | Rating.Good | Rating.Easy][] = [
      ["2026-01-05T09:00:00Z", Rating.Good],
      ["2026-01-05T09:10:00Z", Rating.Good],
      ["2026-01-06T09:00:00Z", Rating.Good],
      ["2026-01-10T09:00:00Z", Rating.Again],
      ["2026-01-10T09:10:00Z", Rating.Good],
      ["2026-01-12T09:00:00Z", Rating.Hard],
      ["2026-01-20T09:00:00Z", Rating.Easy],
    ];
    let mine = undefined as ReturnType<typeof decodeState> | undefined;
    let ref = createEmptyCard(at(steps[0]?.[0] ?? ""));
    const dues: string[] = [];
    for (const [when, rating] of steps) {
      const out = ours.review(mine, rating, at(when));
      ref = reference.next(ref, at(when), rating).card;
      // Store and reload through the compact encoding every time, as production does.
      mine = decodeState(encodeState(out.after));
      expect(mine.due.getTime()).toBe(Math.round(ref.due.getTime() / 1000) * 1000);
      expect(mine.state).toBe(ref.state);
      expect(mine.stability).toBeCloseTo(ref.stability, 3);
      expect(mine.difficulty).toBeCloseTo(ref.difficulty, 3);
      dues.push(mine.due.toISOString());
    }
    // The first two Goods walk the 1m/10m learning steps, then FSRS takes over.
    expect(dues[0]).toBe("2026-01-05T09:10:00.000Z");
    expect(new Date(dues[1] ?? "").getTime()).toBeGreaterThan(at("2026-01-06T00:00:00Z").getTime());
  });

  it("honours desired retention and the maximum interval", () => {
    const now = at("2026-03-01T12:00:00Z");
    const interval = (retention: number, maxInterval = 36500) => {
      const s = createScheduler({ fuzz: false, retention, maxInterval, learningSteps: [] });
      let st = s.review(undefined, Rating.Good, now).after;
      for (let i = 0; i < 6; i++) st = s.review(st, Rating.Good, st.due).after;
      return st.scheduled_days;
    };
    expect(interval(0.8)).toBeGreaterThan(interval(0.95));
    expect(interval(0.8, 30)).toBeLessThanOrEqual(30);
  });

  it("fuzz spreads intervals when on", () => {
    const now = at("2026-03-01T12:00:00Z");
    const s = createScheduler({ fuzz: true, learningSteps: [] });
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      let st = s.review(undefined, Rating.Easy, new Date(now.getTime() + i * 1000)).after;
      st = s.review(st, Rating.Easy, st.due).after;
      seen.add(st.scheduled_days);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it("reports elapsed days since the previous review", () => {
    const s = createScheduler({ fuzz: false });
    const first = s.review(undefined, Rating.Good, at("2026-01-01T00:00:00Z"));
    expect(first.elapsedDays).toBe(0);
    const second = s.review(first.after, Rating.Good, at("2026-01-03T12:00:00Z"));
    expect(second.elapsedDays).toBe(2.5);
  });

  it("encodes a card state in well under 100 bytes", () => {
    const s = createScheduler({ fuzz: false });
    let st = s.review(undefined, Rating.Good, at("2026-01-01T00:00:00Z")).after;
    st = s.review(st, Rating.Good, st.due).after;
    const encoded = encodeState(st);
    expect(Buffer.byteLength(encoded)).toBeLessThan(100);
    expect(decodeState(encoded).reps).toBe(2);
    expect(() => decodeState("garbage")).toThrow(/bad card state/);
  });
});
