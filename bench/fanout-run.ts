import { type ChildProcess, fork } from "node:child_process";
import type { Redis } from "ioredis";
import { nextMessage, track } from "./children.js";
import type {
  FanoutCommand,
  FanoutDone,
  FanoutProgress,
  FanoutRole,
  FanoutTicked,
} from "./fanout-worker.js";
import { redisCpuSeconds } from "./redis.js";

/** What the fan-out's bot processes did together, from the tick's start. */
export interface FanoutRun {
  processes: number;
  enqueued: number;
  dropped: number;
  tickMs: number;
  /** Tick start to the last sendDm in any process (or to the stop, when the budget ran out). */
  wallMs: number;
  finished: boolean;
  outcomes: Record<string, number>;
  failed: number;
  /** Tick start to each sendDm, p50 / p99 (ms). */
  sentAtP50: number;
  sentAtP99: number;
  /** CPU of all bot processes, and of redis-server, from "go" to "stop", per delivery (µs). */
  nodeCpuUsPerDelivery: number;
  redisCpuUsPerDelivery: number;
  /** Deliveries each process handled. */
  perProcess: number[];
  /** RSS figures of the ticking process (the one `pyjs start` would be). */
  rssApp: number;
  rssBefore: number;
  rssAfter: number;
  rssPeak: number;
  heapAfter: number;
}

export interface FanoutRunSettings {
  env: Record<string, string>;
  processes: number;
  budgetSeconds: number;
  /** The minute every learner is due (epoch ms). */
  dueAt: number;
}

function start(role: FanoutRole, env: Record<string, string>): ChildProcess {
  return track(
    fork(new URL("./fanout-worker.ts", import.meta.url), {
      env: { ...process.env, ...env, BENCH_FANOUT_ROLE: role },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
}

const tell = (child: ChildProcess, m: FanoutCommand) => child.send(m);

/**
 * Starts the bot processes (the first ticks and delivers, the others deliver), waits
 * until all are ready, tells them to go at the due minute, and stops them once every
 * enqueued delivery was handled somewhere or the budget ran out.
 */
export async function runFanout(admin: Redis, s: FanoutRunSettings): Promise<FanoutRun> {
  const children = Array.from({ length: s.processes }, (_, i) =>
    start(i === 0 ? "tick" : "deliver", s.env),
  );
  const ticker = children[0] as ChildProcess;
  await Promise.all(children.map((c) => nextMessage(c, "ready", 120_000)));
  const handled = children.map(() => 0);
  children.forEach((c, i) => {
    c.on("message", (m: FanoutProgress) => {
      if (m.type === "progress") handled[i] = m.handled;
    });
  });
  const redisCpu0 = await redisCpuSeconds(admin);
  const ticked = nextMessage<FanoutTicked>(ticker, "ticked", (s.budgetSeconds + 60) * 1000);
  for (const c of children) tell(c, { type: "go", now: s.dueAt + 1000 });
  const tick = await ticked;
  const deadline = tick.tickStart + s.budgetSeconds * 1000;
  const total = () => handled.reduce((a, b) => a + b, 0);
  while (total() < tick.enqueued && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const stoppedAt = Date.now();
  const dones = children.map((c) => nextMessage<FanoutDone>(c, "done", 60_000));
  for (const c of children) tell(c, { type: "stop" });
  const done = await Promise.all(dones);
  const redisCpu = (await redisCpuSeconds(admin)) - redisCpu0;
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once("exit", r) : r(0)))),
  );
  return summarise(tick, done, redisCpu, stoppedAt, s.processes);
}

function summarise(
  tick: FanoutTicked,
  done: FanoutDone[],
  redisCpu: number,
  stoppedAt: number,
  processes: number,
): FanoutRun {
  const outcomes: Record<string, number> = {};
  for (const d of done)
    for (const [k, v] of Object.entries(d.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
  // A batch's learner paused for good is counted in its outcomes ("failed").
  const failed = done.reduce((a, d) => a + d.failed, 0);
  const perProcess = done.map((d) => Object.values(d.outcomes).reduce((a, b) => a + b, 0));
  const handled = perProcess.reduce((a, b) => a + b, 0) + failed;
  const finished = handled >= tick.enqueued;
  const sent = done.flatMap((d) => d.sentAt).map((t) => t - tick.tickStart);
  sent.sort((a, b) => a - b);
  const pct = (p: number) =>
    sent[Math.min(sent.length - 1, Math.ceil((p / 100) * sent.length) - 1)] ?? Number.NaN;
  const count = Math.max(1, handled);
  const ticker = done.find((d) => d.role === "tick") ?? (done[0] as FanoutDone);
  return {
    processes,
    enqueued: tick.enqueued,
    dropped: tick.dropped,
    tickMs: tick.tickMs,
    wallMs: finished ? (sent.at(-1) ?? 0) : stoppedAt - tick.tickStart,
    finished,
    outcomes,
    failed,
    sentAtP50: pct(50),
    sentAtP99: pct(99),
    nodeCpuUsPerDelivery: done.reduce((a, d) => a + d.cpuUs, 0) / count,
    redisCpuUsPerDelivery: (redisCpu * 1e6) / count,
    perProcess,
    rssApp: ticker.rssApp,
    rssBefore: ticker.rssBefore,
    rssAfter: ticker.rssAfter,
    rssPeak: ticker.rssPeak,
    heapAfter: ticker.heapAfter,
  };
}
