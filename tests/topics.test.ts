import { describe, expect, it } from "vitest";
import type { Part, Reply } from "../src/app/reply.js";
import type { Actor } from "../src/app/types.js";
import { parseCommand } from "../src/core/grammar.js";
import { Rating } from "../src/core/scheduler.js";
import { findDeck, studyCards, toggleTopic } from "../src/core/topics.js";
import { bundledDeck, testApp } from "./support/app.js";
import { useTestRedis } from "./support/redis.js";

const { redis, prefix } = useTestRedis();

const topicsOf = (r: Reply) => {
  const p = r.parts.find((x): x is Extract<Part, { kind: "topics" }> => x.kind === "topics");
  if (!p) throw new Error(`no topics part in ${JSON.stringify(r.parts)}`);
  return p;
};
const questionOf = (r: Reply) => {
  const q = r.dm?.find((p): p is Extract<Part, { kind: "question" }> => p.kind === "question");
  return q?.question;
};

describe("topics grammar", () => {
  it("parses topics, topics add/remove/all and set new", () => {
    expect(parseCommand("topics")).toEqual({ kind: "topics" });
    expect(parseCommand("topics all")).toEqual({ kind: "topics-all" });
    expect(parseCommand("topics add Async")).toEqual({ kind: "topic", deck: "Async", on: true });
    expect(parseCommand("/pyjs topics remove web")).toEqual({
      kind: "topic",
      deck: "web",
      on: false,
    });
    expect(parseCommand("topics frobnicate").kind).toBe("usage");
    expect(parseCommand("set new 12")).toEqual({ kind: "set-new", perDay: 12 });
    for (const bad of [
      "set new 0",
      "set new 51",
      "set new -3",
      "set new 2.5",
      "set new",
      "set old 3",
    ])
      expect(parseCommand(bad).kind, bad).toBe("usage");
  });
});

describe("topics in the deck", () => {
  const deck = bundledDeck();
  it("orders the decks essentials first, the seed deck leading", () => {
    expect(deck.decks[0]?.name).toBe("python-for-js-devs");
    const all = studyCards(deck, undefined);
    expect(all).toHaveLength(deck.cards.length);
    const firstOther = all.findIndex((c) => c.deck !== "python-for-js-devs");
    expect(all.slice(0, firstOther).every((c) => c.deck === "python-for-js-devs")).toBe(true);
  });
  it("finds decks by name, file name or title and toggles them", () => {
    expect(findDeck(deck, "ASYNC")?.name).toBe("async");
    expect(findDeck(deck, "async.yaml")?.name).toBe("async");
    expect(findDeck(deck, "nope")).toBeUndefined();
    const without = toggleTopic(deck, undefined, "web", false);
    expect(without).not.toContain("web");
    expect(toggleTopic(deck, without, "web", true)).toBeUndefined(); // back to every deck
  });
});

describe("topics for a learner", () => {
  it("lists every deck with progress, removes and adds one, keeps progress", async () => {
    const app = testApp(redis, prefix);
    const actor: Actor = { learner: "console:topics", platform: "console", tz: "UTC" };
    const now = new Date("2026-06-01T09:00:00Z");
    const first = questionOf(await app.handleCommand(actor, "quiz", now));
    if (!first) throw new Error("no question");
    await app.handleAction(
      actor,
      { type: "rate", promptId: first.promptId, rating: Rating.Good },
      now,
    );

    const listed = topicsOf(await app.handleCommand(actor, "topics", now));
    const seed = listed.topics.find((t) => t.name === "python-for-js-devs");
    expect(seed).toMatchObject({ active: true, seen: 1 });
    expect(listed.topics.every((t) => t.active && t.total > 0)).toBe(true);

    const removed = topicsOf(
      await app.handleCommand(actor, "topics remove python-for-js-devs", now),
    );
    expect(removed.topics.find((t) => t.name === "python-for-js-devs")).toMatchObject({
      active: false,
      seen: 1,
    });
    expect(removed.note).toMatch(/keep their progress/);

    const unknown = await app.handleCommand(actor, "topics add klingon", now);
    expect(unknown.parts[0]).toMatchObject({
      text: expect.stringMatching(/no deck called "klingon".*async/),
    });

    const back = topicsOf(await app.handleCommand(actor, "topics all", now));
    expect(back.topics.every((t) => t.active)).toBe(true);
  });

  it("asks new cards only from the chosen decks, and honours set new", async () => {
    const app = testApp(redis, prefix);
    const actor: Actor = { learner: "console:asyncfan", platform: "console", tz: "UTC" };
    const now = new Date("2026-06-01T09:00:00Z");
    for (const d of ["python-for-js-devs", "packaging", "tooling", "language", "stdlib", "web"])
      await app.handleCommand(actor, `topics remove ${d}`, now);
    expect(
      topicsOf(await app.handleCommand(actor, "topics", now))
        .topics.filter((t) => t.active)
        .map((t) => t.name),
    ).toEqual(["async"]);
    const lastOne = await app.handleCommand(actor, "topics remove async", now);
    expect(JSON.stringify(lastOne.parts)).toMatch(/last topic/);
    await app.handleCommand(actor, "set new 2", now);
    let r = await app.handleCommand(actor, "quiz", now);
    const asked: string[] = [];
    for (let q = questionOf(r); q; q = questionOf(r)) {
      asked.push(q.cardId);
      r = await app.handleAction(
        actor,
        { type: "rate", promptId: q.promptId, rating: Rating.Easy },
        now,
      );
    }
    expect(asked).toHaveLength(2);
    expect(asked.every((id) => bundledDeck().byId.get(id)?.deck === "async")).toBe(true);
  });
});
