import { Queue } from "bullmq";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { type HttpServer, startHttpServer } from "../../src/http/server.js";
import { createMetrics } from "../../src/metrics.js";
import { connectRedis } from "../../src/redis/connect.js";

/**
 * Issue 12, item 16: /metrics answers while Redis is down, with everything it knows;
 * the queue depths are skipped (and pyjs_queue_counts_ok says so) instead of hanging.
 */
const dead = connectRedis("redis://127.0.0.1:1");
dead.on("error", () => {});
const queue = new Queue("deliveries", { connection: dead, prefix: "tdead" });
queue.on("error", () => {});
let http: HttpServer | undefined;

afterAll(async () => {
  await http?.close();
  dead.disconnect();
});

describe("/metrics with Redis down", () => {
  it("answers 200 without queue depths, and with the process's own counters", async () => {
    const metrics = createMetrics({ defaults: false });
    metrics.queues = () => [queue];
    metrics.reviews.inc({ rating: "good" });
    http = await startHttpServer({
      port: 0,
      host: "127.0.0.1",
      log: pino({ level: "silent" }),
      metrics,
      healthy: async () => false,
      ready: async () => false,
      routes: {},
    });
    const res = await fetch(`http://127.0.0.1:${http.port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('pyjs_reviews_total{rating="good"} 1');
    expect(text).toContain("pyjs_queue_counts_ok 0");
    expect(text).not.toMatch(/pyjs_queue_jobs\{/);
    expect((await fetch(`http://127.0.0.1:${http.port}/healthz`)).status).toBe(503);
  });
});
