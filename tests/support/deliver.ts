import type { Redis } from "ioredis";
import type { Messenger } from "../../src/app/messenger.js";
import type { App } from "../../src/app/service.js";
import { deliveryDate } from "../../src/core/delivery-time.js";
import { deliver } from "../../src/jobs/delivery.js";
import { createStores } from "../../src/runtime.js";

/**
 * One daily delivery job for `learner` at `at` (a UTC learner's date), run by the real
 * job code against a harness's App and Redis with an adapter's Messenger. Resolves with
 * the outcome, or with the error the job threw (e.g. UnrecoverableError).
 */
export async function runDelivery(
  h: { app: App; redis: Redis; prefix: string },
  messenger: Messenger,
  learner: string,
  at: Date,
): Promise<unknown> {
  const stores = createStores(h.redis, h.prefix);
  const deps = {
    app: h.app,
    settings: stores.settings,
    schedule: stores.schedule,
    messengers: new Map([[messenger.platform, messenger]]),
    clock: () => at,
  };
  const job = { learner, date: deliveryDate(at, "UTC"), dueAt: at.getTime() };
  return deliver(deps, job).catch((e: unknown) => e);
}
