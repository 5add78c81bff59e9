/**
 * A bot process of the fan-out bench: the App (deck loaded) and the real BullMQ workers
 * (startWorkers: tick + delivery, a no-op Messenger, a limiter far above the load), like
 * `pyjs start` or `pyjs worker`. The one with BENCH_FANOUT_ROLE=tick also runs the real
 * tick (runTick) at the minute every learner is due. Talks to bench/fanout.ts over IPC:
 * "ready", then on "go" it starts counting (and ticks), sends "progress" while it
 * delivers, and its figures ("done") on "stop".
 */
import { pino } from "pino";
import type { Messenger } from "../src/app/messenger.js";
import { loadConfig } from "../src/config.js";
import type { BatchOutcome } from "../src/jobs/delivery-batch.js";
import { runTick } from "../src/jobs/tick.js";
import { startWorkers, tickDeps, type WorkerDeps } from "../src/jobs/workers.js";
import { connectRedis } from "../src/redis/connect.js";
import { createApp } from "../src/runtime.js";

export type FanoutRole = "tick" | "deliver";

/** Parent -> child. `now`: the minute every learner is due, plus a second (epoch ms). */
export type FanoutCommand = { type: "go"; now: number } | { type: "stop" };

export interface FanoutTicked {
  type: "ticked";
  enqueued: number;
  dropped: number;
  /** Epoch ms at the tick's start, and how long it took. */
  tickStart: number;
  tickMs: number;
}

export interface FanoutProgress {
  type: "progress";
  /** Delivery jobs finished here so far (any outcome, failures included). */
  handled: number;
}

export interface FanoutDone {
  type: "done";
  role: FanoutRole;
  outcomes: Record<string, number>;
  failed: number;
  /** Epoch ms of every sendDm here. */
  sentAt: number[];
  /** CPU of this process from "go" to "stop" (µs). */
  cpuUs: number;
  /** RSS after building the App (deck loaded), after starting the workers, after, peak. */
  rssApp: number;
  rssBefore: number;
  rssAfter: number;
  rssPeak: number;
  heapAfter: number;
}

const send = (m: FanoutDone | FanoutTicked | FanoutProgress | { type: string; message?: string }) =>
  process.send?.(m);

function settings() {
  const url = process.env.BENCH_REDIS_URL ?? "";
  const prefix = process.env.BENCH_PREFIX ?? "";
  const concurrency = Number(process.env.BENCH_DELIVERY_CONCURRENCY);
  const role: FanoutRole = process.env.BENCH_FANOUT_ROLE === "deliver" ? "deliver" : "tick";
  if (!url || !prefix || !concurrency) throw new Error("missing BENCH_* settings");
  return { url, prefix, concurrency, role };
}

async function main(): Promise<void> {
  const { url, prefix, concurrency, role } = settings();
  const log = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
  const env = loadConfig({ REDIS_PREFIX: prefix, LOG_LEVEL: "info" });
  const redis = connectRedis(url, log);
  await redis.ping();
  const built = createApp(env, redis, log);
  const rssApp = process.memoryUsage().rss;

  const sentAt: number[] = [];
  const messenger: Messenger = {
    platform: "slack",
    async sendDm() {
      sentAt.push(Date.now());
    },
    async postToChannel() {},
  };
  let shift = 0;
  const workerDeps: WorkerDeps = {
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
  };
  const workers = await startWorkers(workerDeps);
  const tickWorker = workers.workers.find((w) => w.name === "tick");
  const delivery = workers.workers.find((w) => w.name === "deliver-slack");
  if (!tickWorker || !delivery) throw new Error("startWorkers did not start tick + deliver-slack");
  // The job scheduler runs its first tick at once (real clock: nobody is due yet), in
  // whichever process takes it; let it finish so it does not race the measured one.
  await new Promise<void>((ok) => {
    const timer = setTimeout(ok, 5000);
    tickWorker.once("completed", () => {
      clearTimeout(timer);
      ok();
    });
  });
  const outcomes: Record<string, number> = {};
  let failed = 0;
  let handled = 0;
  // A `daily` job answers its outcome, a `dailies` job a count per outcome; its learners
  // "retried" on their own come back as `daily` jobs.
  delivery.on("completed", (_job, result: string | BatchOutcome) => {
    const counts: [string, number][] =
      typeof result === "string" ? [[result, 1]] : Object.entries(result);
    for (const [k, n] of counts) {
      if (k === "retried") continue;
      outcomes[k] = (outcomes[k] ?? 0) + n;
      handled += n;
    }
  });
  delivery.on("failed", () => {
    failed++;
    handled++;
  });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let told = 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    if (handled !== told) {
      told = handled;
      send({ type: "progress", handled });
    }
  }, 100);

  let cpu0 = process.cpuUsage();
  process.on("message", (m: FanoutCommand) => {
    if (m.type === "go") {
      shift = m.now - Date.now();
      cpu0 = process.cpuUsage();
      if (role === "tick") void tick(m.now);
    } else if (m.type === "stop") void stop();
  });

  async function tick(now: number): Promise<void> {
    const tickStart = Date.now();
    // The tick job's own settings (learners per job from the limiter), run at the due minute.
    const result = await runTick(tickDeps(workerDeps, workers.queues), new Date(now));
    send({ type: "ticked", ...result, tickStart, tickMs: Date.now() - tickStart });
  }

  async function stop(): Promise<void> {
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    const rssAfter = process.memoryUsage().rss;
    // A large message: wait until it is written before the process may exit.
    await new Promise<void>((sent) =>
      process.send?.(
        {
          type: "done",
          role,
          outcomes,
          failed,
          sentAt,
          cpuUs: cpu.user + cpu.system,
          rssApp,
          rssBefore,
          rssAfter,
          rssPeak: Math.max(rssPeak, rssAfter),
          heapAfter: process.memoryUsage().heapUsed,
        } satisfies FanoutDone,
        () => sent(),
      ),
    );
    // Unfinished jobs stay in the bench Redis, which is thrown away.
    await Promise.race([workers.close(), new Promise((r) => setTimeout(r, 10_000))]);
    await built.close();
    redis.disconnect();
    process.exit(0);
  }
  send({ type: "ready" });
}

process.on("disconnect", () => process.exit(0));
main().catch((err: unknown) => {
  send({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  setTimeout(() => process.exit(1), 100);
});
