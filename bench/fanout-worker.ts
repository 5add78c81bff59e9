/**
 * The bot process of the fan-out bench: the App (deck loaded), the real BullMQ workers
 * (startWorkers: tick + delivery, a no-op Messenger, a limiter far above the load) and
 * the real tick (runTick) at the minute every learner is due. Reports over IPC.
 */
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import type { Messenger } from "../src/app/messenger.js";
import { loadConfig } from "../src/config.js";
import { runTick } from "../src/jobs/tick.js";
import { startWorkers } from "../src/jobs/workers.js";
import { connectRedis } from "../src/redis/connect.js";
import { createApp } from "../src/runtime.js";
import { redisCpuSeconds } from "./redis.js";

export interface FanoutDone {
  type: "done";
  learners: number;
  enqueued: number;
  dropped: number;
  tickMs: number;
  /** Tick start to the last sendDm (or to the stop, when the budget ran out). */
  wallMs: number;
  finished: boolean;
  sent: number;
  outcomes: Record<string, number>;
  failed: number;
  /** RSS after building the App (deck loaded), after starting the workers, after, peak. */
  rssApp: number;
  rssBefore: number;
  rssAfter: number;
  rssPeak: number;
  heapAfter: number;
  /** CPU of this process and of redis-server from tick start to the end, per delivery (µs). */
  nodeCpuUsPerDelivery: number;
  redisCpuUsPerDelivery: number;
  /** First-delivery latency percentiles: tick start to each sendDm (ms). */
  sentAtP50: number;
  sentAtP99: number;
}

const send = (m: FanoutDone | { type: "error"; message: string }) => process.send?.(m);

async function main(): Promise<void> {
  const url = process.env.BENCH_REDIS_URL ?? "";
  const prefix = process.env.BENCH_PREFIX ?? "";
  const learners = Number(process.env.BENCH_FANOUT_LEARNERS);
  const dueAt = Number(process.env.BENCH_FANOUT_DUE_AT);
  const budgetMs = Number(process.env.BENCH_FANOUT_BUDGET) * 1000;
  const concurrency = Number(process.env.BENCH_DELIVERY_CONCURRENCY);
  if (!url || !prefix || !learners || !dueAt) throw new Error("missing BENCH_* settings");
  const log = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
  const env = loadConfig({ REDIS_PREFIX: prefix, LOG_LEVEL: "info" });
  const redis = connectRedis(url, log);
  await redis.ping();
  const built = createApp(env, redis, log);
  const rssApp = process.memoryUsage().rss;

  let sent = 0;
  let lastSent = 0;
  let tick0 = 0;
  const sentAt: number[] = [];
  const messenger: Messenger = {
    platform: "slack",
    async sendDm() {
      sent++;
      lastSent = performance.now();
      sentAt.push(lastSent - tick0);
    },
    async postToChannel() {},
  };
  let shift = 0;
  const workers = await startWorkers({
    connection: redis,
    prefix,
    app: built.app,
    settings: built.stores.settings,
    schedule: built.stores.schedule,
    messengers: new Map([["slack", messenger]]),
    log,
    tickEvery: 3_600_000,
    concurrency,
    limiter: { max: 1_000_000, duration: 1000 },
    clock: () => new Date(Date.now() + shift),
  });
  const tickWorker = workers.workers.find((w) => w.name === "tick");
  const delivery = workers.workers.find((w) => w.name === "deliver-slack");
  if (!tickWorker || !delivery) throw new Error("startWorkers did not start tick + deliver-slack");
  // The job scheduler runs its first tick at once (real clock: nobody is due yet); let it
  // finish so it does not race the measured one.
  await new Promise<void>((ok) => {
    const timer = setTimeout(ok, 5000);
    tickWorker.once("completed", () => {
      clearTimeout(timer);
      ok();
    });
  });
  const outcomes: Record<string, number> = {};
  let failed = 0;
  delivery.on("completed", (_job, result: string) => {
    outcomes[result] = (outcomes[result] ?? 0) + 1;
  });
  delivery.on("failed", () => {
    failed++;
  });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);

  const now = new Date(dueAt + 1000);
  shift = now.getTime() - Date.now();
  const redisCpu0 = await redisCpuSeconds(redis);
  const cpu0 = process.cpuUsage();
  tick0 = performance.now();
  const tick = await runTick(
    {
      schedule: built.stores.schedule,
      settings: built.stores.settings,
      queues: workers.queues,
      platforms: new Set(["slack"]),
      log,
    },
    now,
  );
  const tickMs = performance.now() - tick0;
  const deadline = tick0 + budgetMs;
  const handled = () => Object.values(outcomes).reduce((a, b) => a + b, 0) + failed;
  while (handled() < tick.enqueued && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const finished = handled() >= tick.enqueued;
  const end = finished ? lastSent : performance.now();
  const cpu = process.cpuUsage(cpu0);
  const redisCpu = (await redisCpuSeconds(redis)) - redisCpu0;
  const count = Math.max(1, handled());
  clearInterval(sampler);
  const rssAfter = process.memoryUsage().rss;
  rssPeak = Math.max(rssPeak, rssAfter);
  sentAt.sort((a, b) => a - b);
  const pct = (p: number) =>
    sentAt[Math.min(sentAt.length - 1, Math.ceil((p / 100) * sentAt.length) - 1)] ?? Number.NaN;
  send({
    type: "done",
    learners,
    enqueued: tick.enqueued,
    dropped: tick.dropped,
    tickMs,
    wallMs: end - tick0,
    finished,
    sent,
    outcomes,
    failed,
    rssApp,
    rssBefore,
    rssAfter,
    rssPeak,
    heapAfter: process.memoryUsage().heapUsed,
    nodeCpuUsPerDelivery: (cpu.user + cpu.system) / count,
    redisCpuUsPerDelivery: (redisCpu * 1e6) / count,
    sentAtP50: pct(50),
    sentAtP99: pct(99),
  });
  // Unfinished jobs stay in the bench Redis, which is thrown away.
  await Promise.race([workers.close(), new Promise((r) => setTimeout(r, 10_000))]);
  await built.close();
  redis.disconnect();
  process.exit(0);
}

process.on("disconnect", () => process.exit(0));
main().catch((err: unknown) => {
  send({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  setTimeout(() => process.exit(1), 100);
});
