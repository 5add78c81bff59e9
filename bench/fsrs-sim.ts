/**
 * `npm run bench:fsrs` (tsx bench/fsrs-sim.ts): do fitted FSRS parameters predict a
 * learner's reviews better than the defaults, from how many reviews on, and what does a
 * team prior give those below that? A population of synthetic learners with known
 * (perturbed) memory weights answers a deck for 90 days through pyjs's scheduler
 * (bench/fsrs-population.ts). Each learner's log is split in time: the first 75% of
 * their reviews train, the last 25% are held out. On the held-out reviews it reports
 * log loss and RMSE (bins) of the defaults, the team prior (fitted on the training
 * reviews of the learner's team), per-learner fits on their first N training reviews,
 * and the learner's true weights (the floor). Then the optimizer's time for 1k, 10k and
 * 100k reviews. Settings: FSRS_SIM_TEAMS, FSRS_SIM_PER_TEAM, FSRS_SIM_DAYS, FSRS_SIM_SEED.
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { evaluateFit } from "../src/core/fsrs-eval.js";
import { type HistoryItem, type ReviewEvent, toItems } from "../src/core/fsrs-items.js";
import { DEFAULT_WEIGHTS, type FitMetrics } from "../src/core/parameters.js";
import { fitWeights } from "../src/optimizer/binding.js";
import { type SimLearner, simulatePopulation } from "./fsrs-population.js";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const OPTS = {
  teams: env("FSRS_SIM_TEAMS", 4),
  perTeam: env("FSRS_SIM_PER_TEAM", 8),
  days: env("FSRS_SIM_DAYS", 90),
  newPerDay: 10,
  maxReviewsPerDay: 200,
  seed: env("FSRS_SIM_SEED", 42),
  teamSigma: 0.35,
  learnerSigma: 0.2,
};
const GRID = [100, 200, 400, 800, 1600, 3200];
const TRAIN_SHARE = 0.75;
const FIT = { numRelearningSteps: 1 };

interface Split {
  learner: SimLearner;
  train: ReviewEvent[];
  test: HistoryItem[];
}

/** Time split: reviews before the cut train; items predicting a review after it are held out. */
function split(learner: SimLearner): Split {
  const log = learner.log;
  const cut = log[Math.floor(log.length * TRAIN_SHARE)]?.at ?? Number.POSITIVE_INFINITY;
  const train = log.filter((e) => e.at < cut);
  const test = toItems(log, "UTC").filter((i) => i.at >= cut);
  return { learner, train, test };
}

type Row = { label: string; metrics: (FitMetrics | undefined)[] };

/**
 * Log-loss differences below this are ties: fsrs-rs answers its defaults (as 32-bit
 * floats) when it has too little data, a few 1e-6 off ts-fsrs's.
 */
const TIE = 1e-4;
const lower = (a: FitMetrics | undefined, b: FitMetrics | undefined) =>
  a !== undefined && b !== undefined && a.logLoss < b.logLoss - TIE;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

async function must(items: HistoryItem[], w: readonly number[]): Promise<FitMetrics | undefined> {
  return evaluateFit(items, w);
}

async function evaluatePopulation(splits: Split[]) {
  const priors = new Map<string, number[]>();
  for (const team of new Set(splits.map((s) => s.learner.team))) {
    const pooled = splits
      .filter((s) => s.learner.team === team)
      .flatMap((s) => toItems(s.train, "UTC"));
    priors.set(team, await fitWeights(pooled, FIT));
  }
  const rows: Row[] = [
    { label: "FSRS defaults", metrics: [] },
    { label: "team prior", metrics: [] },
    ...GRID.map((n) => ({ label: `own fit, first ${n} reviews`, metrics: [] })),
    { label: "own fit, all training reviews", metrics: [] },
    { label: "true weights (floor)", metrics: [] },
  ];
  for (const [k, s] of splits.entries()) {
    process.stderr.write(
      `  learner ${k + 1}/${splits.length} (${s.train.length} training reviews)\n`,
    );
    const at = (i: number) => rows[i]?.metrics as (FitMetrics | undefined)[];
    at(0).push(await must(s.test, DEFAULT_WEIGHTS));
    at(1).push(await must(s.test, priors.get(s.learner.team) ?? DEFAULT_WEIGHTS));
    for (const [g, n] of GRID.entries()) {
      const enough = s.train.length >= n;
      const w = enough ? await fitWeights(toItems(s.train.slice(0, n), "UTC"), FIT) : undefined;
      at(2 + g).push(w ? await must(s.test, w) : undefined);
    }
    at(2 + GRID.length).push(await must(s.test, await fitWeights(toItems(s.train, "UTC"), FIT)));
    at(3 + GRID.length).push(await must(s.test, s.learner.trueW));
  }
  return rows;
}

