import { describe, expect, it } from "vitest";
import {
  type Block,
  enforceLimits,
  LIMITS,
  parseAction,
  renderHome,
  renderMessage,
  renderPart,
} from "../adapters/slack/blocks.js";
import { clipMrkdwn, clipPlain, esc, fromSlackText, link } from "../adapters/slack/mrkdwn.js";
import type { Part, Question } from "../src/app/reply.js";
import { blockKitViolations, findMentions } from "./fakes/slack-api.js";

const ctx = { tz: "Europe/Berlin" };
const EVIL = "<!channel> <@U123> <#C1> <!subteam^S1> & <https://evil.example|click>";
const question: Question = {
  promptId: "AAAAAAAAAAAA",
  cardId: "c",
  term: EVIL,
  prompt: `${EVIL} ${"x".repeat(4000)}`,
  isNew: true,
  remaining: 3,
};
const answer = {
  answer: EVIL,
  accept: [EVIL],
  explain: EVIL.repeat(100),
  link: "https://a.example/?a=1&b=2",
};
const due = new Date("2026-05-05T09:00:00Z");
const stats = {
  reviewsToday: 1,
  reviewsThisWeek: 2,
  reviewsTotal: 3,
  retention30d: 0.9,
  cards: { new: 1, learning: 1, young: 1, mature: 1 },
  dueNow: 0,
  nextDue: due,
  forecast: [{ date: "2026-05-05", due: 2 }],
  streak: 4,
  bestStreak: 9,
};

/** One of every part kind, each stuffed with hostile and over-long text. */
const EVERY_PART: Part[] = [
  { kind: "text", text: EVIL.repeat(200) },
  { kind: "help", lines: Array.from({ length: 200 }, () => EVIL) },
  { kind: "usage", message: EVIL },
  {
    kind: "lookup",
    entries: Array.from({ length: 40 }, (_, i) => ({
      term: `${EVIL}${i}`,
      js: EVIL,
      aliases: [],
      explain: EVIL.repeat(100),
      link: "https://docs.example/x",
      tags: [],
      cardIds: [],
      related: Array.from({ length: 300 }, () => EVIL),
    })),
  },
  { kind: "unknown", query: EVIL, suggestions: [EVIL, "pip"] },
  { kind: "question", question },
  {
    kind: "reveal",
    question,
    answer,
    intervals: {
      Again: "x".repeat(200),
      Hard: "in 6 minutes",
      Good: "in 10 minutes",
      Easy: "in 4 days",
    },
  },
  {
    kind: "result",
    result: {
      promptId: question.promptId,
      question,
      answer,
      verdict: "wrong",
      given: EVIL,
      rating: "Again",
      nextIn: "in a minute",
      nextDue: due,
      amendable: true,
    },
  },
  {
    kind: "leech",
    leech: {
      promptId: question.promptId,
      cardId: EVIL,
      term: EVIL,
      prompt: EVIL,
      lapses: 8,
      nextReminder: 12,
      answer,
    },
  },
  {
    kind: "summary",
    summary: {
      reviewedToday: 3,
      correctToday: 2,
      nextDue: due,
      nextIn: "in 1 day",
      streak: 2,
      nextDelivery: EVIL,
    },
  },
  { kind: "stats", stats, tz: "UTC", subscription: EVIL },
  { kind: "expired" },
  { kind: "greeting", greeting: { due: 2, fresh: 1, unfinishedYesterday: true } },
  {
    kind: "leaderboard",
    board: {
      title: EVIL,
      period: "2026-W19",
      rows: Array.from({ length: 500 }, (_, i) => ({
        rank: i + 1,
        name: EVIL,
        points: 500 - i,
        streak: i % 3,
      })),
      me: { rank: 7, points: 3, hidden: false },
      mostImproved: { name: EVIL, gain: 4 },
      totals: { reviews: 10, learners: 3 },
    },
  },
  { kind: "confirm-forget" },
  { kind: "forgotten", erased: [EVIL] },
  { kind: "sent-to-dm" },
  {
    kind: "team-leeches",
    note: {
      days: 28,
      cards: Array.from({ length: 10 }, () => ({
        cardId: EVIL,
        term: EVIL,
        prompt: EVIL,
        answer: EVIL,
        learners: 4,
        missing: 3,
        wrong: [{ text: EVIL, count: 2 }],
      })),
    },
  },
  { kind: "export", file: { name: EVIL, csv: EVIL, reviews: 3, cards: 1 } },
];

/** Mentions other than Slack's own date tokens. */
const pings = (v: unknown) => findMentions(v);

