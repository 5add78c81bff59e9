import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlack, type Slack } from "../adapters/slack/index.js";
import { loadConfig } from "../src/config.js";
import { createMetrics } from "../src/metrics.js";
import { FakeSlackApi } from "./fakes/slack-api.js";
import { dmMessageEvent } from "./fakes/slack-requests.js";
import { testApp } from "./support/app.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix } = testRedis();
const fake = new FakeSlackApi();
let slack: Slack;

beforeAll(async () => {
  await fake.start();
  slack = await createSlack({
    env: loadConfig({
      SLACK_BOT_TOKEN: "xoxb-socket-bot",
      SLACK_APP_TOKEN: "xapp-socket-app",
      SLACK_API_URL: `${fake.apiUrl}/`,
    }),
    app: testApp(redis, prefix),
    log: pino({ level: "silent" }),
    metrics: createMetrics({ defaults: false }),
    now: () => new Date("2026-05-04T09:00:00Z"),
    retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 1 },
  });
});

afterAll(async () => {
  await slack?.stop();
  await fake.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe("Slack in Socket Mode (SLACK_APP_TOKEN set)", () => {
  it("mounts no HTTP route and connects with the app-level token", async () => {
    expect(slack.mode).toBe("socket");
    expect(slack.routes).toEqual({});
    expect(slack.ready()).toBe(false);
    await slack.start();
    expect(slack.ready()).toBe(true);
    const open = fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe("xapp-socket-app");
    expect(fake.callsTo("auth.test")[0]?.token).toBe("xoxb-socket-bot");
  });

  it("acks /pyjs with the ephemeral answer over the socket", async () => {
    const ack = await fake.sendEnvelope("slash_commands", {
      team_id: fake.team,
      channel_id: "C0GENERAL",
      user_id: "U0SOCK",
      user_name: "sock",
      command: "/pyjs",
      text: "pipx",
      response_url: fake.responseUrl(),
      trigger_id: "t.1",
      api_app_id: "A0PYJS",
    });
    expect(ack.response_type).toBe("ephemeral");
    expect(JSON.stringify(ack.blocks)).toContain("*pipx*");
  });

  it("handles a typed DM message delivered as an events_api envelope", async () => {
    const who = { team: fake.team, user: "U0SOCK" };
    await fake.sendEnvelope("events_api", {
      team_id: fake.team,
      api_app_id: "A0PYJS",
      type: "event_callback",
      event_id: "Ev0SOCK",
      event_time: 1,
      event: dmMessageEvent(who, "quiz"),
      authorizations: [{ team_id: fake.team, user_id: fake.botUserId, is_bot: true }],
    });
    await slack.settled();
    const posted = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "DU0SOCK");
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.body.blocks)).toContain("pyjs_show");
    expect(fake.violations).toEqual([]);
  });

  it("disconnects on stop", async () => {
    await slack.stop();
    expect(slack.ready()).toBe(false);
    await fake.until(() => fake.socketClients === 0);
  });
});
