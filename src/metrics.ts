import type { Queue } from "bullmq";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** The process's Prometheus metrics, served at GET /metrics. */
export interface Metrics {
  registry: Registry;
  reviews: Counter<"rating">;
  promptsSent: Counter<"platform">;
  lookups: Counter<"found">;
  deliveries: Counter<"outcome">;
  jobLatency: Histogram<"queue">;
  queueDepth: Gauge<"queue" | "state">;
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
      // Read at scrape time, so the figure is never stale.
      async collect() {
        for (const q of metrics.queues()) {
          const counts = await q.getJobCounts("waiting", "active", "delayed", "failed");
          for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
        }
      },
    }),
  };
  return metrics;
}
