/**
 * The Slack side of the lookup bench, in its own process (as pyjs runs): the fake Slack
 * Web API (for auth.test), the App on the bench Redis, the real Slack adapter in HTTP
 * mode (Bolt's HTTPReceiver with signature verification) mounted on pyjs's HTTP server.
 * Parent <-> child over IPC: "ready", "stats", "stop".
 */
import { pino } from "pino";
import { createSlack } from "../adapters/slack/index.js";
import { loadConfig } from "../src/config.js";
import { startHttpServer } from "../src/http/server.js";
import { createMetrics } from "../src/metrics.js";
import { connectRedis } from "../src/redis/connect.js";
import { createApp } from "../src/runtime.js";
import { FakeSlackApi } from "../tests/fakes/slack-api.js";
import { BOT_TOKEN, type ServerMessage } from "./lookup-protocol.js";

const send = (m: ServerMessage) => process.send?.(m);

async function main(): Promise<void> {
  const url = process.env.BENCH_REDIS_URL;
  const prefix = process.env.BENCH_PREFIX;
  const secret = process.env.BENCH_SIGNING_SECRET;
  if (!url || !prefix || !secret)
    throw new Error("BENCH_REDIS_URL, BENCH_PREFIX, BENCH_SIGNING_SECRET");
  const fake = await new FakeSlackApi().start();
  const env = loadConfig({
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "info",
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: fake.apiUrl,
  });
  // Production log level, written nowhere: logging a request costs what it costs.
  const log = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
  const redis = connectRedis(url, log);
  const metrics = createMetrics();
  const built = createApp(env, redis, log, metrics);
  const slack = await createSlack({ env, app: built.app, log, metrics });
  const http = await startHttpServer({
    port: 0,
    host: "127.0.0.1",
    log,
    metrics,
    healthy: async () => (await redis.ping()) === "PONG",
    ready: async () => slack.ready(),
    routes: slack.routes,
  });
  const apiBase = fake.apiUrl.replace(/\/api$/, "");
  process.on("message", (m: { type?: string }) => {
    if (m?.type === "stats") {
      const apiCalls: Record<string, number> = {};
      for (const c of fake.calls) apiCalls[c.method] = (apiCalls[c.method] ?? 0) + 1;
      // The fake keeps every call it answers; counted, they can go (the floor runs make many).
      fake.reset();
      send({ type: "stats", cpu: process.cpuUsage(), rss: process.memoryUsage().rss, apiCalls });
    } else if (m?.type === "stop") {
      void (async () => {
        await http.close();
        await slack.stop();
        await built.close();
        await redis.quit().catch(() => redis.disconnect());
        await fake.close();
        process.exit(0);
      })();
    }
  });
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", port: http.port, apiBase });
}

main().catch((err: unknown) => {
  send({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
