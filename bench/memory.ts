import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Deck } from "../src/core/deck.js";
import { previousDate } from "../src/core/delivery-time.js";
import { localDate } from "../src/core/localtime.js";
import { isoWeek } from "../src/core/scoring.js";
import { connectRedis } from "../src/redis/connect.js";
import { makeKeys } from "../src/store/keys.js";
import { newPromptId, PromptStore } from "../src/store/prompts.js";
import { ReviewStore } from "../src/store/reviews.js";
import type { BenchConfig } from "./config.js";
import type { FanoutResult } from "./fanout.js";
import {
  BENCH_TEAM,
  cardIds,
  prng,
  rating,
  slackLearner,
  statePool,
  statesFor,
  subscribedSettings,
  writeLearner,
} from "./fixtures.js";
import { memoryUsage, objectEncoding, usedMemory } from "./redis.js";
import { fmt, progress, type Table } from "./report.js";

const MiB = 2 ** 20;
const TZ = "Europe/Berlin";

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Learner profiles (settings, cards, tenants, schedule entry) with `cards` reviewed cards. */
async function profiles(
  redis: Redis,
  deck: Deck,
  pool: string[],
  count: number,
  cards: number,
  offset: number,
  prefix: string,
) {
  const keys = makeKeys(prefix);
  const ids = cardIds(deck, cards);
  const mem0 = await usedMemory(redis);
  for (let start = 0; start < count; start += 500) {
    const p = redis.pipeline();
    for (let i = start; i < Math.min(count, start + 500); i++) {
      writeLearner(p, keys, slackLearner(offset + i), statesFor(ids, pool, offset + i), {
        settings: subscribedSettings(i, new Date()),
        scheduleAt: Date.now() + 86_400_000,
        tenant: BENCH_TEAM,
      });
    }
    await p.exec();
  }
  const mem1 = await usedMemory(redis);
  const sample = Array.from({ length: 50 }, (_, k) =>
    slackLearner(offset + Math.floor((k * count) / 50)),
  );
  const cardsBytes = await Promise.all(sample.map((l) => memoryUsage(redis, keys.cards(l))));
  const encoding = await objectEncoding(redis, keys.cards(sample[0] as string));
  return { perLearner: (mem1 - mem0) / count, cardsHash: avg(cardsBytes), encoding, cards };
}

/**
 * Real review-log entries: each answer goes through ReviewStore.apply, which opens the
 * next prompt; the adapter's ref (where the question is shown) is set on each prompt.
 */
async function reviewLog(redis: Redis, deck: Deck, pool: string[], prefix: string) {
  const keys = makeKeys(prefix);
  const reviews = new ReviewStore(redis, keys);
  const prompts = new PromptStore(redis, keys);
  const ids = deck.cards.map((c) => c.id);
  const learners = Array.from({ length: 20 }, (_, i) => slackLearner(7_000_000 + i));
  const perLearner = 500;
  const now = new Date();
  const today = localDate(now, TZ);
  const p0 = redis.pipeline();
  for (const [i, l] of learners.entries())
    writeLearner(p0, keys, l, statesFor(ids, pool, i), { settings: { tz: TZ } });
  await p0.exec();
  const memBefore = await usedMemory(redis);
  const promptKeys: string[] = [];
  await Promise.all(
    learners.map(async (learner, i) => {
      const states = await reviews.states(learner);
      const rand = prng(100 + i);
      const user = learner.slice(-11);
      let prompt = await prompts.open(learner, ids[0] as string, now);
      for (let k = 0; k < perLearner; k++) {
        const key = keys.prompt(learner, prompt.id);
        if (k % 10 === 0 && promptKeys.length < 50) promptKeys.push(key);
        // Where the adapter shows the question (Slack channel:ts), as it records it.
        await prompts.setRef(
          learner,
          prompt.id,
          `D${user}:1700000000.${String(k).padStart(6, "0")}`,
        );
        const newState = pool[(i * 131 + k) % pool.length] as string;
        const next = { promptId: newPromptId(), card: ids[(k + 1) % ids.length] as string };
        const res = await reviews.apply({
          mode: "answer",
          learner,
          promptId: prompt.id,
          card: prompt.card,
          expected: states[prompt.card] ?? "",
          newState,
          rating: rating(rand),
          reviewedAt: new Date(now.getTime() + k * 7000),
          elapsedDays: Math.round(rand() * 40_000) / 1000,
          isNew: false,
          localDate: today,
          yesterday: previousDate(today),
          points: 3,
          finishDay: false,
          boards: [{ tenant: BENCH_TEAM, week: isoWeek(now, TZ) }],
          next,
        });
        if (res.status !== "ok") throw new Error(`apply: ${res.status}`);
        states[prompt.card] = newState;
        prompt = { ...prompt, id: next.promptId, card: next.card };
      }
    }),
  );
  const memAfter = await usedMemory(redis);
  const entries = learners.length * perLearner;
  const logBytes = await Promise.all(learners.map((l) => memoryUsage(redis, keys.log(l))));
  const lens = await Promise.all(learners.map((l) => redis.xlen(keys.log(l))));
  const promptBytes = await Promise.all(promptKeys.map((k) => memoryUsage(redis, k)));
  return {
    entries,
    perEntry: logBytes.reduce((a, b) => a + b, 0) / lens.reduce((a, b) => a + b, 0),
    perAnswerTotal: (memAfter - memBefore) / entries,
    promptBytes: avg(promptBytes),
  };
}

