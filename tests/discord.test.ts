import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDiscord, type DiscordAdapter } from "../adapters/discord/index.js";
import { DeliveryError } from "../src/app/messenger.js";
import type { Part } from "../src/app/reply.js";
import type { App } from "../src/app/service.js";
import type { Actor } from "../src/app/types.js";
import { learner } from "../src/core/learner.js";
import { createMetrics, type Metrics } from "../src/metrics.js";
import { makeKeys } from "../src/store/keys.js";
import { PromptStore } from "../src/store/prompts.js";
import { ReviewStore } from "../src/store/reviews.js";
import { FakeDiscord, type FakeUser, type Json, until } from "./fakes/discord.js";
import { bundledDeck, testApp } from "./support/app.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix } = testRedis();
const prompts = new PromptStore(redis, makeKeys(prefix));
const reviews = new ReviewStore(redis, makeKeys(prefix));
let fake: FakeDiscord;
let discord: DiscordAdapter;
let app: App;
let metrics: Metrics;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  app = testApp(redis, prefix);
  metrics = createMetrics({ defaults: false });
  discord = await createDiscord({
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    },
    app,
    // DISCORD_TEST_LOG=debug shows what the adapter logs while debugging a test.
    log: pino({ level: process.env.DISCORD_TEST_LOG ?? "silent" }),
    metrics,
  });
  await discord.start();
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const data = (cb: Json | undefined) => (cb?.data ?? {}) as Json;
const embeds = (body: Json) => (body.embeds ?? []) as Json[];
const customIds = (body: Json) =>
  ((body.components ?? []) as { components: { custom_id?: string; label?: string }[] }[]).flatMap(
    (r) => r.components.map((c) => c.custom_id ?? ""),
  );
const labels = (body: Json) =>
  ((body.components ?? []) as { components: { label?: string }[] }[]).flatMap((r) =>
    r.components.map((c) => c.label ?? ""),
  );
const promptIdIn = (body: Json) =>
  customIds(body)
    .map((id) => /^pyjs:show:(.+)$/.exec(id)?.[1])
    .find(Boolean);

/** The question messages the bot has posted in a user's DM, as stored by the fake. */
function questions(user: FakeUser): Json[] {
  return fake.created(fake.dmChannel(user)).filter((m) => promptIdIn(m));
}

async function nthQuestion(user: FakeUser, n: number): Promise<{ msg: Json; promptId: string }> {
  const msg = await until(() => questions(user)[n], `question #${n + 1} in ${user.username}'s DM`);
  const promptId = promptIdIn(msg);
  if (!promptId) throw new Error("question without a prompt id");
  return { msg, promptId };
}

async function answerOf(user: FakeUser, promptId: string): Promise<string> {
  const p = await prompts.get(learner.discord(user.id), promptId);
  const card = p && bundledDeck().byId.get(p.card);
  if (!card) throw new Error(`no card for prompt ${promptId}`);
  return card.answer;
}

/** Starts a quiz from a server channel and returns the first question, once acknowledged. */
async function startQuiz(user: FakeUser) {
  const id = fake.slash(user, "quiz");
  const first = await nthQuestion(user, 0);
  // The acknowledgement comes after the question is sent and its place remembered.
  await until(() => fake.originalEdit(id), "quiz acknowledgement");
  return { interaction: id, ...first };
}

describe("the gateway connection", () => {
  it("discovers the gateway from GET /gateway/bot and connects with JSON, no compression", () => {
    expect(fake.requests.some((r) => r.method === "GET" && r.path === "/gateway/bot")).toBe(true);
    expect(fake.gatewayQueries[0]).toBe("v=10&encoding=json");
    // Guilds (1) | DirectMessages (4096); no privileged MessageContent (32768).
    expect(fake.identifies[0]?.intents).toBe(1 | 4096);
    expect(fake.identifies[0]?.token).toBe(fake.token);
    expect(discord.ready()).toBe(true);
  });
});

