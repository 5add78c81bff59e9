import type { Queue } from "bullmq";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Longest a scrape waits for the queue counts (Redis may be down: answer without them). */
export const QUEUE_COUNTS_TIMEOUT_MS = 1000;

type Counts = { queue: string; counts: Record<string, number> }[];

/** Every queue's job counts, or undefined when Redis fails or is slower than `ms`. */
export async function queueCounts(queues: Queue[], ms: number): Promise<Counts | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((ok) => {
    timer = setTimeout(() => ok(undefined), ms);
  });
  const read = Promise.all(
    queues.map(async (q) => ({
      queue: q.name,
      counts: await q.getJobCounts("waiting", "active", "delayed", "failed"),
    })),
  ).catch(() => undefined);
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The process's Prometheus metrics, served at GET /metrics. */
export interface Metrics {
  registry: Registry;
  reviews: Counter<"rating">;
  promptsSent: Counter<"platform">;
  lookups: Counter<"found">;
  deliveries: Counter<"outcome">;
  /** 429 answers from a platform (Slack Web API method, Discord method + route). */
  platform429: Counter<"platform" | "method">;
  /** Requests held back because the shared rate budget was spent (no request sent). */
  rateDeferred: Counter<"platform" | "method">;
  jobLatency: Histogram<"queue">;
  queueDepth: Gauge<"queue" | "state">;
  /** 1 when the last scrape read the queue counts, 0 when Redis did not answer in time. */
  queueCountsOk: Gauge;
  /** The queues whose depth /metrics reports (set once workers run). */
  queues: () => Queue[];
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: "pyjs_" });
  const metrics: Metrics = {
    queues: () => [],
    registry,
    reviews: new Counter({
      name: "pyjs_reviews_total",
      help: "Reviews recorded, by FSRS rating",
      labelNames: ["rating"],
      registers: [registry],
    }),
    promptsSent: new Counter({
      name: "pyjs_prompts_sent_total",
      help: "Quiz questions sent, by platform",
      labelNames: ["platform"],
      registers: [registry],
    }),
    lookups: new Counter({
      name: "pyjs_lookups_total",
      help: "Glossary lookups, by whether the term was found",
      labelNames: ["found"],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: "pyjs_deliveries_total",
      help: "Daily deliveries, by outcome (sent, skipped, failed)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    platform429: new Counter({
      name: "pyjs_platform_429_total",
      help: "429 (rate limited) answers from a platform, by platform and method",
      labelNames: ["platform", "method"],
      registers: [registry],
    }),
    rateDeferred: new Counter({
      name: "pyjs_rate_deferred_total",
      help: "Platform requests put off because the shared rate budget was spent, by platform and method",
      labelNames: ["platform", "method"],
      registers: [registry],
    }),
    jobLatency: new Histogram({
      name: "pyjs_job_latency_seconds",
      help: "Time from a job being due to it finishing",
      labelNames: ["queue"],
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "pyjs_queue_jobs",
      help: "Jobs in each queue by state",
      labelNames: ["queue", "state"],
      registers: [registry],
      // Read at scrape time, so the figure is never stale; skipped (not stale) when
      // Redis can't answer, so /metrics still serves everything else.
      async collect() {
        const read = await queueCounts(metrics.queues(), QUEUE_COUNTS_TIMEOUT_MS);
        this.reset();
        metrics.queueCountsOk.set(read ? 1 : 0);
        for (const { queue, counts } of read ?? [])
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      },
    }),
    queueCountsOk: new Gauge({
      name: "pyjs_queue_counts_ok",
      help: "1 when /metrics could read the queue depths from Redis, 0 when it skipped them",
      registers: [registry],
    }),
  };
  return metrics;
}
