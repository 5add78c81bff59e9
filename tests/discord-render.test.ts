import { DiscordAPIError, HTTPError } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autocomplete } from "../adapters/discord/autocomplete.js";
import { discordRegister, PYJS_COMMAND, registerCommands } from "../adapters/discord/commands.js";
import { errInfo, redactUrl, toDeliveryError } from "../adapters/discord/errors.js";
import { parseCustomId } from "../adapters/discord/ids.js";
import { LIMITS, renderPart, renderParts, splitMessages } from "../adapters/discord/render.js";
import type { Part, Question } from "../src/app/reply.js";
import { buildGlossary } from "../src/core/lookup.js";
import { FakeDiscord, type Json } from "./fakes/discord.js";
import { bundledDeck } from "./support/app.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  await fake?.close();
});

describe("registering /pyjs", () => {
  const puts = () => fake.requests.filter((r) => r.method === "PUT");

  it("bulk-overwrites the guild's commands with the one pyjs command", async () => {
    const created = await registerCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
      guildId: fake.guildId,
    });
    expect(created.map((c) => c.name)).toEqual(["pyjs"]);
    const put = puts().at(-1);
    expect(put?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(put?.auth).toBe(`Bot ${fake.token}`);
    const body = put?.body as Json[];
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      name: "pyjs",
      type: 1,
      options: [{ name: "query", type: 3, autocomplete: true, required: false }],
    });
  });

  it("registers globally without --guild, and running it twice sends the same body", async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    };
    expect(await discordRegister([], env, io)).toBe(0);
    expect(await discordRegister([], env, io)).toBe(0);
    const [a, b] = puts().slice(-2);
    expect(a?.path).toBe(`/applications/${fake.applicationId}/commands`);
    expect(b?.body).toEqual(a?.body);
    expect(a?.body).toEqual([JSON.parse(JSON.stringify(PYJS_COMMAND))]);
    expect(out).toEqual([
      "Registered /pyjs globally (every server the bot is in).",
      "Registered /pyjs globally (every server the bot is in).",
    ]);

    expect(await discordRegister(["--guild", fake.guildId], env, io)).toBe(0);
    expect(puts().at(-1)?.path).toContain(`/guilds/${fake.guildId}/`);
    expect(out.at(-1)).toBe(`Registered /pyjs in server ${fake.guildId}.`);
  });

  it("explains bad arguments and missing configuration", async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const env = { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId };
    expect(await discordRegister(["--guild", "general"], env, io)).toBe(2);
    expect(out.at(-1)).toContain("--guild needs a server id");
    expect(await discordRegister(["--everywhere"], env, io)).toBe(2);
    expect(await discordRegister([], {}, io)).toBe(2);
    expect(out.at(-1)).toContain("DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set");
  });
});

describe("custom ids", () => {
  it("reads only the shapes pyjs makes", () => {
    expect(parseCustomId("pyjs:show:abcdefghijk_")).toEqual({
      kind: "show",
      promptId: "abcdefghijk_",
    });
    expect(parseCustomId("pyjs:rate:4:abcdefghij-k")).toEqual({
      kind: "rate",
      rating: 4,
      promptId: "abcdefghij-k",
    });
    expect(parseCustomId("pyjs:forget")).toEqual({ kind: "forget" });
    for (const bad of [
      "pyjs:rate:0:abcdefghijkl",
      "pyjs:rate:5:abcdefghijkl",
      "pyjs:show:short",
      "pyjs:show:abcdefghijkl:extra",
      "pyjs:show:abcdefghijk!",
      "other:show:abcdefghijkl",
      "pyjs:forget:now",
      "",
    ]) {
      expect(parseCustomId(bad), bad).toBeUndefined();
    }
  });
});

describe("autocomplete", () => {
  const glossary = buildGlossary(bundledDeck());

  it("matches Python and JS names and command words, 25 at most", () => {
    const js = autocomplete(glossary, "node_mod").map((c) => c.value);
    expect(js).toContain("node_modules");
    expect(autocomplete(glossary, "lead").map((c) => c.value)).toEqual([
      "leaderboard",
      "leaderboard here",
      "leaderboard off",
      "leaderboard on",
    ]);
    expect(autocomplete(glossary, "")).toHaveLength(LIMITS.choices);
  });

  it("suggests time zones after `subscribe HH:MM `", () => {
    const all = autocomplete(glossary, "subscribe 7:30 ");
    expect(all).toHaveLength(25);
    expect(all[0]?.value).toBe("subscribe 7:30 UTC");
    const ny = autocomplete(glossary, "subscribe 07:30 new_y").map((c) => c.value);
    expect(ny[0]).toBe("subscribe 07:30 America/New_York");
    const city = autocomplete(glossary, "subscribe 07:30 berl").map((c) => c.value);
    expect(city).toContain("subscribe 07:30 Europe/Berlin");
    expect(autocomplete(glossary, "subscribe tok").map((c) => c.value)).toContain(
      "subscribe Asia/Tokyo",
    );
    for (const c of autocomplete(glossary, `subscribe 07:30 ${"x".repeat(300)}`)) {
      expect(c.value.length).toBeLessThanOrEqual(LIMITS.choiceValue);
    }
  });
});

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

describe("delivery errors", () => {
  const apiError = (code: number, status: number) =>
    new DiscordAPIError(
      { code, message: `error ${code}` },
      code,
      status,
      "POST",
      "https://discord.com/api/v10/interactions/123/secret-token/callback",
      {},
    );

  it("treats a closed DM, a missing user, channel or permission and a bad token as permanent", () => {
    for (const [code, status] of [
      [50007, 403],
      [10003, 404],
      [10013, 404],
      [50001, 403],
      [50013, 403],
      [40001, 401],
      [0, 401],
    ] as const) {
      expect(toDeliveryError(apiError(code, status)), String(code)).toMatchObject({
        permanent: true,
        code: String(code),
      });
    }
  });

  it("retries the rest (rate limits, outages, network)", () => {
    expect(toDeliveryError(apiError(0, 429)).permanent).toBe(false);
    expect(toDeliveryError(apiError(130000, 503)).permanent).toBe(false);
    const outage = new HTTPError(502, "Bad Gateway", "POST", "https://x/api/v10/channels/1", {});
    expect(toDeliveryError(outage)).toMatchObject({ permanent: false, code: "502" });
    expect(toDeliveryError(new Error("ECONNRESET")).permanent).toBe(false);
  });

  it("keeps interaction tokens out of the logs", () => {
    expect(redactUrl("https://d/api/v10/webhooks/42/abc.def/messages/@original")).toBe(
      "https://d/api/v10/webhooks/42/[token]/messages/@original",
    );
    expect(JSON.stringify(errInfo(apiError(10062, 404)))).not.toContain("secret-token");
  });
});
