/** Bench settings, read once from the environment (BENCH_*); every one has a default. */
export interface BenchConfig {
  /** Seconds per autocannon run of the lookup path (BENCH_SECONDS). */
  seconds: number;
  /** Seconds per concurrency level of the App answer path (BENCH_REVIEW_SECONDS). */
  reviewSeconds: number;
  /** ReviewStore.apply calls per concurrency level of the raw ceiling (BENCH_RAW_OPS). */
  rawOps: number;
  /** Learners due in the same minute for the daily fan-out (BENCH_LEARNERS). */
  learners: number;
  /** Longest the fan-out may run before it is stopped and extrapolated (BENCH_FANOUT_BUDGET). */
  fanoutBudget: number;
  /** Delivery jobs handled at once by the delivery worker (BENCH_DELIVERY_CONCURRENCY). */
  deliveryConcurrency: number;
  /**
   * Bot processes of the fan-out (BENCH_FANOUT_PROCESSES): one ticks and delivers, like
   * `pyjs start`; the others deliver, like `pyjs worker`.
   */
  fanoutProcesses: number;
  /** Learners written per card-count variant for the memory figures (BENCH_MEM_LEARNERS). */
  memLearners: number;
  /** Seconds of deliveries at the allowed rate per platform-limited run (BENCH_PLATFORM_SECONDS). */
  platformSeconds: number;
  /** Sections to run (BENCH_ONLY=review,lookup,fanout,memory,platform; default all). */
  sections: ReadonlySet<Section>;
  /** Also write every figure as JSON to this path (BENCH_JSON). */
  json: string | undefined;
}

export const SECTIONS = ["review", "lookup", "fanout", "memory", "platform"] as const;
export type Section = (typeof SECTIONS)[number];

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max} (got ${raw})`);
  }
  return n;
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const only = (env.BENCH_ONLY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new Error(`BENCH_ONLY: unknown section ${s} (use ${SECTIONS.join(", ")})`);
  }
  return {
    seconds: int(env, "BENCH_SECONDS", 20, 1, 600),
    reviewSeconds: int(env, "BENCH_REVIEW_SECONDS", 8, 1, 600),
    rawOps: int(env, "BENCH_RAW_OPS", 30_000, 100, 10_000_000),
    learners: int(env, "BENCH_LEARNERS", 100_000, 10, 10_000_000),
    fanoutBudget: int(env, "BENCH_FANOUT_BUDGET", 240, 5, 3600),
    deliveryConcurrency: int(env, "BENCH_DELIVERY_CONCURRENCY", 50, 1, 10_000),
    fanoutProcesses: int(env, "BENCH_FANOUT_PROCESSES", 1, 1, 16),
    memLearners: int(env, "BENCH_MEM_LEARNERS", 2000, 10, 1_000_000),
    platformSeconds: int(env, "BENCH_PLATFORM_SECONDS", 30, 2, 3600),
    sections: new Set((only.length ? only : SECTIONS) as Section[]),
    json: env.BENCH_JSON || undefined,
  };
}

/** The BENCH_* variables that were set, for the header ("the exact command"). */
export function benchEnvOverrides(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((k) => k.startsWith("BENCH_") && env[k])
    .sort()
    .map((k) => `${k}=${env[k]}`);
}
