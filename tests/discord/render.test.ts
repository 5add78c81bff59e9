import { describe, expect, it } from "vitest";
import { LIMITS, renderPart, renderParts, splitMessages } from "../../adapters/discord/render.js";
import type { Part, Question } from "../../src/app/reply.js";

const question: Question = {
  promptId: "abcdefghijkl",
  cardId: "pip-to-npm",
  term: "pip",
  prompt: "pip is the Python equivalent of ___ (see `__init__.py`).",
  isNew: true,
  remaining: 3,
};
const answer = { answer: "npm", accept: ["npm cli"], explain: "x", link: "https://pip.pypa.io/" };

describe("rendering within Discord's limits", () => {
  it("a team-leech note quotes typed answers defused, one embed per card, within limits", () => {
    const typed = `@everyone **bold** <@123> ${"y".repeat(300)}`;
    const r = renderPart({
      kind: "team-leeches",
      note: {
        days: 28,
        cards: Array.from({ length: 12 }, (_, n) => ({
          cardId: `card-${n}`,
          term: "pip",
          prompt: "p".repeat(400),
          answer: "npm",
          learners: 4,
          missing: 3,
          wrong: [{ text: typed, count: 2 }],
        })),
      },
    });
    expect(r.embeds).toHaveLength(LIMITS.embeds);
    for (const e of r.embeds) expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
    const desc = r.embeds[0]?.description ?? "";
    expect(desc).toContain("missed by 3 of 4 learners");
    expect(desc).not.toContain("@everyone");
    expect(desc).not.toContain("**bold**");
    expect(desc).toContain("×2");
  });

  it("keeps every text within its limit", () => {
    const long = "word ".repeat(3000);
    const lookup = renderParts([
      {
        kind: "lookup",
        entries: Array.from({ length: 15 }, (_, n) => ({
          term: `${n}${long}`,
          js: long,
          aliases: [long],
          explain: long,
          link: "https://example.com/",
          tags: [],
          cardIds: [],
          related: Array.from({ length: 400 }, () => "pip"),
        })),
      },
    ]);
    expect(lookup.embeds.length).toBeGreaterThan(0);
    expect(lookup.embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
    let total = 0;
    for (const e of lookup.embeds) {
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.title);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.description);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
      total += (e.title?.length ?? 0) + (e.description?.length ?? 0);
      total += (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);

    expect(renderParts([{ kind: "text", text: long }]).content?.length).toBeLessThanOrEqual(
      LIMITS.content,
    );
    const board = (rows: number) =>
      renderParts([
        {
          kind: "leaderboard",
          board: {
            title: "Week",
            period: "2026-W19",
            rows: Array.from({ length: rows }, (_, n) => ({
              rank: n + 1,
              name: "Someone With A Long Name",
              points: 1000,
              streak: 9,
            })),
          },
        },
      ]);
    expect(board(0).embeds[0]?.description).toBe("Nobody has scored yet.");
    expect(board(500).embeds[0]?.description?.length).toBe(LIMITS.description);
  });

  it("labels rating buttons with Anki's words and intervals, within 80 characters", () => {
    const reveal = renderPart({
      kind: "reveal",
      question,
      answer,
      intervals: {
        Again: "in a minute",
        Hard: "in 6 minutes",
        Good: "x".repeat(200),
        Easy: "in 4 days",
      },
    });
    const [row] = reveal.components;
    expect(row?.components).toHaveLength(4);
    const labels = row?.components.map((c) => ("label" in c ? c.label : "")) ?? [];
    expect(labels.slice(0, 2)).toEqual(["Again · in a minute", "Hard · in 6 minutes"]);
    for (const l of labels) expect(l?.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
    const ids = row?.components.map((c) => ("custom_id" in c ? c.custom_id : ""));
    expect(ids).toEqual([1, 2, 3, 4].map((n) => `pyjs:rate:${n}:abcdefghijkl`));
  });

  it("shows deck text literally (blanks, dunders) but keeps `code`", () => {
    const q = renderPart({ kind: "question", question });
    expect(q.content).toContain("equivalent of \\_\\_\\_ (see `__init__.py`).");
  });

  it("never lets typed text mention anyone or format itself", () => {
    const r = renderPart({ kind: "unknown", query: "@everyone `x` <@123>", suggestions: [] });
    expect(r.content).not.toMatch(/@everyone|<@123>/);
    expect(r.content).toContain("`@\u200beveryone ˋxˋ <\u200b@123>`");
    const result = renderPart({
      kind: "result",
      result: {
        promptId: "abcdefghijkl",
        question,
        answer,
        verdict: "wrong",
        given: "**@here**",
        rating: "Again",
        nextIn: "in a minute",
        nextDue: new Date("2026-05-04T09:01:00Z"),
        amendable: true,
      },
    });
    expect(JSON.stringify(result)).not.toContain("@here");
    expect(result.embeds[0]?.description).toContain("Next review <t:1777885260:R>");
  });

  it("puts each question in a message of its own, led by the greeting", () => {
    const parts: Part[] = [
      { kind: "greeting", greeting: { due: 1, fresh: 2, unfinishedYesterday: true } },
      { kind: "question", question },
      { kind: "summary", summary: { reviewedToday: 3, correctToday: 2, streak: 4 } },
    ];
    expect(splitMessages(parts).map((m) => [m.parts.map((p) => p.kind), m.promptId])).toEqual([
      [["greeting", "question"], "abcdefghijkl"],
      [["summary"], undefined],
    ]);
  });

  it("keeps a leech note in a message of its own, apart from the next question", () => {
    const leech: Part = {
      kind: "leech",
      leech: {
        promptId: "zzzzzzzzzzzz",
        cardId: "pip-to-npm",
        term: "pip",
        prompt: question.prompt,
        lapses: 8,
        nextReminder: 12,
        answer,
      },
    };
    expect(
      splitMessages([leech, { kind: "question", question }]).map((m) => m.parts.map((p) => p.kind)),
    ).toEqual([["leech"], ["question"]]);
    expect(JSON.stringify(renderPart(leech))).toContain("pyjs:suspend:zzzzzzzzzzzz");
  });

  it("renders every part kind to something Discord accepts", () => {
    const all: Part[] = [
      { kind: "text", text: "t" },
      { kind: "help", lines: ["`/pyjs quiz` start"] },
      { kind: "usage", message: "u" },
      { kind: "expired" },
      { kind: "sent-to-dm" },
      { kind: "confirm-forget" },
      { kind: "forgotten", erased: ["settings", "reviews"] },
      { kind: "greeting", greeting: { due: 1, fresh: 0, unfinishedYesterday: false } },
      {
        kind: "stats",
        tz: "Europe/Berlin",
        stats: {
          reviewsToday: 1,
          reviewsThisWeek: 2,
          reviewsTotal: 3,
          retention30d: 0.9,
          cards: { new: 1, learning: 2, young: 3, mature: 4 },
          dueNow: 0,
          forecast: [{ date: "2026-05-04", due: 1 }],
          streak: 2,
          bestStreak: 5,
        },
      },
      { kind: "summary", summary: { reviewedToday: 0, correctToday: 0, streak: 0 } },
    ];
    for (const p of all) {
      const r = renderParts([p]);
      expect(Boolean(r.content) || r.embeds.length > 0, p.kind).toBe(true);
    }
    const forget = renderPart({ kind: "confirm-forget" });
    expect(forget.components[0]?.components[0]).toMatchObject({
      custom_id: "pyjs:forget",
      style: 4,
    });
    expect(renderPart({ kind: "sent-to-dm" }, { inDm: true }).content).toBe("📬 Here it comes.");
  });
});
