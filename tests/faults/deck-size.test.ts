import { describe, expect, it } from "vitest";
import { buildDeck } from "../../src/core/deck.js";
import { buildGlossary, lookup } from "../../src/core/lookup.js";

/** A deck file's parsed data with `n` cards, 20 × 7 tag combinations. */
function bigDeck(n: number): unknown {
  const cards = Array.from({ length: n }, (_, i) => ({
    id: `card-${i}`,
    term: `term${i}`,
    js: `js${i}`,
    aliases: [`alias${i}`],
    prompt: `Question ${i} ___`,
    answer: `answer${i}`,
    explain: `Explanation ${i}.`,
    link: `https://example.com/${i}`,
    tags: [`t${i % 20}`, `u${i % 7}`],
  }));
  return { title: "Big", cards };
}

describe("deck size", () => {
  // Before: related terms were found by comparing every entry with every other
  // (81 million tag comparisons for 9,000 cards: minutes on this machine).
  it("a 9,000-card deck validates and builds its glossary", () => {
    const { deck, errors } = buildDeck([{ file: "big.yaml", data: bigDeck(9000) }]);
    expect(errors).toEqual([]);
    const glossary = buildGlossary(deck);
    expect(glossary.entries).toHaveLength(9000);
    const hit = lookup(glossary, "term5");
    expect(hit.found).toBe(true);
    // Related: most shared tags first (both tags: i ≡ 5 mod 140), then deck order.
    if (hit.found)
      expect(hit.entries[0]?.related).toEqual(["term145", "term285", "term425", "term565"]);
    expect(lookup(glossary, "alias8999").found).toBe(true);
  }, 60_000);

  it("related terms: most shared tags first, ties in deck order, never itself", () => {
    const data = {
      title: "Small",
      cards: [
        ["a", ["x", "y"]],
        ["b", ["x"]],
        ["c", ["x", "y"]],
        ["d", ["z"]],
        ["e", ["y"]],
      ].map(([id, tags]) => ({
        id,
        term: `${id}-term`,
        prompt: "___ ?",
        answer: "x",
        explain: "e",
        link: "https://example.com",
        tags,
      })),
    };
    const { deck } = buildDeck([{ file: "s.yaml", data }]);
    const related = Object.fromEntries(buildGlossary(deck).entries.map((e) => [e.term, e.related]));
    expect(related["a-term"]).toEqual(["c-term", "b-term", "e-term"]);
    expect(related["b-term"]).toEqual(["a-term", "c-term"]);
    expect(related["d-term"]).toEqual([]);
  });
});
