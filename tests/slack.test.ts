import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlack, type Slack } from "../adapters/slack/index.js";
import { DeliveryError } from "../src/app/messenger.js";
import { loadConfig } from "../src/config.js";
import { type HttpServer, startHttpServer } from "../src/http/server.js";
import { createMetrics } from "../src/metrics.js";
import { makeKeys } from "../src/store/keys.js";
import { PromptStore } from "../src/store/prompts.js";
import { ReviewStore } from "../src/store/reviews.js";
import { FakeSlackApi, findMentions, type SlackCall } from "./fakes/slack-api.js";
import {
  blockActionBody,
  dmMessageEvent,
  eventBody,
  type Person,
  postSigned,
  slashCommandBody,
} from "./fakes/slack-requests.js";
import { bundledDeck, testApp } from "./support/app.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const SECRET = "test-signing-secret";
const FORM = "application/x-www-form-urlencoded";
const TEAM = "T0TEAM";
const { redis, prefix } = testRedis();
const keys = makeKeys(prefix);
const reviews = new ReviewStore(redis, keys);
const prompts = new PromptStore(redis, keys);
const app = testApp(redis, prefix);
const metrics = createMetrics({ defaults: false });
const log = pino({ level: "silent" });
const fake = new FakeSlackApi();
const clock = new Date("2026-05-04T09:00:00Z");
let slack: Slack;
let http: HttpServer;
let events = "";
let people = 0;

beforeAll(async () => {
  await fake.start();
  const env = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  slack = await createSlack({
    env,
    app,
    log,
    metrics,
    now: () => clock,
    retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 },
  });
  await slack.start();
  http = await startHttpServer({
    port: 0,
    host: "127.0.0.1",
    log,
    metrics,
    healthy: async () => true,
    ready: async () => slack.ready(),
    routes: slack.routes,
  });
  events = `http://127.0.0.1:${http.port}/slack/events`;
});

