/** Latency samples in milliseconds and their percentiles. */
export class Samples {
  private readonly values: number[] = [];

  push(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  /** Nearest-rank percentile (p in 0–100) of what was pushed. */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const sorted = this.sorted();
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank] ?? Number.NaN;
  }

  mean(): number {
    if (this.values.length === 0) return Number.NaN;
    let s = 0;
    for (const v of this.values) s += v;
    return s / this.values.length;
  }

  max(): number {
    return this.percentile(100);
  }

  private cache: number[] | undefined;
  private cachedLength = -1;

  private sorted(): number[] {
    if (!this.cache || this.cachedLength !== this.values.length) {
      this.cache = [...this.values].sort((a, b) => a - b);
      this.cachedLength = this.values.length;
    }
    return this.cache;
  }
}

/** CPU time (user + system) of this process in microseconds since `since`. */
export function cpuMicros(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return u.user + u.system;
}