describe("Slack mrkdwn escaping", () => {
  it("escapes &, < and > so nothing in user text is a mention or a link", () => {
    expect(esc("<!channel> <@U1> a & b")).toBe("&lt;!channel&gt; &lt;@U1&gt; a &amp; b");
    expect(pings(esc(EVIL))).toEqual([]);
  });

  it("decodes what Slack sends into the text the person typed", () => {
    expect(fromSlackText("<http://setup.py|setup.py>")).toBe("setup.py");
    expect(fromSlackText("see <https://pypi.org>")).toBe("see https://pypi.org");
    expect(fromSlackText("<mailto:a@b.example|a@b.example>")).toBe("a@b.example");
    expect(fromSlackText("a &amp; b &lt;x&gt; &amp;lt;")).toBe("a & b <x> &lt;");
    expect(fromSlackText("<!channel> <@U1>")).toBe("<!channel> <@U1>");
    expect(esc(fromSlackText("&lt;!here&gt;"))).toBe("&lt;!here&gt;");
  });

  it("links only plain http(s) URLs and escapes their labels", () => {
    expect(link("https://a.example/?x=1&y=2", "<b>")).toBe(
      "<https://a.example/?x=1&amp;y=2|&lt;b&gt;>",
    );
    expect(link("javascript:alert(1)", "x")).toBe("x");
    expect(link("https://a.example/|<!channel>")).toBe("https://a.example/|&lt;!channel&gt;");
  });

  it("cuts long text with an ellipsis, never leaving half an entity or link", () => {
    expect(clipPlain("x".repeat(100), 75)).toHaveLength(75);
    expect(clipPlain("x".repeat(100), 75).endsWith("…")).toBe(true);
    expect(clipPlain("😀".repeat(50), 75)).not.toMatch(/[\uD800-\uDBFF]…$/);
    const entities = clipMrkdwn("&amp;".repeat(1000), 3000);
    expect(entities.length).toBeLessThanOrEqual(3000);
    expect(entities).toMatch(/(&amp;)+…$/);
    const links = clipMrkdwn(`${"a".repeat(2990)} <https://x.example/long|label>`, 3000);
    expect(links).toBe(`${"a".repeat(2990)} …`);
  });
});

describe("Block Kit rendering", () => {
  it.each(EVERY_PART.map((p) => [p.kind, p] as const))(
    "%s: within Block Kit limits and escaped",
    (_kind, part) => {
      const msg = renderMessage([part], ctx);
      expect(msg).toBeDefined();
      expect(blockKitViolations(msg?.blocks)).toEqual([]);
      expect(msg?.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
      expect(pings(msg)).toEqual([]);
    },
  );

  it("every part at once still makes one valid message", () => {
    const msg = renderMessage(EVERY_PART, ctx);
    expect(msg?.blocks).toHaveLength(LIMITS.messageBlocks);
    expect(blockKitViolations(msg?.blocks)).toEqual([]);
    expect(JSON.stringify(msg?.blocks.at(-1))).toMatch(/more not shown/);
  });

  it("keeps action_ids unique when two questions share a message", () => {
    const blocks = enforceLimits([
      ...renderPart({ kind: "question", question }, ctx),
      ...renderPart({ kind: "question", question }, ctx),
    ]);
    expect(blockKitViolations(blocks)).toEqual([]);
    const ids = blocks.flatMap((b: Block) =>
      b.type === "actions" ? b.elements.map((e) => ("action_id" in e ? e.action_id : "")) : [],
    );
    expect(ids).toEqual([
      "pyjs_show",
      "pyjs_skip",
      "pyjs_suspend",
      "pyjs_show_2",
      "pyjs_skip_2",
      "pyjs_suspend_2",
    ]);
    expect(parseAction("pyjs_skip_2", "AAAAAAAAAAAA")).toEqual({
      type: "skip",
      promptId: "AAAAAAAAAAAA",
    });
    expect(parseAction("pyjs_show_2", "AAAAAAAAAAAA")).toEqual({
      type: "show",
      promptId: "AAAAAAAAAAAA",
    });
  });

  it("labels the self-grade buttons Again / Hard / Good / Easy with their intervals", () => {
    const blocks = renderPart(EVERY_PART[6] as Part, ctx);
    const row = blocks.find((b) => b.type === "actions");
    const labels =
      row?.type === "actions" ? row.elements.map((e) => ("text" in e ? e.text?.text : "")) : [];
    expect(labels.slice(1)).toEqual([
      "Hard · in 6 minutes",
      "Good · in 10 minutes",
      "Easy · in 4 days",
    ]);
    expect(labels[0]?.startsWith("Again · xxx")).toBe(true);
    expect(labels[0]).toHaveLength(75);
  });

  it("renders the Home tab within the view limits", () => {
    // The admin's team-leech note is a DM, never on the Home tab.
    const view = renderHome(
      { kind: "stats", stats, tz: "UTC", subscription: "daily at 09:00 (UTC)" },
      EVERY_PART.filter((p) => p.kind !== "team-leeches"),
      ctx,
    );
    expect(view.type).toBe("home");
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.homeBlocks);
    expect(blockKitViolations(view.blocks, LIMITS.homeBlocks)).toEqual([]);
    expect(JSON.stringify(view)).toContain("Unsubscribe");
    expect(pings(view)).toEqual([]);
  });
});

describe("button actions", () => {
  it("turn back into App actions", () => {
    const id = "AAAAAAAAAAAA";
    expect(parseAction("pyjs_show", id)).toEqual({ type: "show", promptId: id });
    expect(parseAction("pyjs_rate_1", id)).toEqual({ type: "rate", promptId: id, rating: 1 });
    expect(parseAction("pyjs_rate_4_2", id)).toEqual({ type: "rate", promptId: id, rating: 4 });
    expect(parseAction("pyjs_rate_5", id)).toBeUndefined();
    expect(parseAction("pyjs_forget_confirm", "x")).toEqual({ type: "forget-confirm" });
    expect(parseAction("pyjs_cmd_subscribe", "subscribe")).toEqual({
      type: "command",
      text: "subscribe",
    });
    expect(parseAction("pyjs_show", undefined)).toBeUndefined();
    expect(parseAction("other", id)).toBeUndefined();
  });
});
