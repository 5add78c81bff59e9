import { LRUCache } from "lru-cache";
import type { ChartResult } from "./render.js";

/** One cached chart: per learner (or guild/workspace for leaderboards), local date and kind. */
export interface ChartCacheKey {
  learner: string;
  /** The learner's local date, "YYYY-MM-DD". */
  date: string;
  kind: string;
}

export interface ChartCacheOptions {
  /** Most PNG bytes held at once; default 32 MiB. */
  maxBytes?: number;
  /** Most charts held at once; default 2000. */
  maxEntries?: number;
  /** Optional age limit in ms (charts for "today" go stale as the learner reviews). */
  ttlMs?: number;
}

/** LRU of rendered charts, bounded by count and PNG bytes. Failed renders are not cached. */
export class ChartCache {
  private readonly lru: LRUCache<string, ChartResult>;

  constructor(opts: ChartCacheOptions = {}) {
    this.lru = new LRUCache<string, ChartResult>({
      max: opts.maxEntries ?? 2000,
      maxSize: opts.maxBytes ?? 32 * 2 ** 20,
      sizeCalculation: (r) => Math.max(1, r.png.length),
      ...(opts.ttlMs !== undefined ? { ttl: opts.ttlMs } : {}),
    });
  }

  static key(k: ChartCacheKey): string {
    return JSON.stringify([k.learner, k.date, k.kind]);
  }

  get(k: ChartCacheKey): ChartResult | undefined {
    return this.lru.get(ChartCache.key(k));
  }

  set(k: ChartCacheKey, chart: ChartResult): void {
    this.lru.set(ChartCache.key(k), chart);
  }

  /** The cached chart, or render() now and keep its result unless it is undefined. */
  getOrRender(k: ChartCacheKey, render: () => ChartResult | undefined): ChartResult | undefined {
    const hit = this.get(k);
    if (hit) return hit;
    const chart = render();
    if (chart) this.set(k, chart);
    return chart;
  }

  /** Drops every chart of one learner (e.g. after they review, so today's calendar updates). */
  invalidate(learner: string): void {
    for (const key of [...this.lru.keys()]) {
      if ((JSON.parse(key) as string[])[0] === learner) this.lru.delete(key);
    }
  }

  get size(): number {
    return this.lru.size;
  }
}