export async function benchMemory(
  url: string,
  cfg: BenchConfig,
  deck: Deck,
  fanout: FanoutResult | undefined,
  t: Table,
): Promise<void> {
  const redis = connectRedis(url);
  const prefix = `bm${randomBytes(3).toString("hex")}:`;
  const pool = statePool(4000, new Date(), 3);
  const avgState = avg(pool.map((s) => s.length));
  const rows = [];
  for (const [k, cards] of [20, 60, 200].entries()) {
    progress(`memory: ${cfg.memLearners} learners with ${cards} reviewed cards`);
    rows.push(
      await profiles(redis, deck, pool, cfg.memLearners, cards, (k + 1) * 1_000_000, prefix),
    );
  }
  for (const r of rows) {
    t.add(
      `Redis per learner, ${r.cards} reviewed cards`,
      r.perLearner,
      "bytes",
      `used_memory delta / ${cfg.memLearners}; settings, cards, tenants, schedule entry`,
    );
    t.add(
      `  cards hash, ${r.cards} states (${r.encoding})`,
      r.cardsHash,
      "bytes",
      `${fmt(r.cardsHash / r.cards, 1)} bytes per card state (MEMORY USAGE, mean of 50)`,
    );
  }
  const [r20, r60, r200] = rows;
  if (r20 && r60 && r200) {
    t.add(
      "marginal bytes per card state, 20 -> 60 / 60 -> 200 cards",
      `${fmt((r60.cardsHash - r20.cardsHash) / 40, 1)} / ${fmt((r200.cardsHash - r60.cardsHash) / 140, 1)}`,
      "bytes",
    );
  }
  t.add(
    "encoded card state (value only), mean length",
    avgState,
    "bytes",
    "compact encoding, 4000 real states",
  );
  progress("memory: review-log entries through ReviewStore.apply");
  const log = await reviewLog(redis, deck, pool, prefix);
  t.add(
    "review-log entry (stream, 8 fields)",
    log.perEntry,
    "bytes",
    `MEMORY USAGE of the log streams / XLEN, ${log.entries} real entries`,
  );
  t.add("answered prompt hash (kept 2 days)", log.promptBytes, "bytes", "MEMORY USAGE, mean of 50");
  t.add(
    "Redis used_memory per answer (log entry + prompt + counters)",
    log.perAnswerTotal,
    "bytes",
    "used_memory delta / answers",
  );
  if (fanout) {
    const d = fanout.done;
    t.add(
      `bot process RSS, App built + deck loaded (${fanout.learners} learners subscribed)`,
      d.rssApp / MiB,
      "MiB",
      "fan-out bot process, before the workers",
    );
    t.add("bot process RSS, workers started, before the fan-out", d.rssBefore / MiB, "MiB");
    t.add(
      "bot process RSS, after the fan-out / peak during it",
      `${fmt(d.rssAfter / MiB, 0)} / ${fmt(d.rssPeak / MiB, 0)}`,
      "MiB",
      `heap used after: ${fmt(d.heapAfter / MiB, 0)} MiB`,
    );
  }
  t.note(
    `A year of 20 answers a day is ~7,300 log entries ≈ ${fmt((7300 * log.perEntry) / MiB, 2)} MiB per learner in the review log (it is never trimmed), against ${r200 ? fmt(r200.perLearner / 1024, 1) : "?"} KiB for a 200-card profile; an active learner also holds up to 2 days of answered prompts (${fmt(log.promptBytes, 0)} bytes each).`,
  );
  redis.disconnect();
}
