import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Redis } from "ioredis";
import { fsrs, generatorParameters } from "ts-fsrs";
import type { Part, Question } from "../src/app/reply.js";
import type { App } from "../src/app/service.js";
import type { Actor } from "../src/app/types.js";
import { loadConfig } from "../src/config.js";
import type { Deck } from "../src/core/deck.js";
import { previousDate } from "../src/core/delivery-time.js";
import { localDate } from "../src/core/localtime.js";
import {
  type CardState,
  createScheduler,
  DEFAULT_SCHEDULER,
  decodeState,
  encodeState,
  type Grade,
} from "../src/core/scheduler.js";
import { isoWeek } from "../src/core/scoring.js";
import { DEFAULT_LIMITS, planSession } from "../src/core/session.js";
import { connectRedis } from "../src/redis/connect.js";
import { createApp } from "../src/runtime.js";
import type { Keys } from "../src/store/keys.js";
import { newPromptId } from "../src/store/prompts.js";
import type { ReviewStore } from "../src/store/reviews.js";
import type { BenchConfig } from "./config.js";
import { countCommands } from "./counting.js";
import {
  BENCH_TEAM,
  prng,
  rating,
  slackLearner,
  statePool,
  statesFor,
  subscribedSettings,
  writeLearner,
} from "./fixtures.js";
import { redisCpuSeconds } from "./redis.js";
import { fmt, progress, Table } from "./report.js";
import { cpuMicros, Samples } from "./stats.js";

const LEVELS = [1, 8, 64] as const;
const TZ = "Europe/Berlin";

interface Run {
  concurrency: number;
  ops: number;
  failures: number;
  seconds: number;
  latency: Samples;
  nodeCpuUsPerOp: number;
  redisCpuUsPerOp: number;
  /** Session restarts (quiz + states rewritten), App path only. */
  resets?: number;
}

const rate = (r: Run) => r.ops / r.seconds;

function questionOf(parts: Part[] | undefined): Question | undefined {
  const q = parts?.find((p) => p.kind === "question");
  return q?.kind === "question" ? q.question : undefined;
}

/** Runs `work` and measures wall time plus bench-process and redis-server CPU. */
async function measured(
  redis: Redis,
  work: () => Promise<{ ops: number; failures: number; resets?: number }>,
): Promise<Omit<Run, "concurrency" | "latency">> {
  const cpu0 = process.cpuUsage();
  const rcpu0 = await redisCpuSeconds(redis);
  const t0 = performance.now();
  const r = await work();
  const seconds = (performance.now() - t0) / 1000;
  const node = cpuMicros(cpu0);
  const rcpu = ((await redisCpuSeconds(redis)) - rcpu0) * 1e6;
  return {
    ...r,
    seconds,
    nodeCpuUsPerOp: node / Math.max(1, r.ops),
    redisCpuUsPerOp: rcpu / Math.max(1, r.ops),
  };
}

interface Fixture {
  app: App;
  redis: Redis;
  keys: Keys;
  reviews: ReviewStore;
  deckIds: string[];
  pool: string[];
  base: Date;
}

function actorOf(learner: string): Actor {
  return { learner, platform: "slack", tenant: BENCH_TEAM, tz: TZ, name: learner.slice(-11) };
}

/**
 * The App answer path: each learner takes `quiz`, then rates every question it is asked
 * (handleAction "rate": prompt read, FSRS, the Lua review, next question) as fast as it
 * can. When a session runs out, the learner's clock moves a day on and its cards are
 * reset to "all due" (not timed as answers, but inside the wall time).
 */
async function appRun(
  f: Fixture,
  concurrency: number,
  seconds: number,
  base: number,
): Promise<Run> {
  const latency = new Samples();
  const learners = Array.from({ length: concurrency }, (_, i) => slackLearner(base + i));
  const initial = learners.map((_, i) => statesFor(f.deckIds, f.pool, base + i));
  const p = f.redis.pipeline();
  learners.forEach((l, i) => {
    writeLearner(p, f.keys, l, initial[i] ?? {}, { settings: { tz: TZ, name: `Learner ${i}` } });
  });
  await p.exec();
  const stopAt = performance.now() + seconds * 1000;
  const run = await measured(f.redis, async () => {
    let ops = 0;
    let failures = 0;
    let resets = 0;
    await Promise.all(
      learners.map(async (learner, i) => {
        const actor = actorOf(learner);
        const rand = prng(base + i);
        let round = 0;
        let now = f.base;
        const start = async (): Promise<Question | undefined> => {
          if (round > 0) {
            resets++;
            await f.redis.hset(f.keys.cards(learner), initial[i] ?? {});
          }
          now = new Date(f.base.getTime() + round * 86_400_000);
          round++;
          return questionOf((await f.app.handleCommand(actor, "quiz", now)).dm);
        };
        let q = await start();
        while (performance.now() < stopAt) {
          if (!q) {
            q = await start();
            if (!q) throw new Error(`no question for ${learner} after a reset`);
            continue;
          }
          now = new Date(now.getTime() + 7000);
          const t0 = performance.now();
          const r = await f.app.handleAction(
            actor,
            { type: "rate", promptId: q.promptId, rating: rating(rand) },
            now,
          );
          latency.push(performance.now() - t0);
          if (r.dm?.[0]?.kind === "result") ops++;
          else failures++;
          q = questionOf(r.dm);
        }
      }),
    );
    return { ops, failures, resets };
  });
  return { concurrency, latency, ...run };
}

