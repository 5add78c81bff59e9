import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { type Running, startProcess } from "../../src/main/process.js";
import { FakeSlackApi } from "../fakes/slack-api.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * Issue 12, item 13: the HTTP server listens on loopback unless Slack's HTTP mode needs
 * outside access (or HOST says otherwise), and METRICS_TOKEN guards /metrics.
 */
const { redis, prefix, url } = testRedis();
const log = pino({ level: "silent" });
const fake = new FakeSlackApi();

afterAll(async () => {
  await fake.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** A process as `pyjs worker`/`pyjs start` assembles it, on port 0, stopped after `fn`. */
async function withProcess(
  env: Record<string, string>,
  receive: boolean,
  fn: (r: Running, base: string) => Promise<void>,
) {
  const config = loadConfig({ REDIS_URL: url, REDIS_PREFIX: prefix, PORT: "0", ...env });
  const running = await startProcess(config, log, { workers: !receive, receive });
  try {
    await fn(running, `http://127.0.0.1:${running.http?.port}`);
  } finally {
    await running.stop();
  }
}

const boundTo = (r: Running) => {
  const addr = r.http?.server.address();
  return typeof addr === "object" && addr ? addr.address : undefined;
};

describe("HOST", () => {
  it("a worker with no platform listens on 127.0.0.1 by default", async () => {
    await withProcess({}, false, async (r, base) => {
      expect(boundTo(r)).toBe("127.0.0.1");
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });
  });

  it("Slack HTTP mode listens on 0.0.0.0; HOST overrides either way", async () => {
    await fake.start();
    const slack = {
      SLACK_BOT_TOKEN: "xoxb-t",
      SLACK_SIGNING_SECRET: "s",
      SLACK_API_URL: fake.apiUrl,
    };
    await withProcess(slack, true, async (r) => expect(boundTo(r)).toBe("0.0.0.0"));
    await withProcess({ ...slack, HOST: "127.0.0.1" }, true, async (r) =>
      expect(boundTo(r)).toBe("127.0.0.1"),
    );
    await withProcess({ HOST: "0.0.0.0" }, false, async (r) => expect(boundTo(r)).toBe("0.0.0.0"));
  });

  it("a malformed HOST or a short METRICS_TOKEN is a config error", () => {
    expect(() => loadConfig({ HOST: "a b" })).toThrow(/HOST/);
    expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});

describe("METRICS_TOKEN", () => {
  it("when set, /metrics needs the bearer token; /healthz does not", async () => {
    const token = "s3cret-metrics-token-123";
    await withProcess({ METRICS_TOKEN: token }, false, async (_, base) => {
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${base}/metrics`, {
        headers: { authorization: "Bearer s3cret-metrics-token-124" },
      });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("pyjs_reviews_total");
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    });
  });

  it("when unset, /metrics is open (as before)", async () => {
    await withProcess({}, false, async (_, base) => {
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
    });
  });
});
