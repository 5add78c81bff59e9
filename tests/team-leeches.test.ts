import { describe, expect, it } from "vitest";
import { createScheduler, encodeState, Rating } from "../src/core/scheduler.js";
import { TEAM_LEECH_RULES, type TeamLogEntry, teamLeeches } from "../src/core/team-leeches.js";

const scheduler = createScheduler({ fuzz: false });
const now = new Date("2026-11-30T08:00:00Z");
const daysAgo = (d: number) => now.getTime() - d * 86_400_000;
/** A state the learner had seen (review), and a brand-new card's (""). */
const seen = encodeState(scheduler.review(undefined, Rating.Good, new Date(daysAgo(40))).after);

const miss = (card: string, day: number, given?: string): TeamLogEntry => ({
  card,
  rating: 1,
  review: daysAgo(day),
  before: seen,
  ...(given ? { given } : {}),
});
const good = (card: string, day: number): TeamLogEntry => ({
  card,
  rating: 3,
  review: daysAgo(day),
  before: seen,
});

describe("team leeches (pure)", () => {
  it("lists a card at least half of its reviewers missed twice, with the wrong answers typed", () => {
    const logs = new Map<string, TeamLogEntry[]>([
      ["a", [miss("pip", 3, "yarn"), miss("pip", 2, "Yarn "), good("venv", 2)]],
      ["b", [miss("pip", 10, "npx"), miss("pip", 9), good("venv", 2)]],
      ["c", [good("pip", 3), good("venv", 3)]],
      ["d", [good("pip", 3), miss("venv", 2, "node_modules?"), miss("venv", 1)]],
    ]);
    expect(teamLeeches(logs, now)).toEqual([
      {
        card: "pip",
        learners: 4,
        missing: 2,
        wrong: [
          { text: "yarn", count: 2 },
          { text: "npx", count: 1 },
        ],
      },
    ]);
  });

  it("needs three learners, misses on seen cards only, inside the last 28 days", () => {
    const two = new Map([
      ["a", [miss("pip", 1), miss("pip", 2)]],
      ["b", [miss("pip", 1), miss("pip", 2)]],
    ]);
    expect(teamLeeches(two, now)).toEqual([]);
    const fresh = () => [
      { ...miss("pip", 2), before: "" },
      { ...miss("pip", 1), before: "" },
    ];
    const newCards = new Map(["a", "b", "c"].map((l) => [l, fresh()]));
    expect(teamLeeches(newCards, now)).toEqual([]);
    const old = new Map(["a", "b", "c"].map((l) => [l, [miss("pip", 29), miss("pip", 30)]]));
    expect(teamLeeches(old, now)).toEqual([]);
    // The window ends at `now`: a review at `now` itself is the next week's.
    const edge = new Map(
      ["a", "b", "c"].map((l) => [
        l,
        [miss("pip", 27.9), { ...miss("pip", 0), review: now.getTime() }],
      ]),
    );
    expect(teamLeeches(edge, now)).toEqual([]);
  });

  it("orders by share missing, bounds the list and the typed text", () => {
    const long = "x".repeat(500);
    const logs = new Map<string, TeamLogEntry[]>();
    for (const l of ["a", "b", "c", "d"]) {
      const entries: TeamLogEntry[] = [];
      for (let i = 0; i < 15; i++) entries.push(miss(`card-${i}`, 2, long), miss(`card-${i}`, 1));
      entries.push(miss("half", 2), l < "c" ? miss("half", 1) : good("half", 1));
      logs.set(l, entries);
    }
    const found = teamLeeches(logs, now);
    expect(found).toHaveLength(TEAM_LEECH_RULES.max);
    expect(found.every((f) => f.card !== "half")).toBe(true);
    expect(found[0]?.wrong[0]?.text).toHaveLength(TEAM_LEECH_RULES.answerChars);
    const few = teamLeeches(logs, now, { ...TEAM_LEECH_RULES, max: 20 });
    expect(few.at(-1)).toMatchObject({ card: "half", learners: 4, missing: 2 });
  });
});
