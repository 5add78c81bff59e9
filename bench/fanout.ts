import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Redis } from "ioredis";
import type { Messenger } from "../src/app/messenger.js";
import { loadConfig } from "../src/config.js";
import type { Deck } from "../src/core/deck.js";
import { deliveryDate } from "../src/core/delivery-time.js";
import { deliver } from "../src/jobs/delivery.js";
import { connectRedis } from "../src/redis/connect.js";
import { createApp } from "../src/runtime.js";
import { makeKeys } from "../src/store/keys.js";
import { nextMessage, track } from "./children.js";
import type { BenchConfig } from "./config.js";
import { countCommands } from "./counting.js";
import { type FanoutRun, runFanout } from "./fanout-run.js";
import {
  BENCH_TEAM,
  slackLearner,
  statePool,
  statesFor,
  subscribedSettings,
  writeLearner,
} from "./fixtures.js";
import { memoryUsage, redisCpuSeconds, usedMemory } from "./redis.js";
import { fmt, progress, type Table } from "./report.js";

export interface FanoutResult {
  done: FanoutRun;
  /** RSS of an empty Node process under tsx (the loader's share of the bot's RSS). */
  tsxRss: number;
  learners: number;
  bytesPerLearner: number;
  bytesPerLearnerAfter: number;
}

/**
 * The daily fan-out: BENCH_LEARNERS subscribed learners, each with 20 reviewed cards,
 * all due in the same minute, written straight into Redis with pipelines (the store's
 * key layout and compact states), then delivered by the real tick and delivery workers
 * in a separate bot process.
 */
