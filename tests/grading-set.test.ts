import { describe, expect, it } from "vitest";
import { evaluate, formatEvaluation, loadGradingSet } from "../src/cards/grading-set.js";
import { Grader } from "../src/core/grading.js";
import { bundledDeck } from "./support/app.js";

/**
 * The grader against the blind labelled set in tests/grading-set (written by someone
 * who had not read the grader, against POLICY.md). The table is printed so a failure
 * shows the confusion, not just a score.
 */
describe("grading agrees with a fair teacher on the blind set", () => {
  const deck = bundledDeck();
  const set = loadGradingSet("tests/grading-set");
  const grader = new Grader(deck);
  const ev = evaluate(deck, set, (id, typed) => grader.label(id, typed));

  it("covers every card of every deck with at least 6 answers", () => {
    const perCard = new Map<string, number>();
    for (const row of set) perCard.set(row.card, (perCard.get(row.card) ?? 0) + 1);
    const thin = deck.cards.filter((c) => (perCard.get(c.id) ?? 0) < 6).map((c) => c.id);
    expect(thin).toEqual([]);
    expect(ev.orphans).toEqual([]);
    expect(set.length).toBeGreaterThanOrEqual(600);
  });

  it("agrees on at least 98% overall and 95% in every category", () => {
    console.log(formatEvaluation(ev));
    expect(ev.agreed / ev.total).toBeGreaterThanOrEqual(0.98);
    for (const [category, v] of ev.byCategory)
      expect(v.agreed / v.total, `${category}: ${v.agreed}/${v.total}`).toBeGreaterThanOrEqual(
        0.95,
      );
  });
});
