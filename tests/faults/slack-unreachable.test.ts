import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * Issue 12, item 18: an unreachable SLACK_API_URL is reported as such ("Cannot reach
 * Slack at …"), quickly, not as a rejected token after a minute of retries.
 */
const { redis, prefix, url } = testRedis();

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const addr = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  return typeof addr === "object" && addr ? addr.port : 1;
}

describe("SLACK_API_URL unreachable", () => {
  it("`pyjs start` exits non-zero saying it cannot reach Slack at that URL", async () => {
    const api = `http://127.0.0.1:${await closedPort()}/api/`;
    const r = await runCli(["start"], {
      env: {
        REDIS_URL: url,
        REDIS_PREFIX: prefix,
        PORT: "0",
        SLACK_BOT_TOKEN: "xoxb-unreachable",
        SLACK_SIGNING_SECRET: "secret",
        SLACK_API_URL: api,
      },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`Cannot reach Slack at ${api}`);
    expect(r.stderr).not.toContain("did not accept");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 45_000);
});