function table(rows: Row[]): string[] {
  const base = rows[0]?.metrics ?? [];
  const prior = rows[1]?.metrics ?? [];
  const lines = [
    "| parameters | learners | log loss | RMSE (bins) | better than defaults | better than team prior |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    const idx = row.metrics.flatMap((m, i) => (m ? [i] : []));
    const ll = mean(idx.map((i) => row.metrics[i]?.logLoss ?? 0));
    const rmse = mean(idx.map((i) => row.metrics[i]?.rmse ?? 0));
    const beats = (other: (FitMetrics | undefined)[]) =>
      idx.filter((i) => lower(row.metrics[i], other[i])).length;
    lines.push(
      `| ${row.label} | ${idx.length} | ${ll.toFixed(4)} | ${(rmse * 100).toFixed(2)}% | ${beats(base)}/${idx.length} | ${beats(prior)}/${idx.length} |`,
    );
  }
  return lines;
}

/** Smallest N whose own fit beats `other` on mean log loss and for most learners. */
function payoff(rows: Row[], other: number): number | undefined {
  const ref = rows[other]?.metrics ?? [];
  for (const [g, n] of GRID.entries()) {
    const m = rows[2 + g]?.metrics ?? [];
    const idx = m.flatMap((x, i) => (x ? [i] : []));
    if (idx.length < ref.length / 2) continue;
    const own = mean(idx.map((i) => m[i]?.logLoss ?? 0));
    const theirs = mean(idx.map((i) => ref[i]?.logLoss ?? 0));
    const wins = idx.filter((i) => lower(m[i], ref[i])).length;
    if (own < theirs - TIE && wins > idx.length / 2) return n;
  }
  return undefined;
}

async function timings(pop: SimLearner[]): Promise<string[]> {
  const lines = [
    "| reviews | items (reviews after a card's first) | fit time |",
    "| ---: | ---: | ---: |",
  ];
  for (const n of [1_000, 10_000, 100_000]) {
    const items: HistoryItem[] = [];
    let left = n;
    for (const l of pop) {
      if (left <= 0) break;
      const chunk = l.log.slice(0, left);
      left -= chunk.length;
      items.push(...toItems(chunk, "UTC"));
    }
    if (left > 0) {
      lines.push(`| ${n.toLocaleString("en-US")} | (population has ${n - left}) | – |`);
      continue;
    }
    const t0 = performance.now();
    await fitWeights(items, FIT);
    const s = (performance.now() - t0) / 1000;
    lines.push(
      `| ${n.toLocaleString("en-US")} | ${items.length.toLocaleString("en-US")} | ${s.toFixed(2)} s |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  process.stderr.write(`simulating ${OPTS.teams * OPTS.perTeam} learners for ${OPTS.days} days…\n`);
  const pop = simulatePopulation(OPTS);
  const reviews = pop.map((l) => l.log.length);
  const splits = pop.map(split);
  const rows = await evaluatePopulation(splits);
  const out = [
    `Population: ${pop.length} learners in ${OPTS.teams} teams, ${OPTS.days} days, ${OPTS.newPerDay} new cards a day, seed ${OPTS.seed}; team weights = defaults × e^(${OPTS.teamSigma}·N(0,1)), learner weights = team × e^(${OPTS.learnerSigma}·N(0,1)), clipped to FSRS's bounds.`,
    `Reviews per learner: ${Math.min(...reviews)}–${Math.max(...reviews)} (mean ${Math.round(mean(reviews))}); the last ${Math.round((1 - TRAIN_SHARE) * 100)}% of each learner's reviews (in time) are held out.`,
    "",
    ...table(rows),
    "",
    `Own fit beats the defaults from ${payoff(rows, 0) ?? "> " + GRID.at(-1)} training reviews; beats the team prior from ${payoff(rows, 1) ?? "> " + GRID.at(-1)} (mean held-out log loss lower, and lower for most learners).`,
    "",
    ...(await timings(pop)),
    "",
    `Machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, Node ${process.version}; total ${((performance.now() - t0) / 1000).toFixed(0)} s.`,
  ];
  console.log(out.join("\n"));
}

await main();
