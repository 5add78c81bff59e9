import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { type Running, startProcess } from "../../src/main/process.js";
import { FakeSlackApi } from "../fakes/slack-api.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * Issue 16: the operators' queue dashboard (bull-board) at /admin/queues is off unless
 * ADMIN_TOKEN is set, and behind that token (bearer header, or a cookie set from
 * `?token=`).
 */
const { redis, prefix, url } = testRedis();
const log = pino({ level: "silent" });
const fake = new FakeSlackApi();
const TOKEN = "admin-token-0123456789abcdef";

beforeAll(() => fake.start());
afterAll(async () => {
  await fake.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** `pyjs worker` with Slack configured, on port 0, stopped after `fn`. */
async function withWorker(env: Record<string, string>, fn: (base: string) => Promise<void>) {
  const config = loadConfig({
    REDIS_URL: url,
    REDIS_PREFIX: prefix,
    PORT: "0",
    SLACK_BOT_TOKEN: "xoxb-t",
    SLACK_SIGNING_SECRET: "s",
    SLACK_API_URL: fake.apiUrl,
    ...env,
  });
  const running: Running = await startProcess(config, log, { workers: true, receive: false });
  try {
    await fn(`http://127.0.0.1:${running.http?.port}`);
  } finally {
    await running.stop();
  }
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe("/admin/queues", () => {
  it("is not there without ADMIN_TOKEN", async () => {
    await withWorker({}, async (base) => {
      expect((await fetch(`${base}/admin/queues`)).status).toBe(404);
      expect((await fetch(`${base}/admin/queues/api/queues`, bearer(TOKEN))).status).toBe(404);
    });
  });

  it("answers 401 without the token or with a wrong one, the queues with the right one", async () => {
    await withWorker({ ADMIN_TOKEN: TOKEN }, async (base) => {
      const api = `${base}/admin/queues/api/queues`;
      expect((await fetch(api)).status).toBe(401);
      expect((await fetch(api, bearer(`${TOKEN}x`))).status).toBe(401);
      expect((await fetch(api, bearer(TOKEN.replace("a", "b")))).status).toBe(401);
      const wrongQuery = await fetch(`${base}/admin/queues?token=nope`, { redirect: "manual" });
      expect(wrongQuery.status).toBe(401);
      expect(wrongQuery.headers.get("set-cookie")).toBeNull();

      const ok = await fetch(api, bearer(TOKEN));
      expect(ok.status).toBe(200);
      const body = (await ok.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual(["deliver-slack", "tick", "weekly"]);
    });
  });

  it("?token= sets an HttpOnly cookie, drops the token from the address, and the page loads", async () => {
    await withWorker({ ADMIN_TOKEN: TOKEN }, async (base) => {
      const first = await fetch(`${base}/admin/queues?token=${TOKEN}`, { redirect: "manual" });
      expect(first.status).toBe(303);
      expect(first.headers.get("location")).toBe("/admin/queues");
      const cookie = first.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/admin\/queues/);
      const jar = { headers: { cookie: cookie.split(";")[0] ?? "" } };
      const page = await fetch(`${base}/admin/queues`, jar);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      expect((await fetch(`${base}/admin/queues/api/queues`, jar)).status).toBe(200);
    });
  });
});