export async function benchFanout(
  url: string,
  admin: Redis,
  cfg: BenchConfig,
  deck: Deck,
  t: Table,
): Promise<FanoutResult> {
  const n = cfg.learners;
  const prefix = `bf${randomBytes(3).toString("hex")}:`;
  const keys = makeKeys(prefix);
  const now = Date.now();
  // A minute boundary 10 minutes ahead: the real clock's first tick finds nobody due.
  const dueAt = Math.ceil(now / 60_000) * 60_000 + 10 * 60_000;
  const ids = deck.cards.slice(0, 20).map((c) => c.id);
  const pool = statePool(4000, new Date(now), 2);

  progress(`fanout: writing ${n} subscribed learners × 20 reviewed cards`);
  const w = connectRedis(url);
  const mem0 = await usedMemory(admin);
  const t0 = performance.now();
  const chunk = 1000;
  const inFlight = new Set<Promise<unknown>>();
  for (let start = 0; start < n; start += chunk) {
    const p = w.pipeline();
    for (let i = start; i < Math.min(n, start + chunk); i++) {
      const learner = slackLearner(i);
      writeLearner(p, keys, learner, statesFor(ids, pool, i), {
        settings: subscribedSettings(i, new Date(dueAt)),
        scheduleAt: dueAt,
        tenant: BENCH_TEAM,
      });
    }
    const done = p.exec().finally(() => inFlight.delete(done));
    inFlight.add(done);
    if (inFlight.size >= 4) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const setupSeconds = (performance.now() - t0) / 1000;
  const mem1 = await usedMemory(admin);
  const sample = slackLearner(Math.floor(n / 2));
  const [cardsBytes, settingsBytes, tenantsBytes, scheduleBytes] = await Promise.all([
    memoryUsage(admin, keys.cards(sample)),
    memoryUsage(admin, keys.learner(sample)),
    memoryUsage(admin, keys.tenants(sample)),
    memoryUsage(admin, keys.schedule),
  ]);
  w.disconnect();

  const procs = cfg.fanoutProcesses;
  progress(
    `fanout: ${procs} bot process${procs > 1 ? "es" : ""}: tick + delivery workers (concurrency ${cfg.deliveryConcurrency} each), budget ${cfg.fanoutBudget} s`,
  );
  const done = await runFanout(admin, {
    processes: procs,
    budgetSeconds: cfg.fanoutBudget,
    dueAt,
    env: {
      BENCH_REDIS_URL: url,
      BENCH_PREFIX: prefix,
      BENCH_DELIVERY_CONCURRENCY: String(cfg.deliveryConcurrency),
    },
  });
  const mem2 = await usedMemory(admin);

  progress("fanout: Redis round trips of one delivery (deliver(), outside BullMQ); tsx's own RSS");
  const trips = await deliveryTrips(url, prefix, n, ids, pool, dueAt, cfg.deliveryConcurrency);
  const tsxRss = await baselineRss();

  const handled = Object.values(done.outcomes).reduce((a, b) => a + b, 0) + done.failed;
  const rate = handled / (done.wallMs / 1000);
  t.add(
    "learners due in the same minute",
    n,
    "learners",
    `20 reviewed cards each; setup ${fmt(setupSeconds, 1)} s with pipelines`,
  );
  t.add(
    "tick (runTick): read, enqueue, reschedule",
    done.tickMs / 1000,
    "s",
    `${done.enqueued} jobs enqueued, ${done.dropped} dropped, ${fmt(done.enqueued / (done.tickMs / 1000), 0)} learners/s`,
  );
  if (done.finished) {
    t.add("wall time, tick start -> last delivery", done.wallMs / 1000, "s");
  } else {
    t.add(
      "wall time, tick start -> stop (budget spent)",
      done.wallMs / 1000,
      "s",
      `${handled} of ${done.enqueued} delivered`,
    );
    t.add(
      `EXTRAPOLATED wall time for ${n} learners`,
      n / rate,
      "s",
      `at the measured ${fmt(rate, 0)} deliveries/s`,
    );
  }
  t.add(
    "deliveries per second (tick start -> last delivery)",
    rate,
    "deliveries/s",
    `${procs} bot process${procs > 1 ? "es" : ""} (${done.perProcess.join(" + ")} deliveries), concurrency ${cfg.deliveryConcurrency} each, limiter 1,000,000/s`,
  );
  t.add(
    "tick start -> a learner's DM sent, p50 / p99",
    `${fmt(done.sentAtP50 / 1000, 1)} / ${fmt(done.sentAtP99 / 1000, 1)}`,
    "s",
  );
  t.add(
    "outcomes",
    Object.entries(done.outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") + (done.failed ? `, failed ${done.failed}` : ""),
    "jobs",
  );
  t.add(
    `CPU per delivery: bot process${procs > 1 ? "es (sum)" : ""} / redis-server`,
    `${fmt(done.nodeCpuUsPerDelivery, 0)} / ${fmt(done.redisCpuUsPerDelivery, 0)}`,
    "µs",
    "tick start -> end, tick + BullMQ + pyjs",
  );
  t.add(
    "Redis commands / round trips per delivery, pyjs part",
    `${fmt(trips.commands, 1)} / ${fmt(trips.roundTrips, 1)}`,
    "per delivery",
    "deliver() called directly, one at a time; BullMQ's own scripts not included",
  );
  t.add(
    "CPU per delivery, pyjs part alone: bench process / redis-server",
    `${fmt(trips.nodeCpuUs, 0)} / ${fmt(trips.redisCpuUs, 0)}`,
    "µs",
    `deliver() called directly, ${cfg.deliveryConcurrency} at once, 4,000 learners after 1,000 to warm up; the rest of the row above is BullMQ and the tick`,
  );
  t.add(
    "Redis used_memory per subscribed learner (after setup)",
    (mem1 - mem0) / n,
    "bytes",
    `INFO memory delta / ${n}`,
  );
  t.add(
    "  of which cards hash (20 states) / settings hash / tenants set / schedule entry",
    `${cardsBytes} / ${settingsBytes} / ${tenantsBytes} / ${fmt(scheduleBytes / n, 0)}`,
    "bytes",
    "MEMORY USAGE of one learner's keys; schedule zset / learners",
  );
  t.add(
    "Redis used_memory per learner after the delivery",
    (mem2 - mem0) / n,
    "bytes",
    "adds the open prompt, current, sent marker, BullMQ jobs",
  );
  t.note(
    `One delivery (deliver() -> App.daily), command ← store method ← caller: ${[
      ...trips.byCaller.entries(),
    ]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ×${fmt(v, 2)}`)
      .join("; ")}.`,
  );
  t.note(
    `Setup: each learner has a settings hash (subscribed, a zone among 5, the local HH:MM of the due minute, name, streaks), a cards hash of 20 states from real review histories (compact encoding), a tenants set and one schedule entry, written with pipelines of 1,000 learners. The bot process (a child, like \`pyjs start\`) builds the App, runs startWorkers with a no-op Messenger, the tick job scheduler every hour and a limiter of 1,000,000/s (at that rate the tick groups 50 learners per "dailies" job: core/rate-limits.ts learnersPerJob), waits for the scheduler's first (empty) tick, then calls runTick at the due minute; its clock is shifted to that minute. The bot process runs under tsx; an empty tsx process has an RSS of ${fmt(tsxRss / 2 ** 20, 0)} MiB.`,
  );
  return {
    tsxRss,
    done,
    learners: n,
    bytesPerLearner: (mem1 - mem0) / n,
    bytesPerLearnerAfter: (mem2 - mem0) / n,
  };
}

/**
 * The pyjs part of a delivery job, deliver() called directly (no BullMQ): its CPU with
 * `concurrency` deliveries at once (as the worker runs them), then its Redis commands
 * and round trips, one delivery at a time, with who sends each.
 */
async function deliveryTrips(
  url: string,
  prefix: string,
  from: number,
  ids: string[],
  pool: string[],
  dueAt: number,
  concurrency: number,
) {
  const redis = connectRedis(url);
  const built = createApp(loadConfig({ REDIS_PREFIX: prefix, LOG_LEVEL: "silent" }), redis);
  const warm = 1000;
  const timed = 4000;
  const counted = 200;
  const p = redis.pipeline();
  for (let i = from; i < from + warm + timed + counted; i++) {
    writeLearner(p, built.stores.keys, slackLearner(i), statesFor(ids, pool, i), {
      settings: subscribedSettings(i, new Date(dueAt)),
      tenant: BENCH_TEAM,
    });
  }
  await p.exec();
  const messenger: Messenger = {
    platform: "slack",
    sendDm: async () => {},
    postToChannel: async () => {},
  };
  const deps = {
    app: built.app,
    settings: built.stores.settings,
    schedule: built.stores.schedule,
    messengers: new Map([["slack", messenger]]),
    clock: () => new Date(dueAt + 1000),
  };
  const one = async (i: number) => {
    const tz = subscribedSettings(i, new Date(dueAt)).tz ?? "UTC";
    const outcome = await deliver(deps, {
      learner: slackLearner(i),
      date: deliveryDate(new Date(dueAt), tz),
      dueAt,
    });
    if (outcome !== "sent") throw new Error(`deliver: ${outcome}`);
  };

  let next = from;
  const run = (until: number) =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < until) await one(next++);
      }),
    );
  await run(from + warm);
  const redisCpu0 = await redisCpuSeconds(redis);
  const cpu0 = process.cpuUsage();
  await run(from + warm + timed);
  const cpu = process.cpuUsage(cpu0);
  const redisCpu = (await redisCpuSeconds(redis)) - redisCpu0;

  const spy = countCommands(redis, { trace: true });
  for (let i = from + warm + timed; i < from + warm + timed + counted; i++) await one(i);
  spy.restore();
  await built.close();
  redis.disconnect();
  const byCaller = new Map([...spy.count.byCaller].map(([k, v]) => [k, v / counted] as const));
  return {
    commands: spy.count.commands / counted,
    roundTrips: spy.count.roundTrips / counted,
    byCaller,
    nodeCpuUs: (cpu.user + cpu.system) / timed,
    redisCpuUs: (redisCpu * 1e6) / timed,
  };
}

/** RSS of a Node process that loaded only tsx. */
async function baselineRss(): Promise<number> {
  const child = track(
    fork(new URL("./rss-baseline.ts", import.meta.url), {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const m = await nextMessage<{ type: "rss"; rss: number }>(child, "rss");
  if (child.exitCode === null) child.kill();
  return m.rss;
}