/** Everything a ReviewStore.apply call needs except the prompt and states. */
function applyArgs(learner: string, now: Date) {
  const today = localDate(now, TZ);
  return {
    mode: "answer" as const,
    learner,
    rating: 3 as Grade,
    reviewedAt: now,
    elapsedDays: 4.2,
    isNew: false,
    localDate: today,
    yesterday: previousDate(today),
    points: 3,
    finishDay: false,
    boards: [{ tenant: BENCH_TEAM, week: isoWeek(now, TZ) }],
  };
}

/** Writes each learner's cards and one open prompt (the first deck card). */
async function rawSetup(f: Fixture, learners: string[]) {
  const first: { id: string; card: string }[] = [];
  const sentAt = String(f.base.getTime());
  const p = f.redis.pipeline();
  learners.forEach((learner, i) => {
    writeLearner(p, f.keys, learner, statesFor(f.deckIds, f.pool, i), {
      settings: { tz: TZ },
      tenant: BENCH_TEAM,
    });
    const id = newPromptId();
    const card = f.deckIds[0] as string;
    const key = f.keys.prompt(learner, id);
    p.hset(key, { learner, card, status: "open", sentAt }).expire(key, 7 * 86_400);
    p.set(f.keys.current(learner), id, "EX", 7 * 86_400);
    first.push({ id, card });
  });
  await p.exec();
  const current = await Promise.all(learners.map((l) => f.reviews.states(l)));
  return { first, current };
}

/**
 * The raw ceiling: ReviewStore.apply (one EVALSHA of the review script) in a tight loop,
 * each call answering the prompt the previous one opened (`next`), as the App does.
 */
async function applyChain(
  f: Fixture,
  learner: string,
  i: number,
  start: { id: string; card: string },
  states: Record<string, string>,
  count: number,
  latency?: Samples,
): Promise<{ ops: number; failures: number }> {
  const args = applyArgs(learner, f.base);
  let prompt = start;
  let ops = 0;
  let failures = 0;
  for (let k = 0; k < count; k++) {
    const newState = f.pool[(i * 31 + k) % f.pool.length] as string;
    const next = { promptId: newPromptId(), card: f.deckIds[(k + 1) % f.deckIds.length] as string };
    const t0 = performance.now();
    const res = await f.reviews.apply({
      ...args,
      promptId: prompt.id,
      card: prompt.card,
      expected: states[prompt.card] ?? "",
      newState,
      next,
    });
    latency?.push(performance.now() - t0);
    if (res.status !== "ok") {
      failures++;
      break;
    }
    ops++;
    states[prompt.card] = newState;
    prompt = { id: next.promptId, card: next.card };
  }
  return { ops, failures };
}

async function rawRun(f: Fixture, concurrency: number, total: number, base: number): Promise<Run> {
  const learners = Array.from({ length: concurrency }, (_, i) => slackLearner(base + i));
  const perLearner = Math.ceil(total / concurrency);
  const { first, current } = await rawSetup(f, learners);
  const latency = new Samples();
  const run = await measured(f.redis, async () => {
    const results = await Promise.all(
      learners.map((learner, i) =>
        applyChain(
          f,
          learner,
          i,
          first[i] as { id: string; card: string },
          current[i] ?? {},
          perLearner,
          latency,
        ),
      ),
    );
    return {
      ops: results.reduce((a, r) => a + r.ops, 0),
      failures: results.reduce((a, r) => a + r.failures, 0),
    };
  });
  return { concurrency, latency, ...run };
}

interface CpuFigure {
  name: string;
  perSecond: number;
}

