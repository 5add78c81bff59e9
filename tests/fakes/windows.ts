/**
 * Sliding-window rate limits for the fakes (tests/fakes/slack-api.ts, discord.ts): the
 * platform's published limits enforced the strict way (at most `limit` requests in ANY
 * window of `ms`), and the check a test runs over a fake's record afterwards.
 */

export interface Window {
  limit: number;
  ms: number;
}

/** Accepted request times per key, oldest first (a head index instead of shifting). */
export class SlidingWindows {
  private readonly hits = new Map<string, { times: number[]; head: number }>();

  /** Requests counted for `key` in the window of `w` ending at `now`. */
  count(key: string, w: Window, now: number): number {
    const h = this.hits.get(key);
    if (!h) return 0;
    while (h.head < h.times.length && (h.times[h.head] ?? 0) <= now - w.ms) h.head += 1;
    if (h.head > 1024 && h.head * 2 > h.times.length) {
      h.times = h.times.slice(h.head);
      h.head = 0;
    }
    return h.times.length - h.head;
  }

  /** How long until `key` has room under `w` at `now` (0: room now). */
  waitMs(key: string, w: Window, now: number): number {
    if (this.count(key, w, now) < w.limit) return 0;
    const h = this.hits.get(key);
    return (h?.times[h.head] ?? now) + w.ms - now;
  }

  record(key: string, now: number): void {
    const h = this.hits.get(key) ?? { times: [], head: 0 };
    h.times.push(now);
    this.hits.set(key, h);
  }

  clear(): void {
    this.hits.clear();
  }
}

/** The most requests at `times` (ms, any order) that fall inside one window of `ms`. */
export function maxInWindow(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while ((t[hi] ?? 0) - (t[lo] ?? 0) >= ms) lo += 1;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}

/** A precise clock for the fakes' records (ms since the epoch, with fractions). */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