describe("/pyjs lookups and autocomplete", () => {
  it("answers a lookup at once, only to the asker, with an embed", async () => {
    const alice = fake.user("alice");
    const id = fake.slash(alice, "pip");
    const cb = await until(() => fake.callbacks(id)[0], "lookup reply");
    expect(cb.type).toBe(4);
    expect(data(cb).flags).toBe(64);
    const e = embeds(data(cb))[0];
    expect(e?.title).toBe("pip ≈ npm");
    expect(e?.url).toMatch(/^https:\/\//);
    expect(String(e?.description)).toContain("PyPI");
    const fields = (e?.fields ?? []) as { name: string; value: string }[];
    expect(fields.map((f) => f.name)).toEqual(["JavaScript", "Also known as", "Docs", "Related"]);
    expect(fields.find((f) => f.name === "JavaScript")?.value).toBe("npm");
  });

  it("offers suggestions for an unknown term", async () => {
    const id = fake.slash(fake.user("bob"), "pipz");
    const cb = await until(() => fake.callbacks(id)[0], "unknown reply");
    expect(cb.type).toBe(4);
    expect(data(cb).flags).toBe(64);
    expect(String(data(cb).content)).toMatch(/I don't know `pipz`\. Did you mean \*\*pip/);
  });

  it("autocompletes terms and command words, at most 25, names within 100 characters", async () => {
    const carol = fake.user("carol");
    const id = fake.autocomplete(carol, "pi");
    const cb = await until(() => fake.callbacks(id)[0], "autocomplete");
    expect(cb.type).toBe(8);
    const choices = data(cb).choices as { name: string; value: string }[];
    expect(choices.map((c) => c.value)).toContain("pip");
    expect(choices.map((c) => c.value)).toContain("pipx");

    const empty = fake.autocomplete(carol, "");
    const all = data(await until(() => fake.callbacks(empty)[0], "autocomplete")).choices as {
      name: string;
      value: string;
    }[];
    expect(all).toHaveLength(25);
    expect(all.slice(0, 3).map((c) => c.value)).toEqual(["help", "quiz", "subscribe"]);
    for (const c of all) expect(c.name.length).toBeLessThanOrEqual(100);

    const tz = fake.autocomplete(carol, "subscribe 09:00 Europe/Be");
    const zones = data(await until(() => fake.callbacks(tz)[0], "zone autocomplete")).choices as {
      value: string;
    }[];
    expect(zones.map((z) => z.value)).toContain("subscribe 09:00 Europe/Berlin");
    expect(zones.every((z) => z.value.startsWith("subscribe 09:00 "))).toBe(true);
  });

  it("passes the query through the shared grammar (subscribe with an IANA zone)", async () => {
    const dave = fake.user("dave");
    const id = fake.slash(dave, "subscribe 07:30 europe/berlin");
    const cb = await until(() => fake.callbacks(id)[0], "subscribe reply");
    expect(cb.type).toBe(4);
    expect(String(data(cb).content)).toContain("07:30 (Europe/Berlin)");
    const bad = fake.slash(dave, "subscribe 07:30 Mars/Olympus");
    const no = await until(() => fake.callbacks(bad)[0], "bad zone reply");
    expect(String(data(no).content)).toContain("not a time zone I know");
  });

  it("defers the reply when the app is slow, then edits it", async () => {
    const erin = fake.user("erin");
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const original = app.handleCommand.bind(app);
    const spy = vi.spyOn(app, "handleCommand").mockImplementationOnce(async (...args) => {
      await gate;
      return original(...args);
    });
    try {
      const id = fake.slash(erin, "venv");
      const first = await until(() => fake.callbacks(id)[0], "deferral");
      expect(first).toMatchObject({ type: 5, data: { flags: 64 } });
      release();
      const edit = await until(() => fake.originalEdit(id), "edited reply");
      expect(embeds(edit)[0]?.title).toMatch(/^venv/);
      expect(fake.callbacks(id)).toHaveLength(1);
    } finally {
      release();
      spy.mockRestore();
    }
  });
});

describe("the DM quiz", () => {
  it("quiz -> DM -> Show answer -> Good -> the message shows the result and the next card arrives", async () => {
    const frank = fake.user("frank");
    const { interaction, msg, promptId } = await startQuiz(frank);
    expect(fake.callbacks(interaction)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    const ack = await until(() => fake.originalEdit(interaction), "quiz acknowledgement");
    expect(ack.content).toBe("📬 Sent to your direct messages.");
    expect(String(msg.content)).toContain("New card");
    expect(labels(msg)).toEqual(["Answer", "Show answer"]);
    expect(customIds(msg)).toEqual([`pyjs:answer:${promptId}`, `pyjs:show:${promptId}`]);
    // The question's place is remembered for typed answers.
    expect(
      await app.promptRef({ learner: learner.discord(frank.id), platform: "discord" }, promptId),
    ).toBe(`${fake.dmChannel(frank)}:${msg.id}`);

    const show = fake.button(frank, `pyjs:show:${promptId}`, msg);
    const reveal = await until(() => fake.callbacks(show)[0], "reveal");
    expect(reveal.type).toBe(7);
    expect(String(embeds(data(reveal))[0]?.description)).toContain("Answer: **");
    const rateLabels = labels(data(reveal));
    expect(rateLabels.map((l) => l.split(" · ")[0])).toEqual(["Again", "Hard", "Good", "Easy"]);
    expect(rateLabels[2]).toMatch(/^Good · in \d+ minutes$/);

    const good = fake.button(frank, `pyjs:rate:3:${promptId}`, msg);
    const result = await until(() => fake.callbacks(good)[0], "result");
    expect(result.type).toBe(7);
    expect(String(data(result).content)).toContain("Rated **Good**.");
    expect(String(embeds(data(result))[0]?.description)).toMatch(/Next review <t:\d+:R>/);
    // The four buttons stay, the applied one ticked, so the rating can be changed.
    expect(labels(data(result))).toEqual(["Again", "Hard", "✓ Good", "Easy"]);

    const next = await nthQuestion(frank, 1);
    expect(next.promptId).not.toBe(promptId);
    await until(
      async () => ((await metrics.promptsSent.get()).values[0]?.value ?? 0) >= 2,
      "questions counted",
    );
    expect(await reviews.log(learner.discord(frank.id))).toHaveLength(1);

    // Changing the rating afterwards amends the review; it is not a second one.
    const easy = fake.button(frank, `pyjs:rate:4:${promptId}`, msg);
    const amended = await until(() => fake.callbacks(easy)[0], "amended result");
    expect(amended.type).toBe(7);
    expect(String(data(amended).content)).toContain("Changed to **Easy**");
    expect(await reviews.log(learner.discord(frank.id))).toHaveLength(1);
    expect(questions(frank)).toHaveLength(2);
  });

  it("keeps sending the next card until the session ends, then a summary", async () => {
    const uma = fake.user("uma");
    await startQuiz(uma);
    const summary = () =>
      fake
        .posted(fake.dmChannel(uma))
        .find((b) => String(b.content).includes("All done for today"));
    for (let n = 0; !summary(); n++) {
      expect(n).toBeLessThan(10);
      const q = await nthQuestion(uma, n);
      const easy = fake.button(uma, `pyjs:rate:4:${q.promptId}`, q.msg);
      await until(() => fake.callbacks(easy)[0], `rating #${n + 1}`);
      await until(() => questions(uma)[n + 1] ?? summary(), "the next card or the summary");
    }
    expect(String(summary()?.content)).toMatch(/All done for today: 5 reviewed, 5 correct\./);
    expect(await reviews.log(learner.discord(uma.id))).toHaveLength(5);
  });

  it("a double click records one review and sends the next card once", async () => {
    const gina = fake.user("gina");
    const { msg, promptId } = await startQuiz(gina);
    const a = fake.button(gina, `pyjs:rate:3:${promptId}`, msg);
    const b = fake.button(gina, `pyjs:rate:3:${promptId}`, msg);
    const types = await until(() => {
      const x = fake.callbacks(a)[0];
      const y = fake.callbacks(b)[0];
      return x && y ? [x.type, y.type].sort() : undefined;
    }, "both clicks answered");
    // One shows the result; the other is only acknowledged.
    expect(types).toEqual([6, 7]);
    await nthQuestion(gina, 1);
    expect(await reviews.log(learner.discord(gina.id))).toHaveLength(1);
    // Repeating the same rating later changes nothing and sends nothing.
    const again = fake.button(gina, `pyjs:rate:3:${promptId}`, msg);
    expect((await until(() => fake.callbacks(again)[0], "repeat")).type).toBe(6);
    expect(await reviews.log(learner.discord(gina.id))).toHaveLength(1);
    expect(questions(gina)).toHaveLength(2);
  });

  it("Answer opens a modal; submitting it grades the typed answer", async () => {
    const hugo = fake.user("hugo");
    const { msg, promptId } = await startQuiz(hugo);
    const open = fake.button(hugo, `pyjs:answer:${promptId}`, msg);
    const modal = await until(() => fake.callbacks(open)[0], "modal");
    expect(modal.type).toBe(9);
    expect(data(modal).custom_id).toBe(`pyjs:modal:${promptId}`);
    expect(JSON.stringify(data(modal).components)).toContain('"custom_id":"answer"');

    const answer = await answerOf(hugo, promptId);
    const submit = fake.modalSubmit(hugo, `pyjs:modal:${promptId}`, { answer }, msg);
    const result = await until(() => fake.callbacks(submit)[0], "modal result");
    expect(result.type).toBe(7);
    expect(String(data(result).content)).toContain("✅ Correct!");
    await nthQuestion(hugo, 1);
    expect(await reviews.log(learner.discord(hugo.id))).toHaveLength(1);
  });

  it("a typed DM answers the open question: the question message is edited, the next card sent", async () => {
    const ines = fake.user("ines");
    const { msg, promptId } = await startQuiz(ines);
    const answer = await answerOf(ines, promptId);
    fake.dm(ines, answer);
    const edit = await until(
      () =>
        fake.requests.find(
          (r) =>
            r.method === "PATCH" &&
            r.path === `/channels/${fake.dmChannel(ines)}/messages/${msg.id}`,
        ),
      "edited question",
    );
    expect(String((edit.body as Json).content)).toContain("✅ Correct!");
    expect(labels(edit.body as Json)).toEqual(["Again", "Hard", "✓ Good", "Easy"]);
    await nthQuestion(ines, 1);
    expect(await reviews.log(learner.discord(ines.id))).toHaveLength(1);

    // A typed command in the DM is answered there.
    fake.dm(ines, "stats");
    const stats = await until(
      () =>
        fake.posted(fake.dmChannel(ines)).find((b) => embeds(b)[0]?.title === "Your pyjs progress"),
      "stats in the DM",
    );
    expect(JSON.stringify(stats)).toContain("1 total");
  });

  it("a user whose DMs are closed is told how to open them, ephemerally", async () => {
    const jo = fake.user("jo");
    fake.closedDms.add(jo.id);
    const id = fake.slash(jo, "quiz");
    const edit = await until(() => fake.originalEdit(id), "DMs-closed explanation");
    expect(fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(String(edit.content)).toContain(
      `**${fake.guildName}** → **Privacy Settings** and turn on **Direct Messages**`,
    );
    // The bot carries on.
    const next = fake.slash(jo, "pipx");
    expect((await until(() => fake.callbacks(next)[0], "lookup after")).type).toBe(4);
  });

  it("DMs closed in the middle of a quiz: the result shows, a follow-up explains", async () => {
    const ken = fake.user("ken");
    const { msg, promptId } = await startQuiz(ken);
    fake.closedDms.add(ken.id);
    const good = fake.button(ken, `pyjs:rate:3:${promptId}`, msg);
    const follow = await until(() => fake.followUps(good)[0], "follow-up");
    expect(fake.callbacks(good)[0]?.type).toBe(7);
    expect(follow.flags).toBe(64);
    expect(String(follow.content)).toContain("Privacy Settings");
  });

  it("forged or stale custom ids get a polite ephemeral 'expired'", async () => {
    const kim = fake.user("kim");
    const msg = { id: "1", channel_id: fake.dmChannel(kim), author: fake.bot, content: "" };
    for (const custom of [
      "pyjs:rate:3:AAAAAAAAAAAA", // right shape, unknown prompt
      "pyjs:show:AAAAAAAAAAAA",
      "pyjs:rate:9:AAAAAAAAAAAA", // no such rating
      "pyjs:show:../../etc",
      "pyjs:modal:AAAAAAAAAAAA",
    ]) {
      const id = fake.button(kim, custom, msg);
      const cb = await until(() => fake.callbacks(id)[0], `reply to ${custom}`);
      expect(cb.type).toBe(4);
      expect(data(cb).flags).toBe(64);
      expect(String(data(cb).content)).toContain("This card has expired");
    }
    const modal = fake.modalSubmit(kim, "pyjs:modal:AAAAAAAAAAAA", { answer: "npm" });
    const cb = await until(() => fake.callbacks(modal)[0], "forged modal");
    expect(String(data(cb).content)).toContain("This card has expired");
  });
});

describe("who is asking", () => {
  it("maps Manage Server to isAdmin, the server to the tenant and the nickname to the name", async () => {
    const seen: Actor[] = [];
    const original = app.handleCommand.bind(app);
    const spy = vi.spyOn(app, "handleCommand").mockImplementation((actor, text, now) => {
      seen.push(actor);
      return original(actor, text, now);
    });
    try {
      const lee = fake.user("lee", "Lee G");
      const cases: [string, boolean][] = [
        ["32", true], // Manage Server
        ["8", true], // Administrator implies it
        [String((1n << 3n) | (1n << 5n) | (1n << 13n)), true],
        ["0", false],
        ["8192", false], // Manage Messages only
      ];
      for (const [permissions, admin] of cases) {
        const id = fake.slash(lee, "leaderboard here", { permissions, nick: "Captain Lee" });
        await until(() => fake.callbacks(id)[0], "reply");
        const actor = seen.at(-1);
        expect(actor?.isAdmin, `permissions ${permissions}`).toBe(admin);
        expect(actor).toMatchObject({
          learner: learner.discord(lee.id),
          platform: "discord",
          tenant: fake.guildId,
          channel: fake.channelId,
          name: "Captain Lee",
        });
      }
      const dm = fake.slash(lee, "help", { inGuild: false });
      await until(() => fake.callbacks(dm)[0], "DM reply");
      expect(seen.at(-1)).toMatchObject({ isAdmin: false, tenant: undefined, name: "Lee G" });
    } finally {
      spy.mockRestore();
    }
  });
});

describe("leaderboard and forget me", () => {
  it("shows the team board, deferred, as an embed", async () => {
    const quinn = fake.user("quinn");
    const id = fake.slash(quinn, "leaderboard");
    const edit = await until(() => fake.originalEdit(id), "board");
    expect(fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(String(embeds(edit)[0]?.title)).toMatch(/^🏆 /);
  });

  it("forget me asks for confirmation with a button, which erases and says so", async () => {
    const rae = fake.user("rae");
    const q = await startQuiz(rae);
    const good = fake.button(rae, `pyjs:rate:3:${q.promptId}`, q.msg);
    await until(() => fake.callbacks(good)[0], "rated");
    expect(await reviews.log(learner.discord(rae.id))).toHaveLength(1);
    const id = fake.slash(rae, "forget me");
    const ask = await until(() => fake.originalEdit(id), "confirmation");
    expect(customIds(ask)).toEqual(["pyjs:forget"]);
    const msg = { ...ask, id: "1", channel_id: fake.channelId, author: fake.bot, flags: 64 };
    const press = fake.button(rae, "pyjs:forget", msg, { inGuild: true });
    const done = await until(() => fake.callbacks(press)[0], "erased");
    expect(done.type).toBe(7);
    expect(String(data(done).content)).toContain("pyjs keeps nothing about you now");
    expect(customIds(data(done))).toEqual([]);
    expect(await reviews.log(learner.discord(rae.id))).toHaveLength(0);
  });
});

describe("the Messenger port", () => {
  it("sends a daily delivery to the DMs and remembers where the question is", async () => {
    const mia = fake.user("mia");
    const actor: Actor = { learner: learner.discord(mia.id), platform: "discord" };
    const r = await app.handleCommand(actor, "quiz");
    const parts: Part[] = [
      { kind: "greeting", greeting: { due: 0, fresh: 5, unfinishedYesterday: false } },
      ...(r.dm ?? []),
    ];
    await discord.messenger.sendDm(actor.learner, parts);
    const sent = fake.posted(fake.dmChannel(mia));
    // One message: the greeting leads the question, so a retry cannot repeat half of it.
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain("Good morning! 0 reviews and 5 new cards today.");
    const q = await nthQuestion(mia, 0);
    expect(await app.promptRef(actor, q.promptId)).toBe(`${fake.dmChannel(mia)}:${q.msg.id}`);
  });

  it("delivers over REST alone, from a process that never connected to the gateway", async () => {
    const sam = fake.user("sam");
    const worker = await createDiscord({
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      },
      app,
      log: pino({ level: "silent" }),
    });
    try {
      await worker.messenger.sendDm(learner.discord(sam.id), [{ kind: "text", text: "hello" }]);
      expect(fake.posted(fake.dmChannel(sam))[0]).toMatchObject({
        content: "hello",
        allowed_mentions: { parse: [] },
      });
      expect(worker.ready()).toBe(false);
    } finally {
      await worker.stop();
    }
  });

  it("maps closed DMs, unknown users and channels to permanent delivery errors", async () => {
    const ned = fake.user("ned");
    fake.closedDms.add(ned.id);
    const text: Part[] = [{ kind: "text", text: "hi" }];
    const closed = await discord.messenger.sendDm(learner.discord(ned.id), text).catch((e) => e);
    expect(closed).toBeInstanceOf(DeliveryError);
    expect(closed).toMatchObject({ permanent: true, code: "50007" });
    const nobody = await discord.messenger.sendDm("discord:42", text).catch((e) => e);
    expect(nobody).toMatchObject({ permanent: true, code: "50033" });
    const slack = await discord.messenger.sendDm("slack:T1:U1", text).catch((e) => e);
    expect(slack).toMatchObject({ permanent: true });
    const channel = await discord.messenger
      .postToChannel(fake.guildId, "4242424242424242424", text)
      .catch((e) => e);
    expect(channel).toMatchObject({ permanent: true, code: "10003" });
    const tenant = await discord.messenger
      .postToChannel("999999999999999999", fake.channelId, text)
      .catch((e) => e);
    expect(tenant).toMatchObject({ permanent: true, code: "tenant" });
  });

  it("posts the weekly board in a server channel, with streak flames and no pings", async () => {
    await discord.messenger.postToChannel(fake.guildId, fake.channelId, [
      {
        kind: "leaderboard",
        board: {
          title: "This week's board",
          period: "2026-W19",
          rows: [
            { rank: 1, name: "@everyone", points: 42, streak: 3 },
            { rank: 2, name: "<@123> *bold*", points: 7, streak: 0 },
          ],
        },
      },
    ]);
    const body = fake.posted(fake.channelId).at(-1) as Json;
    const e = embeds(body)[0];
    expect(e?.title).toBe("🏆 This week's board · 2026-W19");
    expect(String(e?.description)).toContain("🔥3");
    expect(String(e?.description)).not.toMatch(/@everyone|<@123>/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });
});

describe("resilience", () => {
  it("a wrong token fails start(), and makes deliveries fail for good", async () => {
    const make = () =>
      createDiscord({
        env: { DISCORD_TOKEN: "not-the-token", DISCORD_API_URL: fake.apiUrl },
        app,
        log: pino({ level: "silent" }),
      });
    const bad = await make();
    await expect(bad.start()).rejects.toThrow(/token/i);
    expect(bad.ready()).toBe(false);
    await bad.stop();
    const worker = await make();
    const err = await worker.messenger
      .sendDm(learner.discord(fake.user("tom").id), [{ kind: "text", text: "hi" }])
      .catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ permanent: true, code: "0" });
    await worker.stop();
  });

  it("an app failure gets an ephemeral apology and nothing crashes", async () => {
    const spy = vi.spyOn(app, "handleCommand").mockRejectedValueOnce(new Error("redis down"));
    try {
      const id = fake.slash(fake.user("pat"), "stats");
      const edit = await until(() => fake.originalEdit(id), "apology");
      expect(fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(String(edit.content)).toContain("something went wrong");
      expect(discord.ready()).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it("resumes after the gateway drops the connection and keeps answering", async () => {
    fake.dropConnections(4000);
    await until(() => fake.resumes > 0 && fake.connectedClients() === 1, "resumed session");
    await until(() => discord.ready(), "ready again");
    const id = fake.slash(fake.user("olga"), "npx");
    expect((await until(() => fake.callbacks(id)[0], "lookup after resume")).type).toBe(4);
  });
});

describe("mentions", () => {
  it("every message, reply, edit and follow-up the bot sent had allowed_mentions {parse: []}", () => {
    const bodies: { where: string; body: Json }[] = [];
    for (const r of fake.requests) {
      const body = r.body as Json | undefined;
      if (!body) continue;
      if (/^\/channels\/\d+\/messages/.test(r.path) || r.path.startsWith("/webhooks/")) {
        bodies.push({ where: `${r.method} ${r.path}`, body });
      } else if (r.path.startsWith("/interactions/") && (body.type === 4 || body.type === 7)) {
        bodies.push({ where: body.type === 4 ? "reply" : "update", body: data(body) });
      }
    }
    const kinds = new Set(bodies.map((b) => b.where.replace(/\d+|itok-\w+/g, ":id")));
    // DMs, edits of DMs, channel posts, interaction replies and updates, deferred-reply edits.
    expect([...kinds].sort()).toEqual([
      "PATCH /channels/:id/messages/:id", // a question edited into its result (typed answer)
      "PATCH /webhooks/:id/:id/messages/@original", // a deferred reply
      "POST /channels/:id/messages", // DMs and channel posts
      "POST /webhooks/:id/:id", // a follow-up
      "reply", // ephemeral replies
      "update", // a question updated by a button
    ]);
    for (const b of bodies) expect(b.body.allowed_mentions, b.where).toEqual({ parse: [] });
  });
});
