import { webApi } from "@slack/bolt";
import { type RateSettings, slackBuckets } from "../../src/core/rate-limits.js";
import { RateLimitedError } from "../../src/errors.js";
import type { Metrics } from "../../src/metrics.js";
import type { RateGate } from "../../src/store/rate-budget.js";

/**
 * The Web API client the jobs (daily deliveries, weekly boards) send with. Before each
 * call it takes from the workspace's shared budget (conversations.open Tier 3,
 * users.info Tier 4, chat.postMessage per channel and the workspace ceiling); a spent
 * budget throws RateLimitedError and nothing is sent. `rejectRateLimitedCalls`: a 429
 * is not slept on inside the client (its default: pause every call for Retry-After and
 * retry) but thrown, with Retry-After, so the job is put back for that long instead.
 */
export class BudgetedWebClient extends webApi.WebClient {
  constructor(
    token: string,
    options: webApi.WebClientOptions,
    private readonly gate: RateGate | undefined,
    private readonly rates: RateSettings,
  ) {
    super(token, { ...options, rejectRateLimitedCalls: true });
  }

  override async apiCall(
    method: string,
    options: Record<string, unknown> = {},
  ): Promise<webApi.WebAPICallResult> {
    const channel = typeof options.channel === "string" ? options.channel : undefined;
    await this.gate?.pass(method, slackBuckets(this.rates, method, channel));
    try {
      return await super.apiCall(method, options);
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number };
      if (e?.code !== webApi.ErrorCode.RateLimitedError) throw err;
      // Slack's Retry-After is whole seconds; the job waits it out, then sends once.
      throw new RateLimitedError(
        Math.max(1, e.retryAfter ?? 1) * 1000,
        true,
        true,
        `slack ${method}`,
      );
    }
  }
}

/** Counts a client's 429 answers in /metrics (`pyjs_platform_429_total`). */
export function count429s(client: webApi.WebClient, metrics: Metrics): void {
  client.on(webApi.WebClientEvent.RATE_LIMITED, (_retrySec: number, req: { url?: string }) => {
    const method =
      String(req?.url ?? "")
        .split("/")
        .pop() || "unknown";
    metrics.platform429.inc({ platform: "slack", method });
  });
}
