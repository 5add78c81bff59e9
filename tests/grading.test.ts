import { Rating } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { gradeAnswer, knownAnswers, parseRating } from "../src/core/grading.js";
import { bundledDeck } from "./support/app.js";

const card = { answer: "node_modules", accept: ["node modules folder"] };

describe("free-text grading", () => {
  it.each([
    ["node_modules", "correct", Rating.Good],
    ["Node Modules", "correct", Rating.Good],
    ["node-modules.", "correct", Rating.Good],
    ["the node_modules", "correct", Rating.Good],
    ["node modules folder", "correct", Rating.Good],
    ["node_moduels", "typo", Rating.Hard],
    ["nod_modules", "typo", Rating.Hard],
    ["package.json", "wrong", Rating.Again],
    ["", "empty", undefined],
    ["   ", "empty", undefined],
    ["the", "wrong", Rating.Again],
  ])("%j -> %s", (typed, verdict, rating) => {
    const g = gradeAnswer(card, typed);
    expect(g.verdict).toBe(verdict);
    expect(g.rating).toBe(rating);
  });

  it("allows one edit on a short answer, none on a two-letter one", () => {
    expect(gradeAnswer({ answer: "npx", accept: [] }, "nxp").verdict).toBe("typo");
    expect(gradeAnswer({ answer: "js", accept: [] }, "jz").verdict).toBe("wrong");
    expect(gradeAnswer({ answer: "gunicorn", accept: [] }, "gunicron").verdict).toBe("typo");
    expect(gradeAnswer({ answer: "gunicorn", accept: [] }, "gnicron").verdict).toBe("wrong");
    expect(gradeAnswer({ answer: "requirements.txt", accept: [] }, "requirments.tx").verdict).toBe(
      "typo",
    );
  });

  it("never takes another known term as a typo (npx is not a typo of npm)", () => {
    const deck = bundledDeck();
    const pip = deck.cards.find((c) => c.answer === "npm");
    expect(pip).toBeDefined();
    if (!pip) return;
    const others = knownAnswers(deck.cards, pip);
    expect(gradeAnswer(pip, "npx", others).verdict).toBe("wrong");
    expect(gradeAnswer(pip, "nmp", others).verdict).toBe("typo");
  });

  it("bounds a 10 kB answer and still grades it", () => {
    const g = gradeAnswer(card, "x".repeat(10_000));
    expect(g.verdict).toBe("wrong");
    expect(g.given.length).toBeLessThanOrEqual(200);
  });

  it("reads Anki's rating words and keys", () => {
    expect(parseRating("Again")).toBe(Rating.Again);
    expect(parseRating("hard")).toBe(Rating.Hard);
    expect(parseRating(" good ")).toBe(Rating.Good);
    expect(parseRating("4")).toBe(Rating.Easy);
    expect(parseRating("great")).toBeUndefined();
  });
});