/** ts-fsrs next() and the pure steps around it, on one core, in a tight loop. */
function pureCpu(pool: string[], deck: Deck, now: Date): CpuFigure[] {
  const o = DEFAULT_SCHEDULER;
  const f = fsrs(
    generatorParameters({
      request_retention: o.retention,
      maximum_interval: o.maxInterval,
      enable_fuzz: o.fuzz,
      enable_short_term: true,
      learning_steps: o.learningSteps,
      relearning_steps: o.relearningSteps,
    }),
  );
  const cards = pool.map(decodeState);
  const scheduler = createScheduler();
  const grades: Grade[] = [1, 2, 3, 4];
  const card = (i: number) => cards[i % cards.length] as CardState;
  const states = new Map(deck.cards.map((c, i) => [c.id, card(i)] as const));
  const loop = (name: string, body: (i: number) => unknown): CpuFigure => {
    let sink = 0;
    for (let i = 0; i < 2000; i++) sink += body(i) ? 1 : 0; // warm-up
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < 1500) {
      for (let j = 0; j < 500; j++, n++) sink += body(n) ? 1 : 0;
    }
    const secs = (performance.now() - t0) / 1000;
    if (sink < 0) console.log(sink);
    return { name, perSecond: n / secs };
  };
  return [
    loop("ts-fsrs next()", (i) => f.next(card(i), now, grades[i & 3] as Grade)),
    loop("scheduler.review() (pyjs wrapper: next + clamp)", (i) =>
      scheduler.review(card(i), grades[i & 3] as Grade, now),
    ),
    loop("encodeState + decodeState", (i) => decodeState(encodeState(card(i)))),
    loop(`planSession over the ${deck.cards.length}-card deck`, () =>
      planSession(deck.cards, states, now, DEFAULT_LIMITS, { newCards: 0, reviews: 0 }),
    ),
  ];
}

/** Redis commands, pipelines and round trips per answer, and who sends them. */
async function roundTrips(url: string, env: ReturnType<typeof loadConfig>, f: Fixture) {
  const redis = connectRedis(url);
  const built = createApp(env, redis);
  const spy = countCommands(redis, { trace: true });
  spy.active = false;
  const learner = slackLearner(9_000_001);
  const p = redis.pipeline();
  writeLearner(p, f.keys, learner, statesFor(f.deckIds, f.pool, 1), {
    settings: subscribedSettings(1, f.base),
  });
  await p.exec();
  const actor = actorOf(learner);
  const rand = prng(7);
  let answers = 0;
  let now = f.base;
  for (let round = 0; answers < 200; round++) {
    now = new Date(f.base.getTime() + round * 86_400_000);
    if (round > 0) await redis.hset(f.keys.cards(learner), statesFor(f.deckIds, f.pool, 1));
    let q = questionOf((await built.app.handleCommand(actor, "quiz", now)).dm);
    while (q && answers < 200) {
      now = new Date(now.getTime() + 7000);
      spy.active = true;
      const r = await built.app.handleAction(
        actor,
        { type: "rate", promptId: q.promptId, rating: rating(rand) },
        now,
      );
      spy.active = false;
      answers++;
      q = questionOf(r.dm);
    }
  }
  const app = { ...spy.count, byCaller: new Map(spy.count.byCaller), answers };
  spy.restore();

  // The bare store call, on the same kind of connection.
  const rawSpy = countCommands(redis, { trace: true });
  rawSpy.active = false;
  const rawLearner = slackLearner(9_000_002);
  const { first, current } = await rawSetup({ ...f, redis }, [rawLearner]);
  const reviews = built.stores.reviews;
  rawSpy.active = true;
  const chained = await applyChain(
    { ...f, redis, reviews },
    rawLearner,
    0,
    first[0] as { id: string; card: string },
    current[0] ?? {},
    200,
  );
  if (chained.failures) throw new Error("the counted applies failed");
  rawSpy.active = false;
  const raw = { ...rawSpy.count, byCaller: new Map(rawSpy.count.byCaller), answers: 200 };
  rawSpy.restore();
  await built.close();
  redis.disconnect();
  return { app, raw };
}

