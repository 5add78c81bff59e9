import { Rating } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import type { Card } from "../src/core/deck.js";
import { type CardState, createScheduler } from "../src/core/scheduler.js";
import { planSession } from "../src/core/session.js";

const cards: Card[] = Array.from({ length: 100 }, (_, i) => ({
  id: `c${String(i).padStart(3, "0")}`,
  term: `t${i}`,
  aliases: [],
  prompt: "___",
  answer: `a${i}`,
  accept: [],
  explain: "x",
  link: "https://example.org",
  tags: ["x"],
  deck: "test",
}));
const now = new Date("2026-06-10T09:00:00Z");
const s = createScheduler({ fuzz: false, learningSteps: [] });

/** A review card whose due date is `daysAgo` before now. */
function dueState(daysAgo: number): CardState {
  const st = s.review(undefined, Rating.Good, new Date("2026-01-01T00:00:00Z")).after;
  return { ...st, due: new Date(now.getTime() - daysAgo * 86_400_000) };
}

describe("daily session plan", () => {
  it("asks due reviews first, most overdue first, then new cards in deck order", () => {
    const states = new Map([
      ["c005", dueState(1)],
      ["c007", dueState(10)],
      ["c009", dueState(-3)], // not due yet
    ]);
    const plan = planSession(
      cards,
      states,
      now,
      { newPerDay: 3, maxReviewsPerDay: 50 },
      { newCards: 0, reviews: 0 },
    );
    expect(plan.due).toEqual(["c007", "c005"]);
    expect(plan.fresh).toEqual(["c000", "c001", "c002"]);
  });

  it("stops new cards at the daily limit, counting those already seen today", () => {
    const plan = planSession(
      cards,
      new Map(),
      now,
      { newPerDay: 5, maxReviewsPerDay: 50 },
      { newCards: 3, reviews: 3 },
    );
    expect(plan.fresh).toHaveLength(2);
    const none = planSession(
      cards,
      new Map(),
      now,
      { newPerDay: 5, maxReviewsPerDay: 50 },
      { newCards: 5, reviews: 9 },
    );
    expect(none.fresh).toHaveLength(0);
  });

  it("caps reviews per day, and new cards never push past the cap", () => {
    const states = new Map(cards.slice(0, 80).map((c, i) => [c.id, dueState(i + 1)] as const));
    const plan = planSession(
      cards,
      states,
      now,
      { newPerDay: 5, maxReviewsPerDay: 50 },
      { newCards: 0, reviews: 45 },
    );
    expect(plan.due).toHaveLength(5);
    expect(plan.fresh).toHaveLength(0);
    const defaults = planSession(
      cards,
      states,
      now,
      { newPerDay: 5, maxReviewsPerDay: 50 },
      { newCards: 0, reviews: 0 },
    );
    expect(defaults.due).toHaveLength(50);
  });

  it("ignores states of cards removed from the deck", () => {
    const states = new Map([["gone-card", dueState(5)]]);
    const plan = planSession(
      cards.slice(0, 2),
      states,
      now,
      { newPerDay: 5, maxReviewsPerDay: 50 },
      { newCards: 0, reviews: 0 },
    );
    expect(plan.due).toEqual([]);
    expect(plan.fresh).toEqual(["c000", "c001"]);
  });
});
