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
    ["??", "wrong", Rating.Again],
    ["idk", "wrong", Rating.Again],
    ["no idea", "wrong", Rating.Again],
  ])("%j -> %s", (typed, verdict, rating) => {
    const g = gradeAnswer(card, typed);
    expect(g.verdict).toBe(verdict);
    expect(g.rating).toBe(rating);
  });

  it("matches an answer made only of symbols exactly (the walrus, an ellipsis)", () => {
    const walrus = { answer: ":=", accept: ["walrus operator"] };
    expect(gradeAnswer(walrus, ":=").verdict).toBe("correct");
    expect(gradeAnswer(walrus, "`:=`").verdict).toBe("correct");
    expect(gradeAnswer(walrus, "=").verdict).toBe("wrong");
    expect(gradeAnswer(walrus, "??").verdict).toBe("wrong");
    expect(gradeAnswer({ answer: "Ellipsis", accept: ["..."] }, "...").verdict).toBe("correct");
    // A word answer is not matched by punctuation alone.
    expect(gradeAnswer(card, "...").verdict).toBe("wrong");
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

describe("a grader that reads answers, not strings", () => {
  const npm = { answer: "npm", accept: [], prompt: "pip is the Python equivalent of ___." };
  const g = (
    card: { answer: string; accept: string[]; prompt?: string },
    typed: string,
    others: string[] = [],
  ) => gradeAnswer(card, typed, new Set(others)).verdict;

  it("ignores hedges, filler, articles and words the prompt already gives", () => {
    for (const typed of [
      "npm I think",
      "probably npm",
      "it's npm",
      "I guess npm?",
      "pretty sure it's npm",
      "**npm**",
      "`npm`",
    ])
      expect(g(npm, typed), typed).toBe("correct");
    expect(
      g({ answer: "ASGI", accept: [], prompt: "uvicorn is an ___ server." }, "ASGI server"),
    ).toBe("correct");
    expect(g({ answer: "yarn.lock", accept: [] }, "the yarn.lock file")).toBe("correct");
  });

  it("rejects hedging between candidates and a negated answer", () => {
    expect(g(npm, "npm or npx", ["npx"])).toBe("wrong");
    expect(g(npm, "npm / pnpm", ["pnpm"])).toBe("wrong");
    expect(g(npm, "not npm")).toBe("wrong");
  });

  it("folds equivalent spellings of URLs, versions and commands", () => {
    expect(g({ answer: "https://pypi.org", accept: [] }, "pypi.org/")).toBe("correct");
    expect(g({ answer: "www.pypi.org", accept: [] }, "https://pypi.org")).toBe("correct");
    expect(g({ answer: "3.4", accept: [] }, "v3.4.0")).toBe("correct");
    expect(g({ answer: "python -m pip", accept: [] }, "python3 -m pip")).toBe("correct");
    expect(g({ answer: "python -m pip", accept: [] }, "py -m pip")).toBe("correct");
    expect(g({ answer: "npm install", accept: [] }, "npm i")).toBe("correct");
    expect(g({ answer: "venv", accept: [] }, ".venv")).toBe("correct");
    expect(g({ answer: "json.loads", accept: [] }, "json.loads(text)")).toBe("correct");
    expect(g({ answer: "append", accept: [] }, "lst.append")).toBe("correct");
  });

  it("keeps numbers and operators exact: no typo tolerance", () => {
    const pep = { answer: "3333", accept: ["PEP 3333"] };
    expect(g(pep, "PEP 3333")).toBe("correct");
    expect(g(pep, "3334")).toBe("wrong");
    expect(g(pep, "333")).toBe("wrong");
    expect(g({ answer: "==1.4.*", accept: [] }, "~=1.4")).toBe("wrong");
    expect(g({ answer: "~=1.4.0", accept: [] }, "~=1.4")).toBe("wrong");
    expect(g({ answer: "sys.exit(2)", accept: [], prompt: "process.exit(2)" }, "sys.exit(1)")).toBe(
      "wrong",
    );
    expect(g({ answer: "one", accept: [] }, "oen")).toBe("wrong");
  });

  it("scales typo tolerance with length; a slip onto another real tool is wrong", () => {
    expect(g({ answer: "uv", accept: [] }, "vu")).toBe("wrong");
    expect(g(npm, "nmp")).toBe("typo");
    expect(g(npm, "npx", ["npx"])).toBe("wrong");
    expect(g({ answer: "gunicorn", accept: [] }, "gunicron")).toBe("typo");
    expect(g({ answer: "__iter__", accept: [] }, "__iter_")).toBe("typo");
  });

  it("never treats the card's own term, JS side or aliases as another tool", () => {
    const deck = bundledDeck();
    const card = deck.cards.find((c) => c.answer === "npm" && c.aliases.length > 0);
    if (!card) return;
    const others = knownAnswers(deck.cards, card);
    for (const own of [card.term, ...card.aliases]) {
      expect(others.has(own.toLowerCase().replace(/[^a-z0-9]/g, "")), own).toBe(false);
    }
  });
});
