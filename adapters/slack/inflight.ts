import type { App as BoltApp } from "@slack/bolt";

/**
 * Tracks every event Bolt processes, so stop() and tests can wait until all requests
 * received so far are fully handled.
 */
export class Inflight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Wraps `bolt.processEvent` so each event's handling is tracked. */
  watch(bolt: BoltApp): void {
    const processEvent = bolt.processEvent.bind(bolt);
    bolt.processEvent = (event) => {
      const p = processEvent(event);
      this.pending.add(p);
      p.then(
        () => this.pending.delete(p),
        () => this.pending.delete(p),
      );
      return p;
    };
  }

  /** Resolves when nothing is in progress (including events that arrive meanwhile). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
