import type { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { fitMessage } from "../../src/app/optimizer.js";
import type { Part } from "../../src/app/reply.js";
import type { Actor } from "../../src/app/types.js";
import { learner as learnerId } from "../../src/core/learner.js";
import { DEFAULT_WEIGHTS, decodeWeights, FIT_THRESHOLD } from "../../src/core/parameters.js";
import { createScheduler, decodeState, Rating } from "../../src/core/scheduler.js";
import {
  BullOptimizeRequests,
  OPTIMIZE_PATTERN,
  type OptimizeDeps,
  type OptimizeJob,
  optimizeQueue,
  processOptimize,
  sweep,
} from "../../src/jobs/optimize.js";
import { startWorkers } from "../../src/jobs/workers.js";
import { createOptimizer, createStores } from "../../src/runtime.js";
import { makeKeys } from "../../src/store/keys.js";
import { testApp } from "../support/app.js";
import { scriptConsole } from "../support/console.js";
import { RecordingMessenger } from "../support/messenger.js";
import { dropPrefix, testRedis } from "../support/redis.js";
import { strongLearnerLog, writeLog } from "./synthetic.js";

const { redis, prefix } = testRedis();
const keys = makeKeys(prefix);
const queues: Queue<OptimizeJob>[] = [];
afterAll(async () => {
  for (const q of queues) await q.obliterate({ force: true }).then(() => q.close());
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** 30 days of the strong learner: ~1,500 reviews, their last on 2026-02-03. */
const LOG = strongLearnerLog(30);
const NOW = new Date("2026-02-10T12:00:00Z");

function queue(): Queue<OptimizeJob> {
  const q = optimizeQueue(redis, prefix);
  queues.push(q);
  return q;
}

/** What the optimize worker gets in production (jobs/workers.ts), on the test prefix. */
function jobDeps(q: Queue<OptimizeJob>, messenger?: RecordingMessenger): OptimizeDeps {
  const stores = createStores(redis, prefix);
  const { optimizer } = createOptimizer(stores, createScheduler({ fuzz: false }), {
    enabled: true,
    defaultTz: "UTC",
  });
  return {
    optimizer,
    parameters: stores.parameterStore,
    teams: stores.teams,
    queue: q,
    messengers: new Map(messenger ? [[messenger.platform, messenger]] : []),
    clock: () => NOW,
  };
}

const textOf = (parts: Part[] | undefined) =>
  (parts ?? []).map((p) => (p.kind === "text" ? p.text : "")).join("\n");

describe("optimize and stats in the terminal (piped session)", () => {
  it("fits the learner's own parameters, says so, and stats shows them and their fit", async () => {
    const app = testApp(redis, prefix, { optimizer: { enabled: true } });
    const learner = learnerId.console("opt-terminal");
    await writeLog(redis, keys, learner, LOG);
    expect(LOG.length).toBeGreaterThan(FIT_THRESHOLD);

    const out = await scriptConsole(app, ["stats", "optimize", "stats"], learner, NOW);
    const [before, after] = out.split("Your own FSRS parameters are in use now");
    expect(before).toContain(
      `FSRS parameters: FSRS defaults (yours after ${FIT_THRESHOLD} reviews; you have ${LOG.length.toLocaleString("en-US")})`,
    );
    expect(before).toMatch(
      /FSRS fit defaults on your [\d,]+ reviews: log loss 0\.\d{3}, RMSE \d+\.\d%/,
    );
    expect(after).toMatch(
      /^, fitted on your [\d,]+ reviews: log loss 0\.\d{3} \(FSRS's defaults: 0\.\d{3}\)/,
    );
    expect(after).toContain("cards already scheduled keep their due dates");
    expect(after).toContain(
      `FSRS parameters: yours, fitted 2026-02-10 on ${LOG.length.toLocaleString("en-US")} reviews`,
    );
    const fit = /FSRS fit on your [\d,]+ reviews: log loss (0\.\d+) vs (0\.\d+) default, RMSE/.exec(
      after ?? "",
    );
    expect(fit).not.toBeNull();
    expect(Number(fit?.[1])).toBeLessThan(Number(fit?.[2]));
  }, 60_000);

  it("schedules the next review with the fitted parameters (due dates set before stay)", async () => {
    const app = testApp(redis, prefix, { optimizer: { enabled: true } });
    const learner = learnerId.console("opt-terminal");
    const stored = await redis.hget(keys.learner(learner), "fsrsW");
    const w = decodeWeights(stored ?? "");
    if (!w) throw new Error("no fitted weights stored");
    const actor: Actor = { learner, platform: "console" };
    const q = (await app.handleCommand(actor, "quiz", NOW)).dm?.find((p) => p.kind === "question");
    if (q?.kind !== "question") throw new Error("no question");
    await app.handleAction(actor, { type: "show", promptId: q.question.promptId }, NOW);
    await app.handleAction(
      actor,
      { type: "rate", promptId: q.question.promptId, rating: Rating.Good },
      NOW,
    );
    const state = decodeState((await redis.hget(keys.cards(learner), q.question.cardId)) ?? "");
    const mine = createScheduler({ fuzz: false, weights: w }).review(undefined, Rating.Good, NOW);
    const defaults = createScheduler({ fuzz: false }).review(undefined, Rating.Good, NOW);
    expect(state.stability).toBeCloseTo(mine.after.stability, 3);
    expect(Math.abs(state.stability - defaults.after.stability)).toBeGreaterThan(0.01);
  }, 60_000);

  it("says how many reviews are missing, and that it is off when turned off", async () => {
    const app = testApp(redis, prefix, { optimizer: { enabled: true } });
    const learner = learnerId.console("opt-few");
    await writeLog(redis, keys, learner, LOG.slice(0, 5));
    const few = await app.handleCommand({ learner, platform: "console" }, "optimize", NOW);
    expect(textOf(few.parts)).toBe(
      `Not enough reviews to fit your own FSRS parameters yet: 5 of ${FIT_THRESHOLD}. Until then your reviews are scheduled with FSRS's defaults.`,
    );
    const off = testApp(redis, prefix, { optimizer: { enabled: false } });
    const r = await off.handleCommand({ learner, platform: "console" }, "optimize", NOW);
    expect(textOf(r.parts)).toContain("The FSRS optimizer is turned off here");
  });
});

describe("optimize from a chat, the team prior and the weekly sweep", () => {
  const team = "TOPT";
  const slack = (u: string): Actor => ({
    learner: learnerId.slack(team, u),
    platform: "slack",
    tenant: team,
  });

  it("queues the fit, answers at once, and DMs the result from the worker", async () => {
    const q = queue();
    const app = testApp(redis, prefix, {
      optimizer: { enabled: true, requests: new BullOptimizeRequests(q) },
    });
    const actor = slack("U1");
    await writeLog(redis, keys, actor.learner, LOG);
    const r = await app.handleCommand(actor, "optimize", NOW);
    expect(textOf(r.parts)).toContain("Optimizing your FSRS parameters");
    // A second `optimize` in the same minute joins the queued fit.
    await app.handleCommand(actor, "optimize", new Date(NOW.getTime() + 30_000));
    const jobs = await q.getJobs(["waiting"]);
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job?.data).toEqual({ kind: "learner", learner: actor.learner, notify: "slack" });
    if (!job) throw new Error("no job");
    const messenger = new RecordingMessenger("slack");
    const deps = jobDeps(q, messenger);
    expect(await processOptimize(deps, job)).toBe("fitted");
    expect(messenger.dms).toHaveLength(1);
    expect(textOf(messenger.dms[0]?.parts)).toContain("Your own FSRS parameters are in use now");
  }, 60_000);

  it("fits a team prior on its learners' pooled reviews; a newcomer's stats show it", async () => {
    const stores = createStores(redis, prefix);
    const { optimizer } = createOptimizer(stores, createScheduler({ fuzz: false }), {
      enabled: true,
      defaultTz: "UTC",
    });
    const a = slack("UA");
    const b = slack("UB");
    const newcomer = slack("UNEW");
    for (const [i, who] of [a, b].entries()) {
      await stores.teams.join(who.learner, team);
      await writeLog(redis, keys, who.learner, strongLearnerLog(15, 100 + i));
    }
    await stores.teams.join(newcomer.learner, team);
    await writeLog(redis, keys, newcomer.learner, LOG.slice(0, 40));
    const fit = await optimizer.fitTeam(team, [a.learner, b.learner], NOW);
    expect(fit.status).toBe("fitted");
    const prior = await stores.parameterStore.team(team);
    expect(prior?.w).not.toEqual([...DEFAULT_WEIGHTS]);

    const app = testApp(redis, prefix, { optimizer: { enabled: true } });
    const stats = (await app.handleCommand(newcomer, "stats", NOW, { charts: false })).parts.find(
      (p) => p.kind === "stats",
    );
    if (stats?.kind !== "stats") throw new Error("no stats");
    expect(stats.parameters?.inUse.source).toBe("team");
    expect(stats.parameters?.threshold).toBe(3200);
    const few = await optimizer.fitLearner(newcomer.learner, NOW);
    expect(fitMessage(few)).toContain(
      "Until then your reviews are scheduled with your team's prior.",
    );
  }, 60_000);

  it("the weekly sweep enqueues fits only for learners whose log grew, and their teams' priors", async () => {
    const q = queue();
    const deps = jobDeps(q);
    const stores = createStores(redis, prefix);
    const fresh = slack("USWEEP");
    await stores.teams.join(fresh.learner, team);
    await writeLog(redis, keys, fresh.learner, LOG.slice(0, 10));
    // U1 was fitted above and has no review since: no job for them. (Their `optimize`
    // job above was run by hand, so it still waits in the queue: drained first.)
    await q.drain();
    await sweep(deps, NOW);
    const jobs = await q.getJobs(["waiting"]);
    const learners = jobs.flatMap((j) => (j.data.kind === "learner" ? [j.data.learner] : []));
    expect(learners).toContain(fresh.learner);
    expect(learners).not.toContain(slack("U1").learner);
    const teams = jobs.flatMap((j) => (j.data.kind === "team" ? [j.data.tenant] : []));
    expect(teams).toEqual([team]);
    const teamJob = jobs.find((j) => j.data.kind === "team");
    expect(teamJob?.data.kind === "team" && teamJob.data.learners).toContain(fresh.learner);
  }, 60_000);
});

describe("the weekly optimizer job scheduler", () => {
  it("is registered by the workers (cron, UTC) and removed when the optimizer is off", async () => {
    const stores = createStores(redis, prefix);
    const start = (enabled: boolean) => {
      const { optimizer } = createOptimizer(stores, createScheduler({ fuzz: false }), {
        enabled,
        defaultTz: "UTC",
      });
      return startWorkers({
        connection: redis,
        prefix,
        app: testApp(redis, prefix),
        settings: stores.settings,
        schedule: stores.schedule,
        messengers: new Map(),
        optimizer,
        parameters: stores.parameterStore,
      });
    };
    const q = queue();
    const on = await start(true);
    const schedulers = await q.getJobSchedulers();
    expect(schedulers.map((s) => ({ id: s.key, pattern: s.pattern, tz: s.tz }))).toEqual([
      { id: "optimize-weekly", pattern: OPTIMIZE_PATTERN, tz: "UTC" },
    ]);
    expect(on.workers.map((w) => w.name)).toContain("optimize");
    await on.close();
    const off = await start(false);
    expect(await q.getJobSchedulers()).toEqual([]);
    expect(off.workers.map((w) => w.name)).not.toContain("optimize");
    await off.close();
  }, 60_000);
});
