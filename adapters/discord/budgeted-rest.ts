import { type InternalRequest, RateLimitError, REST, type RESTOptions } from "discord.js";
import { discordBuckets, type RateSettings } from "../../src/core/rate-limits.js";
import { RateLimitedError } from "../../src/errors.js";
import type { Metrics } from "../../src/metrics.js";
import type { RateGate } from "../../src/store/rate-budget.js";

/**
 * The REST client the jobs (daily deliveries, weekly boards) send with. Before each
 * request it takes from the bot's shared global budget (50 requests/s for every
 * process together; discord.js's own global limiter only counts its process). With
 * `rejectOnRateLimit`, a request discord.js would wait for (a per-route bucket it knows
 * is empty, or a 429 with Retry-After) is thrown instead, so the job is put back for
 * that long rather than sleeping in the process.
 */
export class BudgetedRest extends REST {
  constructor(
    options: Partial<RESTOptions>,
    private readonly gate: RateGate | undefined,
    private readonly rates: RateSettings,
  ) {
    super({ ...options, rejectOnRateLimit: () => true });
  }

  override async request(options: InternalRequest): Promise<unknown> {
    const method = `${options.method.toUpperCase()} ${routeOf(options.fullRoute)}`;
    await this.gate?.pass(method, discordBuckets(this.rates));
    try {
      return await super.request(options);
    } catch (err) {
      if (!(err instanceof RateLimitError)) throw err;
      // A global limit stops every request of the bot; a route's only that route.
      throw new RateLimitedError(
        Math.max(1, Math.ceil(err.retryAfter)),
        err.global,
        true,
        `discord ${method}`,
      );
    }
  }
}

/** A route with its ids replaced (`/channels/:id/messages`), for metric labels. */
export function routeOf(path: string): string {
  return path.replace(/\/\d{5,}(?=\/|$)/g, "/:id");
}

/** Counts a REST client's 429 answers in /metrics (`pyjs_platform_429_total`). */
export function count429s(rest: REST, metrics: Metrics): void {
  rest.on("response", (req, res) => {
    if (res.status !== 429) return;
    const method = `${req.method.toUpperCase()} ${routeOf(req.path)}`;
    metrics.platform429.inc({ platform: "discord", method });
  });
}