afterAll(async () => {
  await slack?.stop();
  await http?.close();
  await fake.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** A new person for each test, so their learner data never meet. */
function person(name = "pat"): Person {
  people += 1;
  return { team: TEAM, user: `U${String(people).padStart(4, "0")}X`, name };
}
const learner = (p: Person) => `slack:${p.team}:${p.user}`;
const dmOf = (p: Person) => `D${p.user}`;

async function command(p: Person, text: string, channel?: string) {
  const responseUrl = fake.responseUrl();
  const body = slashCommandBody(p, text, { responseUrl, ...(channel ? { channel } : {}) });
  const res = await postSigned(events, body, FORM, { secret: SECRET });
  await slack.settled();
  return { ...res, responseUrl };
}

async function click(
  p: Person,
  action: { action_id: string; value?: string },
  opts: { messageTs?: string; home?: boolean; ephemeral?: boolean; channel?: string } = {},
) {
  const responseUrl = fake.responseUrl();
  const res = await postSigned(events, blockActionBody(p, action, { responseUrl, ...opts }), FORM, {
    secret: SECRET,
  });
  await slack.settled();
  return { ...res, responseUrl };
}

async function say(
  p: Person,
  text: string,
  opts: { clientMsgId?: string; retryNum?: number } = {},
) {
  const event = dmMessageEvent(p, text, opts.clientMsgId ? { clientMsgId: opts.clientMsgId } : {});
  const res = await postSigned(events, eventBody(p, event), "application/json", {
    secret: SECRET,
    ...(opts.retryNum !== undefined ? { retryNum: opts.retryNum } : {}),
  });
  await slack.settled();
  return res;
}

/** chat.postMessage calls that went to this person's DM. */
const posts = (p: Person): SlackCall[] =>
  fake.callsTo("chat.postMessage").filter((c) => c.body.channel === dmOf(p));
const updates = (p: Person): SlackCall[] =>
  fake.callsTo("chat.update").filter((c) => c.body.channel === dmOf(p));
const json = (v: unknown) => JSON.stringify(v);

interface ButtonLike {
  action_id?: string;
  value?: string;
  text?: { text?: string };
}
function buttons(blocks: unknown): ButtonLike[] {
  const out: ButtonLike[] = [];
  for (const b of (blocks as { type: string; elements?: ButtonLike[] }[]) ?? [])
    if (b.type === "actions") out.push(...(b.elements ?? []));
  return out;
}
/** The question a post asks: its prompt id (Show answer's value) and message ts. */
function questionIn(call: SlackCall | undefined): { promptId: string; ts: string } {
  const show = buttons(call?.body.blocks).find((b) => b.action_id === "pyjs_show");
  const ts = (call?.result.ts as string | undefined) ?? "";
  if (!show?.value || !ts) throw new Error(`no question in ${json(call?.body)}`);
  return { promptId: show.value, ts };
}

describe("/pyjs in a channel", () => {
  it("answers a lookup at once, only to the asker, without any Web API call", async () => {
    const p = person();
    const before = fake.calls.length;
    const res = await command(p, "pip");
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe("ephemeral");
    const shown = json(res.json?.blocks);
    expect(shown).toContain("*pip*");
    expect(shown).toContain("npm");
    expect(shown).toContain("Docs: <https://");
    expect(shown).toContain("Related:");
    expect(typeof res.json?.text).toBe("string");
    expect(fake.calls.length).toBe(before);
  });

  it("suggests terms for an unknown one and lists the commands for help", async () => {
    const p = person();
    const unknown = await command(p, "pipz");
    expect(json(unknown.json?.blocks)).toMatch(/I don't know “pipz”\. Did you mean: .*\*pip\*/);
    const help = await command(p, "");
    const text = json(help.json?.blocks);
    for (const word of ["quiz", "subscribe", "stats", "leaderboard", "forget me"])
      expect(text).toContain(word);
    expect(text).toContain("&lt;term&gt;");
  });

  it("never lets echoed text ping anyone", async () => {
    const p = person();
    const channel = await command(p, "<!channel>");
    const user = await command(p, "<@U123> & <!here>");
    for (const res of [channel, user]) {
      expect(res.status).toBe(200);
      expect(findMentions(res.json)).toEqual([]);
    }
    expect(json(channel.json)).toContain("&lt;!channel&gt;");
    expect(json(user.json)).toContain("&lt;@U123&gt; &amp; &lt;!here&gt;");
  });

  it("reads Slack's wire format: auto-links and &amp; entities are decoded, then escaped again", async () => {
    const p = person();
    const linked = await command(p, "<http://setup.py|setup.py>");
    expect(json(linked.json?.blocks)).toContain("*setup.py*");
    const entity = await command(p, "a &amp; b &lt;x&gt;");
    expect(json(entity.json?.blocks)).toContain("“a &amp; b &lt;x&gt;”");
    expect(json(entity.json?.blocks)).not.toContain("&amp;amp;");
  });

  it("uses the time zone from users.info when subscribing without one", async () => {
    const p = person();
    fake.setUser(p.user, { tz: "Asia/Kolkata" });
    const res = await command(p, "subscribe 07:30");
    expect(json(res.json)).toContain("07:30 (Asia/Kolkata)");
    expect(fake.callsTo("users.info").some((c) => c.body.user === p.user)).toBe(true);
    const stats = await command(p, "stats");
    expect(json(stats.json)).toContain("daily at 07:30 (Asia/Kolkata)");
  });

  it("rejects requests with a wrong or stale signature", async () => {
    const p = person();
    const body = slashCommandBody(p, "pip", { responseUrl: fake.responseUrl() });
    const wrong = await postSigned(events, body, FORM, { secret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    const forged = await postSigned(events, body, FORM, { secret: SECRET, signature: "v0=00" });
    expect(forged.status).toBe(401);
    const stale = await postSigned(events, body, FORM, {
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(stale.status).toBe(401);
  });

  it("survives a malformed payload and keeps serving", async () => {
    const bad = await postSigned(events, "payload=%7Bnot-json", FORM, { secret: SECRET });
    expect(bad.status).toBe(400);
    const health = await fetch(`http://127.0.0.1:${http.port}/healthz`);
    expect(health.status).toBe(200);
    const ok = await command(person(), "venv");
    expect(ok.status).toBe(200);
  });
});

describe("the quiz in the DM", () => {
  it("sends the quiz to the DM; Show answer, then Good updates it and asks the next card", async () => {
    const p = person();
    const res = await command(p, "quiz");
    expect(res.json?.response_type).toBe("ephemeral");
    expect(json(res.json)).toContain("Sent to your direct messages");
    expect(fake.callsTo("conversations.open").some((c) => c.body.users === p.user)).toBe(true);
    expect(posts(p)).toHaveLength(1);
    const q = questionIn(posts(p)[0]);
    expect(json(posts(p)[0]?.body.blocks)).toContain("type your answer here".replace("t", "T"));

    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    expect(posts(p)).toHaveLength(1);
    const reveal = updates(p).at(-1);
    expect(reveal?.body.ts).toBe(q.ts);
    const labels = buttons(reveal?.body.blocks).map((b) => b.text?.text ?? "");
    expect(labels.map((l) => l.split(" · ")[0])).toEqual(["Again", "Hard", "Good", "Easy"]);
    expect(labels[2]).toBe("Good · in 10 minutes");
    for (const l of labels) expect(l.length).toBeLessThanOrEqual(75);
    expect(buttons(reveal?.body.blocks).map((b) => b.action_id)).toEqual([
      "pyjs_rate_1",
      "pyjs_rate_2",
      "pyjs_rate_3",
      "pyjs_rate_4",
    ]);

    await click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    const result = updates(p).at(-1);
    expect(result?.body.ts).toBe(q.ts);
    expect(json(result?.body.blocks)).toContain("Rated Good.");
    expect(json(result?.body.blocks)).toContain("Next review in 10 minutes (<!date^");
    expect(buttons(result?.body.blocks)).toHaveLength(4);
    expect(posts(p)).toHaveLength(2);
    expect(questionIn(posts(p)[1]).promptId).not.toBe(q.promptId);
    expect(await reviews.logLength(learner(p))).toBe(1);
  });

  it("grades a typed answer, updates the question with the result and asks the next", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    const prompt = await prompts.get(learner(p), q.promptId);
    const card = bundledDeck().byId.get(prompt?.card ?? "");
    if (!card) throw new Error("no card");
    await say(p, card.answer);
    const result = updates(p).at(-1);
    expect(result?.body.ts).toBe(q.ts);
    expect(json(result?.body.blocks)).toContain("Correct!");
    expect(posts(p)).toHaveLength(2);
    const log = await reviews.log(learner(p));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ card: card.id, rating: 3 });
  });

  it("grades an answer Slack auto-linked (setup.py) as typed", async () => {
    const p = person();
    const card = bundledDeck().cards.find((c) => c.answer === "setup.py");
    if (!card) throw new Error("no setup.py card");
    await prompts.open(learner(p), card.id, clock);
    await say(p, "<http://setup.py|setup.py>");
    expect(json(posts(p)[0]?.body.blocks)).toContain("Correct!");
    expect(await reviews.log(learner(p))).toMatchObject([{ card: card.id, rating: 3 }]);
  });

  it("escapes a typed answer that tries to ping the channel", async () => {
    const p = person();
    await command(p, "quiz");
    await say(p, "<!channel> <@U999>");
    const result = updates(p).at(-1);
    expect(json(result?.body.blocks)).toContain("&lt;!channel&gt; &lt;@U999&gt;");
    expect(findMentions(result?.body)).toEqual([]);
  });

  it("records one review and posts one follow-up for a double click", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    const press = () =>
      click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    await Promise.all([press(), press()]);
    await press();
    expect(await reviews.logLength(learner(p))).toBe(1);
    expect(posts(p)).toHaveLength(2);
    expect(fake.responses.filter((r) => json(r.body).includes("expired"))).toEqual([]);
  });

  it("a retried DM event (X-Slack-Retry-Num) records one review and posts one follow-up", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    const prompt = await prompts.get(learner(p), q.promptId);
    const answer = bundledDeck().byId.get(prompt?.card ?? "")?.answer ?? "?";
    const id = "9b2a7a3e-0000-4000-8000-000000000001";
    const first = await say(p, answer, { clientMsgId: id });
    const retry = await say(p, answer, { clientMsgId: id, retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(await reviews.logLength(learner(p))).toBe(1);
    expect(posts(p)).toHaveLength(2);
    expect(updates(p)).toHaveLength(1);
  });

  it("lets a rating be changed afterwards without asking a new card", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_rate_2", value: q.promptId }, { messageTs: q.ts });
    const amended = updates(p).at(-1);
    expect(amended?.body.ts).toBe(q.ts);
    expect(json(amended?.body.blocks)).toContain("Changed to Hard.");
    expect(posts(p)).toHaveLength(2);
    const log = await reviews.log(learner(p));
    expect(log).toHaveLength(1);
    expect(log[0]?.rating).toBe(2);
  });

  it("typed commands in the DM are answered there", async () => {
    const p = person();
    await say(p, "stats");
    expect(json(posts(p).at(-1)?.body.blocks)).toContain("Retention (30 days)");
    await say(p, "quiz");
    expect(posts(p)).toHaveLength(2);
    expect(json(posts(p).at(-1)?.body.blocks)).not.toContain("Sent to your direct messages");
    questionIn(posts(p).at(-1));
  });

  it("ignores bot messages and edits in the DM", async () => {
    const p = person();
    const bot = { ...dmMessageEvent(p, "stats"), bot_id: "B0BOT" };
    const edit = { ...dmMessageEvent(p, "stats"), subtype: "message_changed" };
    for (const e of [bot, edit]) {
      const res = await postSigned(events, eventBody(p, e), "application/json", { secret: SECRET });
      expect(res.status).toBe(200);
    }
    await slack.settled();
    expect(posts(p)).toHaveLength(0);
  });

  it("retries a rate-limited call (429) and still delivers", async () => {
    const p = person();
    fake.rateLimit("chat.postMessage");
    await command(p, "quiz");
    const tries = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === dmOf(p));
    expect(tries.map((c) => c.result.ok)).toEqual([false, true]);
    questionIn(tries[1]);
  });
});

describe("when Slack refuses", () => {
  it("answers politely when the DM cannot be posted, and keeps working", async () => {
    const p = person();
    fake.fail("chat.postMessage", "channel_not_found");
    const res = await command(p, "quiz");
    expect(res.status).toBe(200);
    expect(json(res.json)).toContain("Sent to your direct messages");
    const told = fake.responses.filter((r) => res.responseUrl.endsWith(`/respond/${r.id}`));
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toMatchObject({ response_type: "ephemeral" });
    expect(String(told[0]?.body.text)).toContain("couldn't send you a direct message");
    expect(String(told[0]?.body.text)).toContain("channel_not_found");
    const again = await command(p, "quiz");
    expect(again.status).toBe(200);
    expect(posts(p).filter((c) => c.result.ok)).toHaveLength(1);
  });

  it("confirms forgetting through the button on the ephemeral answer", async () => {
    const p = person();
    const res = await click(
      p,
      { action_id: "pyjs_forget_confirm", value: "forget-me" },
      { ephemeral: true, channel: "C0GENERAL" },
    );
    const told = fake.responses.find((r) => res.responseUrl.endsWith(`/respond/${r.id}`));
    expect(told?.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
  });
});

describe("App Home", () => {
  it("publishes the learner's stats with Subscribe / Start a quiz on app_home_opened", async () => {
    const p = person();
    const event = {
      type: "app_home_opened",
      user: p.user,
      channel: dmOf(p),
      tab: "home",
      event_ts: "1.2",
    };
    const res = await postSigned(events, eventBody(p, event), "application/json", {
      secret: SECRET,
    });
    expect(res.status).toBe(200);
    await slack.settled();
    const view = fake.homeViews.get(p.user);
    const text = json(view);
    for (const s of ["Due today", "Streak", "Retention (30 days)", "Daily quiz", "not subscribed"])
      expect(text).toContain(s);
    expect(buttons((view as { blocks: unknown }).blocks).map((b) => b.text?.text)).toEqual([
      "Start a quiz",
      "Subscribe",
    ]);

    fake.setUser(p.user, { tz: "Europe/Berlin" });
    await click(p, { action_id: "pyjs_cmd_subscribe", value: "subscribe" }, { home: true });
    const after = json(fake.homeViews.get(p.user));
    expect(after).toContain("Subscribed: a daily quiz at 09:00");
    expect(after).toContain("Unsubscribe");

    await click(p, { action_id: "pyjs_cmd_quiz", value: "quiz" }, { home: true });
    expect(posts(p)).toHaveLength(1);
    questionIn(posts(p)[0]);
    expect(json(fake.homeViews.get(p.user))).toContain("Sent to your direct messages");
  });

  it("does nothing for the Messages tab", async () => {
    const p = person();
    const event = { type: "app_home_opened", user: p.user, channel: dmOf(p), tab: "messages" };
    await postSigned(events, eventBody(p, event), "application/json", { secret: SECRET });
    await slack.settled();
    expect(fake.homeViews.has(p.user)).toBe(false);
  });
});

describe("the Messenger", () => {
  it("sends a daily delivery to the DM and remembers where the question is", async () => {
    const p = person();
    const q = await app.handleCommand(
      { learner: learner(p), platform: "slack", tenant: p.team },
      "quiz",
      clock,
    );
    await slack.messenger.sendDm(learner(p), [
      { kind: "greeting", greeting: { due: 0, fresh: 5, unfinishedYesterday: false } },
      ...(q.dm ?? []),
    ]);
    // One message: the greeting leads the question, so a retry cannot repeat half of it.
    expect(posts(p)).toHaveLength(1);
    expect(json(posts(p)[0]?.body.blocks)).toContain("Good morning!");
    const { promptId, ts } = questionIn(posts(p)[0]);
    expect((await prompts.get(learner(p), promptId))?.ref).toBe(`${dmOf(p)}:${ts}`);
  });

  it("maps Slack errors to permanent or transient DeliveryErrors", async () => {
    const board = {
      kind: "leaderboard" as const,
      board: {
        title: "This week",
        period: "2026-W19",
        rows: [{ rank: 1, name: "<!channel>", points: 3, streak: 1 }],
      },
    };
    fake.fail("chat.postMessage", "not_in_channel");
    const gone = await slack.messenger.postToChannel(TEAM, "C0PRIVATE", [board]).catch((e) => e);
    expect(gone).toBeInstanceOf(DeliveryError);
    expect(gone).toMatchObject({ permanent: true, code: "not_in_channel" });

    fake.fail("chat.postMessage", "internal_error");
    const flaky = await slack.messenger.postToChannel(TEAM, "C0BOARD", [board]).catch((e) => e);
    expect(flaky).toMatchObject({ permanent: false, code: "internal_error" });

    fake.fail("conversations.open", "user_not_found");
    const nobody = await slack.messenger.sendDm(learner(person()), [board]).catch((e) => e);
    expect(nobody).toMatchObject({ permanent: true, code: "user_not_found" });

    const wrong = await slack.messenger.sendDm("discord:1", [board]).catch((e) => e);
    expect(wrong).toMatchObject({ permanent: true });

    await slack.messenger.postToChannel(TEAM, "C0BOARD", [board]);
    const posted = fake.callsTo("chat.postMessage").at(-1);
    expect(posted?.result.ok).toBe(true);
    expect(json(posted?.body.blocks)).toContain("&lt;!channel&gt;");
  });
});

describe("across every test above", () => {
  it("sent nothing Slack would reject and nothing that pings", () => {
    expect(fake.violations).toEqual([]);
    expect(fake.mentions()).toEqual([]);
    expect(slack.ready()).toBe(true);
    for (const c of fake.calls)
      if (c.method !== "apps.connections.open") expect(c.token).toBe("xoxb-test-token");
  });
});
