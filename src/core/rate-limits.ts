/**
 * The platforms' published rate limits, and the budgets pyjs keeps under them. Pure
 * data: store/rate-budget.ts counts requests against these in Redis, shared by every
 * process; the adapters say which budgets a request takes from.
 *
 * Slack (https://api.slack.com/apis/rate-limits): `conversations.open` is Tier 3 (about
 * 50 a minute per workspace), `users.info` Tier 4 (about 100 a minute), and
 * `chat.postMessage` about one message a second per channel, with short bursts allowed
 * and a workspace-wide ceiling Slack does not publish (SLACK_MESSAGES_PER_SECOND).
 * Discord (https://discord.com/developers/docs/topics/rate-limits): 50 requests a second
 * per bot across all routes, plus per-route buckets learnt from `X-RateLimit-*` headers.
 */

/** At most `limit` requests in any `ms` window. */
export interface RateWindow {
  limit: number;
  ms: number;
}

/** One budget a request takes from: its name within the scope, and its window. */
export interface RateBucket {
  name: string;
  window: RateWindow;
}

/**
 * Default margin added to every budget window (PYJS_RATE_MARGIN_MS): a request granted
 * at a window's edge reaches the platform a little later than the one granted a window
 * before it, and must still land outside the platform's window. 50 ms costs 5% of a
 * one-second budget (50/s becomes 50 per 1.05 s); a slow or loaded network needs more.
 */
export const RATE_MARGIN_MS = 50;

const padded = (w: RateWindow, marginMs: number): RateWindow => ({
  limit: w.limit,
  ms: w.ms + marginMs,
});

/** Slack's published per-workspace limits by method (the ones pyjs's jobs call). */
export const SLACK_METHOD_LIMITS: Readonly<Record<string, RateWindow>> = {
  "conversations.open": { limit: 50, ms: 60_000 },
  "users.info": { limit: 100, ms: 60_000 },
};

/** chat.postMessage: about one message per second per channel. */
export const SLACK_PER_CHANNEL: RateWindow = { limit: 1, ms: 1000 };

/** Default workspace-wide chat.postMessage ceiling (SLACK_MESSAGES_PER_SECOND). */
export const SLACK_MESSAGES_PER_SECOND = 20;

/** Discord's global limit per bot (DISCORD_REQUESTS_PER_SECOND, for bots Discord raised). */
export const DISCORD_REQUESTS_PER_SECOND = 50;

export interface RateSettings {
  /** Workspace-wide chat.postMessage ceiling, messages per second. */
  slackMessagesPerSecond: number;
  /** Discord's global requests per second for this bot. */
  discordRequestsPerSecond: number;
  /** Added to every window, for the jitter between pyjs and the platform. */
  marginMs: number;
}

export const DEFAULT_RATES: RateSettings = {
  slackMessagesPerSecond: SLACK_MESSAGES_PER_SECOND,
  discordRequestsPerSecond: DISCORD_REQUESTS_PER_SECOND,
  marginMs: RATE_MARGIN_MS,
};

/** The scope a budget is counted in: a Slack workspace or a Discord bot (application). */
export function rateScope(platform: "slack" | "discord", id: string): string {
  return `${platform}-${id}`;
}

/** The budgets one Slack Web API call takes from, in its workspace (none: not limited here). */
export function slackBuckets(rates: RateSettings, method: string, channel?: string): RateBucket[] {
  if (method === "chat.postMessage") {
    const ceiling = { limit: rates.slackMessagesPerSecond, ms: 1000 };
    return [
      { name: `method:${method}`, window: padded(ceiling, rates.marginMs) },
      ...(channel
        ? [{ name: `channel:${channel}`, window: padded(SLACK_PER_CHANNEL, rates.marginMs) }]
        : []),
    ];
  }
  const limit = SLACK_METHOD_LIMITS[method];
  return limit ? [{ name: `method:${method}`, window: padded(limit, rates.marginMs) }] : [];
}

/** The budget every Discord REST request takes from: the bot's global limit. */
export function discordBuckets(rates: RateSettings): RateBucket[] {
  const global = { limit: rates.discordRequestsPerSecond, ms: 1000 };
  return [{ name: "global", window: padded(global, rates.marginMs) }];
}

/** Jobs per second a platform's delivery queue starts, across all processes (BullMQ limiter). */
export function deliveryJobsPerSecond(rates: RateSettings, platform: string): number {
  if (platform === "slack") return rates.slackMessagesPerSecond;
  if (platform === "discord") return rates.discordRequestsPerSecond;
  return 1000;
}

/**
 * Learners per delivery job at a queue's rate: one job each (one BullMQ job per
 * learner, as the queue limiter paces) up to 199 a second, then a job carries a
 * hundredth of a second of the rate, at most 50. A BullMQ job costs the process and
 * Redis about as much as the delivery itself (BENCHMARKS §3a), which only matters where
 * the platform allows thousands of deliveries a second; at Slack's and Discord's
 * published rates every job is one learner.
 */
export function learnersPerJob(jobsPerSecond: number): number {
  return Math.max(1, Math.min(50, Math.floor(jobsPerSecond / 100)));
}
