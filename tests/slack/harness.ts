import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlack, type Slack } from "../../adapters/slack/index.js";
import { loadConfig } from "../../src/config.js";
import { learner as learnerId } from "../../src/core/learner.js";
import { type HttpServer, startHttpServer } from "../../src/http/server.js";
import { createMetrics } from "../../src/metrics.js";
import { makeKeys } from "../../src/store/keys.js";
import { PromptStore } from "../../src/store/prompts.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { FakeSlackApi, type SlackCall } from "../fakes/slack-api.js";
import {
  blockActionBody,
  dmMessageEvent,
  eventBody,
  type Person,
  postSigned,
  slashCommandBody,
} from "../fakes/slack-requests.js";
import { testApp } from "../support/app.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * The Slack adapter in HTTP mode against the fake Web API, on a real HTTP server with
 * signed requests, and the helpers the Slack behaviour tests drive it with. Each test
 * file gets its own adapter, fake and key prefix.
 */

export const SECRET = "test-signing-secret";
export const FORM = "application/x-www-form-urlencoded";
export const TEAM = "T0TEAM";
export const BOT_TOKEN = "xoxb-test-token";

export interface ClickOptions {
  messageTs?: string;
  home?: boolean;
  ephemeral?: boolean;
  channel?: string;
}

export interface SayOptions {
  clientMsgId?: string;
  retryNum?: number;
}

/** The learner id every Slack person gets. */
export const learner = (p: Person) => learnerId.slack(p.team, p.user);
/** The fake's DM channel with a person. */
export const dmOf = (p: Person) => `D${p.user}`;
export const json = (v: unknown) => JSON.stringify(v);

interface ButtonLike {
  action_id?: string;
  value?: string;
  text?: { text?: string };
}

/** Every button in a list of blocks. */
export function buttons(blocks: unknown): ButtonLike[] {
  const out: ButtonLike[] = [];
  for (const b of (blocks as { type: string; elements?: ButtonLike[] }[]) ?? [])
    if (b.type === "actions") out.push(...(b.elements ?? []));
  return out;
}

/** The question a post asks: its prompt id (Show answer's value) and message ts. */
export function questionIn(call: SlackCall | undefined): { promptId: string; ts: string } {
  const show = buttons(call?.body.blocks).find((b) => b.action_id === "pyjs_show");
  const ts = (call?.result.ts as string | undefined) ?? "";
  if (!show?.value || !ts) throw new Error(`no question in ${json(call?.body)}`);
  return { promptId: show.value, ts };
}

/** Starts the adapter for this test file (beforeAll) and tears it down (afterAll). */
export function useSlack(opts: Parameters<typeof testApp>[2] = {}) {
  const { redis, prefix } = testRedis();
  const keys = makeKeys(prefix);
  const app = testApp(redis, prefix, opts);
  const metrics = createMetrics({ defaults: false });
  const log = pino({ level: "silent" });
  const fake = new FakeSlackApi();
  const clock = new Date("2026-05-04T09:00:00Z");
  let slack: Slack | undefined;
  let http: HttpServer | undefined;
  let people = 0;

  beforeAll(async () => {
    await fake.start();
    const env = loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
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
    const adapter = slack;
    http = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      log,
      metrics,
      healthy: async () => true,
      ready: async () => adapter.ready(),
      routes: adapter.routes,
    });
  });

  afterAll(async () => {
    await slack?.stop();
    await http?.close();
    await fake.close();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const h = {
    fake,
    app,
    clock,
    /** The test Redis and key prefix, for seeding a learner's state. */
    redis,
    prefix,
    reviews: new ReviewStore(redis, keys),
    prompts: new PromptStore(redis, keys),

    get slack(): Slack {
      if (!slack) throw new Error("the Slack adapter is not started yet");
      return slack;
    },
    get port(): number {
      if (!http) throw new Error("the HTTP server is not started yet");
      return http.port;
    },
    /** Where Slack posts everything (HTTP mode). */
    get events(): string {
      return `http://127.0.0.1:${h.port}/slack/events`;
    },

    /** A new person for each test, so their learner data never meet. */
    person(name = "pat"): Person {
      people += 1;
      return { team: TEAM, user: `U${String(people).padStart(4, "0")}X`, name };
    },

    /** `/pyjs {text}` from a person; resolves once the adapter has handled everything. */
    async command(p: Person, text: string, channel?: string) {
      const responseUrl = fake.responseUrl();
      const body = slashCommandBody(p, text, { responseUrl, ...(channel ? { channel } : {}) });
      const res = await postSigned(h.events, body, FORM, { secret: SECRET });
      await h.slack.settled();
      return { ...res, responseUrl };
    },

    /** A button press; by default on a message in a channel. */
    async click(p: Person, action: { action_id: string; value?: string }, opts: ClickOptions = {}) {
      const responseUrl = fake.responseUrl();
      const body = blockActionBody(p, action, { responseUrl, ...opts });
      const res = await postSigned(h.events, body, FORM, { secret: SECRET });
      await h.slack.settled();
      return { ...res, responseUrl };
    },

    /** A message the person types in the bot's DM. */
    async say(p: Person, text: string, opts: SayOptions = {}) {
      const event = dmMessageEvent(
        p,
        text,
        opts.clientMsgId ? { clientMsgId: opts.clientMsgId } : {},
      );
      return h.event(p, event, opts.retryNum);
    },

    /** Any Events API event from a person, signed; resolves once handled. */
    async event(p: Person, event: Record<string, unknown>, retryNum?: number) {
      const res = await postSigned(h.events, eventBody(p, event), "application/json", {
        secret: SECRET,
        ...(retryNum !== undefined ? { retryNum } : {}),
      });
      await h.slack.settled();
      return res;
    },

    /** chat.postMessage calls that went to this person's DM. */
    posts: (p: Person): SlackCall[] =>
      fake.callsTo("chat.postMessage").filter((c) => c.body.channel === dmOf(p)),
    /** chat.update calls on this person's DM. */
    updates: (p: Person): SlackCall[] =>
      fake.callsTo("chat.update").filter((c) => c.body.channel === dmOf(p)),
  };
  return h;
}

export type SlackHarness = ReturnType<typeof useSlack>;

/** The last test of a file: nothing Slack would reject, nothing that pings, one token. */
export function describeTrafficChecks(h: SlackHarness): void {
  describe("across every test above", () => {
    it("sent nothing Slack would reject and nothing that pings", () => {
      expect(h.fake.violations).toEqual([]);
      expect(h.fake.mentions()).toEqual([]);
      expect(h.slack.ready()).toBe(true);
      for (const c of h.fake.calls)
        if (c.method !== "apps.connections.open") expect(c.token).toBe(BOT_TOKEN);
    });
  });
}
