import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiscord } from "../../adapters/discord/index.js";
import { createSlack } from "../../adapters/slack/index.js";
import type { Messenger } from "../../src/app/messenger.js";
import { loadConfig } from "../../src/config.js";
import { learner as learnerId } from "../../src/core/learner.js";
import { deliver } from "../../src/jobs/delivery.js";
import { createMetrics } from "../../src/metrics.js";
import { createStores } from "../../src/runtime.js";
import { FakeDiscord } from "../fakes/discord.js";
import { FakeSlackApi } from "../fakes/slack-api.js";
import { testApp } from "../support/app.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * Issue 16: a learner's DM channel is stored in their settings when first opened, so a
 * daily delivery after a restart (a fresh adapter) is one platform request; a stored
 * channel that has gone away is opened again, once.
 */

const log = pino({ level: "silent" });
const { redis, prefix } = testRedis();
const app = testApp(redis, prefix);
const stores = createStores(redis, prefix);
const day1 = new Date("2026-05-04T09:00:00Z");
const day2 = new Date("2026-05-05T09:00:00Z");

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

async function daily(messenger: Messenger, learner: string, at: Date) {
  const deps = { app, settings: stores.settings, schedule: stores.schedule, clock: () => at };
  const date = at.toISOString().slice(0, 10);
  return deliver(
    { ...deps, messengers: new Map([[messenger.platform, messenger]]) },
    {
      learner,
      date,
      dueAt: at.getTime(),
    },
  );
}

async function subscribe(learner: string) {
  await stores.settings.update(learner, { subscribed: true, tz: "UTC", time: "09:00" });
}

describe("Slack: one platform call per delivery", () => {
  const fake = new FakeSlackApi();
  const slackAdapter = async () => {
    const env = loadConfig({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: fake.apiUrl,
    });
    const retryConfig = { retries: 0 };
    return createSlack({ env, app, log, metrics: createMetrics({ defaults: false }), retryConfig });
  };
  beforeAll(() => fake.start());
  afterAll(() => fake.close());

  it("the second day, after a restart, is one chat.postMessage", async () => {
    const learner = learnerId.slack("T0SCALE", "U0DM1");
    await subscribe(learner);
    const first = await slackAdapter();
    expect(await daily(first.messenger, learner, day1)).toBe("sent");
    expect(fake.callsTo("conversations.open")).toHaveLength(1);
    expect((await stores.settings.get(learner)).dmChannel).toBe("DU0DM1");

    const restarted = await slackAdapter();
    fake.reset();
    expect(await daily(restarted.messenger, learner, day2)).toBe("sent");
    expect(fake.calls.map((c) => c.method)).toEqual(["chat.postMessage"]);
  });

  it("a stored channel that has gone away is opened again, once", async () => {
    const learner = learnerId.slack("T0SCALE", "U0DM2");
    await subscribe(learner);
    await stores.settings.update(learner, { dmChannel: "DGONE" });
    const slack = await slackAdapter();
    fake.reset();
    fake.fail("chat.postMessage", "channel_not_found");
    expect(await daily(slack.messenger, learner, day1)).toBe("sent");
    expect(fake.calls.map((c) => c.method)).toEqual([
      "chat.postMessage",
      "conversations.open",
      "chat.postMessage",
    ]);
    expect((await stores.settings.get(learner)).dmChannel).toBe("DU0DM2");
  });
});

describe("Discord: one platform call per delivery", () => {
  let fake: FakeDiscord;
  const discordAdapter = () =>
    createDiscord({
      env: {
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_API_URL: fake.apiUrl,
      },
      app,
      log,
    });
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake.close());

  const calls = () => fake.requests.map((r) => `${r.method} ${r.path}`);

  it("the second day, after a restart, is one POST /channels/{id}/messages", async () => {
    const user = fake.user("ada");
    const learner = learnerId.discord(user.id);
    await subscribe(learner);
    const first = await discordAdapter();
    expect(await daily(first.messenger, learner, day1)).toBe("sent");
    const dm = fake.dmChannel(user);
    expect((await stores.settings.get(learner)).dmChannel).toBe(dm);

    const restarted = await discordAdapter();
    fake.requests.length = 0;
    expect(await daily(restarted.messenger, learner, day2)).toBe("sent");
    expect(calls()).toEqual([`POST /channels/${dm}/messages`]);
  });

  it("a stored channel that is gone (10003) is opened again, once", async () => {
    const user = fake.user("grace");
    const learner = learnerId.discord(user.id);
    await subscribe(learner);
    await stores.settings.update(learner, { dmChannel: "123456789" });
    const discord = await discordAdapter();
    fake.requests.length = 0;
    expect(await daily(discord.messenger, learner, day1)).toBe("sent");
    const dm = fake.dmChannel(user);
    expect(calls()).toEqual([
      "POST /channels/123456789/messages",
      "POST /users/@me/channels",
      `POST /channels/${dm}/messages`,
    ]);
    expect((await stores.settings.get(learner)).dmChannel).toBe(dm);
  });
});
