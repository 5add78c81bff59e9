import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/app/types.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startProcess } from "../src/main/process.js";
import { freePort, type LocalRedis, startLocalRedis } from "../src/redis/local-server.js";
import { waitFor } from "./support/messenger.js";

const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const s of stops.reverse()) await s().catch(() => undefined);
});

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, body: await r.text() };
}

describe("operating pyjs", () => {
  it("health, readiness and metrics follow Redis going away and coming back; lookups keep working", {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "pyjs-ops-"));
    const port = await freePort();
    let redis: LocalRedis = await startLocalRedis({ dir, port, persist: false });
    stops.push(() => redis.stop());
    const env = loadConfig({
      REDIS_URL: redis.url,
      REDIS_PREFIX: "ops:",
      PORT: "0",
      LOG_LEVEL: "silent",
      PYJS_FUZZ: "false",
    });
    const running = await startProcess(env, createLogger("silent", { pretty: false }), {
      workers: true,
      receive: true,
    });
    stops.push(running.stop);
    const http = running.http?.port ?? 0;
    const app = running.rt.app;
    const me: Actor = { learner: "console:ops", platform: "console" };

    expect(await get(http, "/healthz")).toEqual({ status: 200, body: "ok\n" });
    await waitFor(async () => (await get(http, "/readyz")).status === 200, "ready");

    // A few actions, then the metrics show them.
    await app.handleCommand(me, "pip");
    await app.handleCommand(me, "pipz");
    const q = (await app.handleCommand(me, "quiz")).dm?.find((p) => p.kind === "question");
    if (q?.kind !== "question") throw new Error("no question");
    await app.handleAction(me, { type: "rate", promptId: q.question.promptId, rating: 3 });
    const metrics = (await get(http, "/metrics")).body;
    expect(metrics).toContain('pyjs_lookups_total{found="true"} 1');
    expect(metrics).toContain('pyjs_lookups_total{found="false"} 1');
    expect(metrics).toContain('pyjs_reviews_total{rating="Good"} 1');
    expect(metrics).toMatch(/pyjs_queue_jobs\{queue="tick",state="(waiting|delayed|active)"\} \d/);
    expect(metrics).toContain("pyjs_process_resident_memory_bytes");

    // Redis goes away: health and readiness say so, lookups still answer, progress says sorry.
    await redis.stop();
    await waitFor(async () => (await get(http, "/healthz")).status === 503, "healthz to fail");
    expect((await get(http, "/readyz")).status).toBe(503);
    const lookup = await app.handleCommand(me, "npx");
    expect(lookup.parts[0]).toMatchObject({ kind: "lookup" });
    const stats = await app.handleCommand(me, "stats");
    expect(stats.parts[0]).toMatchObject({
      kind: "text",
      text: expect.stringContaining("unavailable"),
    });

    // It comes back on the same port: everything recovers without a restart.
    redis = await startLocalRedis({ dir, port, persist: false });
    await waitFor(
      async () => (await get(http, "/healthz")).status === 200,
      "healthz to recover",
      20_000,
    );
    await waitFor(
      async () => (await get(http, "/readyz")).status === 200,
      "readyz to recover",
      20_000,
    );
    expect((await app.handleCommand(me, "stats")).parts[0]?.kind).toBe("stats");
  });
});