export async function benchReview(url: string, admin: Redis, cfg: BenchConfig): Promise<void> {
  const prefix = `br${randomBytes(3).toString("hex")}:`;
  const env = loadConfig({ REDIS_PREFIX: prefix, LOG_LEVEL: "silent" });
  const redis = connectRedis(url);
  const built = createApp(env, redis);
  const base = new Date();
  const f: Fixture = {
    app: built.app,
    redis,
    keys: built.stores.keys,
    reviews: built.stores.reviews,
    deckIds: built.app.deck.cards.map((c) => c.id),
    pool: statePool(2000, base),
    base,
  };
  progress("review: pure CPU figures (ts-fsrs, encoding, session planning)");
  const cpu = pureCpu(f.pool, built.app.deck, base);

  const app: Run[] = [];
  const raw: Run[] = [];
  for (const [li, c] of LEVELS.entries()) {
    progress(`review: App answer path, ${c} concurrent learner(s), ${cfg.reviewSeconds} s`);
    app.push(await appRun(f, c, cfg.reviewSeconds, (li + 1) * 100_000));
    progress(`review: raw ReviewStore.apply, concurrency ${c}, ${cfg.rawOps} calls`);
    raw.push(await rawRun(f, c, cfg.rawOps, (li + 1) * 100_000 + 50_000));
  }
  progress("review: counting Redis commands and round trips per answer");
  const rt = await roundTrips(url, env, f);

  const t = new Table("1. Review path (answer = grade -> FSRS -> Lua review -> next question)");
  for (const [i, a] of app.entries()) {
    const r = raw[i];
    if (!r) continue;
    const c = a.concurrency;
    t.add(
      `App answers/s, ${c} learner(s)`,
      rate(a),
      "answers/s",
      `${a.ops} answers in ${fmt(a.seconds, 1)} s`,
    );
    t.add(
      `App answer latency p50 / p99, ${c}`,
      `${fmt(a.latency.percentile(50), 2)} / ${fmt(a.latency.percentile(99), 2)}`,
      "ms",
    );
    t.add(
      `ReviewStore.apply/s (Redis ceiling), concurrency ${c}`,
      rate(r),
      "applies/s",
      `${r.ops} applies in ${fmt(r.seconds, 1)} s`,
    );
    t.add(
      `apply latency p50 / p99, ${c}`,
      `${fmt(r.latency.percentile(50), 3)} / ${fmt(r.latency.percentile(99), 3)}`,
      "ms",
    );
    t.add(`ratio App / ceiling, ${c}`, rate(a) / rate(r), "×");
    t.add(
      `CPU per answer: bench process / redis-server, ${c}`,
      `${fmt(a.nodeCpuUsPerOp, 0)} / ${fmt(a.redisCpuUsPerOp, 0)}`,
      "µs",
    );
    t.add(
      `CPU per apply: bench process / redis-server, ${c}`,
      `${fmt(r.nodeCpuUsPerOp, 0)} / ${fmt(r.redisCpuUsPerOp, 0)}`,
      "µs",
    );
    if (a.failures || r.failures)
      t.add(`failures (App / apply), ${c}`, `${a.failures} / ${r.failures}`, "calls");
  }
  const last = raw[raw.length - 1];
  if (last)
    t.add(
      "redis-server single-core ceiling (1 / its CPU per EVALSHA)",
      1e6 / last.redisCpuUsPerOp,
      "applies/s",
      "at concurrency 64",
    );
  for (const c of cpu)
    t.add(c.name, c.perSecond, "ops/s", `${fmt(1e6 / c.perSecond, 1)} µs each, 1 core`);
  const per = (n: number, d: number) => n / Math.max(1, d);
  t.add(
    "Redis commands / round trips / pipelines per bare apply",
    `${fmt(per(rt.raw.commands, rt.raw.answers), 2)} / ${fmt(per(rt.raw.roundTrips, rt.raw.answers), 2)} / ${fmt(per(rt.raw.pipelines, rt.raw.answers), 2)}`,
    "per apply",
    `${rt.raw.answers} applies counted`,
  );
  t.add(
    "Redis commands / round trips / pipelines per App answer",
    `${fmt(per(rt.app.commands, rt.app.answers), 2)} / ${fmt(per(rt.app.roundTrips, rt.app.answers), 2)} / ${fmt(per(rt.app.pipelines, rt.app.answers), 2)}`,
    "per answer",
    `${rt.app.answers} answers counted`,
  );
  const callers = [...rt.app.byCaller.entries()].sort((a, b) => b[1] - a[1]);
  t.note(
    `Per App answer (handleAction "rate"), command ← store method ← App method: ${callers
      .map(([k, n]) => `${k} ×${fmt(n / rt.app.answers, 2)}`)
      .join("; ")}.`,
  );
  t.note(
    "Round trips are counted by wrapping the connection's sendCommand with one learner at a time: a command sent while none is awaiting a reply starts a round trip; commands of one pipeline, MULTI or Promise.all share it.",
  );
  t.note(
    `App runs: ${app.map((a) => `${a.concurrency} → ${a.resets ?? 0} session restarts`).join(", ")} (a learner whose session ran out takes \`quiz\` again with its cards reset to due; inside the wall time, outside the latency samples). Ratings 10% Again, 10% Hard, 65% Good, 15% Easy; default limits (5 new, 50 reviews a day); fuzz on; one team board per learner.`,
  );
  t.note(
    "One ioredis connection per process, as pyjs runs; the bench process, redis-server and nothing else share the 2 cores.",
  );
  t.print();
  await built.close();
  redis.disconnect();
  void admin;
}
