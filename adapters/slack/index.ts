import { App as BoltApp, webApi } from "@slack/bolt";
import type { Messenger } from "../../src/app/messenger.js";
import type { App } from "../../src/app/service.js";
import type { Env } from "../../src/config.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { DEFAULT_RATES, type RateSettings, rateScope } from "../../src/core/rate-limits.js";
import { PyjsError } from "../../src/errors.js";
import type { Handler } from "../../src/http/server.js";
import type { Logger } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics.js";
import { type RateBudget, rateGate } from "../../src/store/rate-budget.js";
import { BudgetedWebClient, count429s } from "./budgeted-client.js";
import { ChartUploads } from "./charts.js";
import { DmChannels } from "./dm.js";
import { slackErrorCode } from "./errors.js";
import { HomeTab } from "./home.js";
import { Inflight } from "./inflight.js";
import { registerListeners } from "./listeners/index.js";
import { boltLogger } from "./logger.js";
import { BOT_EVENTS } from "./manifest.js";
import { SlackMessenger } from "./messenger.js";
import { People } from "./people.js";
import { Profiles } from "./profiles.js";
import { createReceiver, type SlackReceiver } from "./receiver.js";
import { Sender } from "./sender.js";

export { printSlackManifest, slackManifest } from "./manifest.js";
export type { Profile } from "./profiles.js";
export { EVENTS_PATH } from "./receiver.js";

/** Retries for the Web API client: 429s wait for Retry-After, other failures back off. */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 5,
  factor: 2,
  minTimeout: 1000,
  maxTimeout: 60_000,
  randomize: true,
};

export interface SlackOptions {
  env: Env;
  app: App;
  log: Logger;
  metrics: Metrics;
  /** Clock for the App calls (tests pin it); defaults to the real time. */
  now?: Clock;
  /** Web API retry policy (tests use a short one). */
  retryConfig?: webApi.RetryOptions;
  /** Per-call Web API timeout in ms (0: none). */
  apiTimeoutMs?: number;
  /** How long a users.info answer is reused. */
  profileTtlMs?: number;
  /** Longest a slash command waits for users.info before answering without it. */
  profileWaitMs?: number;
  /** The rate budget shared through Redis by every process (absent: 429 handling only). */
  budget?: RateBudget;
  rates?: RateSettings;
}

export interface Slack {
  readonly mode: "http" | "socket";
  messenger: Messenger;
  /** Routes for the shared HTTP server (empty in Socket Mode). */
  routes: Record<string, Handler>;
  /** Socket Mode: connects. HTTP mode: nothing more to do (the route serves). */
  start(): Promise<void>;
  /** Disconnects (Socket Mode) and waits for requests in progress. */
  stop(): Promise<void>;
  /** Token verified and, in Socket Mode, connected. */
  ready(): boolean;
  /** Resolves when every Slack request received so far has been fully handled. */
  settled(): Promise<void>;
}

/** The Web API base URL with the trailing slash the web client expects. */
export function normalizeApiUrl(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** Retries for the start-up token check: a wrong URL or a dead network fails in seconds. */
export const STARTUP_RETRY: webApi.RetryOptions = { retries: 2, minTimeout: 250, maxTimeout: 1000 };

/** The Web API base pyjs talks to, for messages. */
function apiBase(env: Env): string {
  return normalizeApiUrl(env.SLACK_API_URL ?? "https://slack.com/api/");
}

/**
 * auth.test with few retries, before Bolt's own (which retries for most of a minute):
 * a network failure says "cannot reach Slack", a refusal says the token is wrong.
 */
async function checkToken(
  token: string,
  env: Env,
  clientOptions: webApi.WebClientOptions,
): Promise<string> {
  const client = new webApi.WebClient(token, {
    ...clientOptions,
    retryConfig: STARTUP_RETRY,
    timeout: Math.min(clientOptions.timeout || 10_000, 10_000),
  });
  try {
    const who = await client.auth.test();
    return who.team_id ?? "unknown";
  } catch (err) {
    const code = slackErrorCode(err);
    if (code === "request_failed" || /^http_5/.test(code)) {
      const cause = (err as { original?: { message?: string } }).original?.message ?? code;
      throw new PyjsError(
        "slack_unreachable",
        `Cannot reach Slack at ${apiBase(env)} (${cause}). Check SLACK_API_URL and the network.`,
        { cause: err },
      );
    }
    throw new PyjsError(
      "slack_token",
      `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${code}). Check the token and SLACK_API_URL.`,
      { cause: err },
    );
  }
}

/** The bot token, after checking the mode's other secret is there too. */
function botToken(env: Env): string {
  const token = env.SLACK_BOT_TOKEN;
  if (!token) throw new Error("SLACK_BOT_TOKEN is required for Slack");
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET)
    throw new Error("SLACK_SIGNING_SECRET is required for Slack HTTP mode");
  return token;
}

/**
 * The Messenger the jobs use: its own Web API client, which takes from the workspace's
 * shared rate budget before each call and hands a 429's Retry-After to the job instead
 * of sleeping on it. Replies to people (the listeners) keep Bolt's client, whose retry
 * policy waits out a 429 in the process: someone is waiting for that reply.
 */
function jobMessenger(
  opts: SlackOptions,
  token: string,
  team: string,
  clientOptions: webApi.WebClientOptions,
  profiles: Profiles,
  log: Logger,
): SlackMessenger {
  const { app, metrics } = opts;
  const gate = opts.budget && rateGate(opts.budget, rateScope("slack", team), "slack", metrics);
  const client = new BudgetedWebClient(token, clientOptions, gate, opts.rates ?? DEFAULT_RATES);
  count429s(client, metrics);
  const sender = new Sender(client, app, metrics, new ChartUploads(client, log));
  return new SlackMessenger(sender, new DmChannels(client, app), profiles, log);
}

/** Start, stop and health of a wired Bolt app. */
class SlackAdapter implements Slack {
  readonly mode: "http" | "socket";
  readonly routes: Record<string, Handler>;
  private initialized = false;
  private started = false;

  constructor(
    private readonly bolt: BoltApp,
    private readonly receiver: SlackReceiver,
    private readonly inflight: Inflight,
    readonly messenger: Messenger,
    private readonly log: Logger,
  ) {
    this.mode = receiver.mode;
    this.routes = receiver.routes;
  }

  /** Verifies the token (auth.test). */
  async init(): Promise<void> {
    try {
      await this.bolt.init();
      this.initialized = true;
    } catch (err) {
      throw new PyjsError(
        "slack_token",
        `Slack did not accept SLACK_BOT_TOKEN (auth.test: ${slackErrorCode(err)}). Check the token and SLACK_API_URL.`,
        { cause: err },
      );
    }
  }

  async start(): Promise<void> {
    if (this.mode === "socket" && !this.started) {
      this.started = true;
      await this.bolt.start();
    }
  }

  async stop(): Promise<void> {
    if (this.mode === "socket" && this.started) {
      this.started = false;
      await this.bolt
        .stop()
        .catch((err: unknown) => this.log.warn({ err }, "socket mode stop failed"));
    }
    this.receiver.disconnected();
    await this.settled();
  }

  ready(): boolean {
    return this.initialized && this.receiver.connected();
  }

  settled(): Promise<void> {
    return this.inflight.settled();
  }
}

/**
 * The Slack adapter: `/pyjs`, quiz buttons, typed answers in the DM and the App Home,
 * all translated into App calls; replies rendered as Block Kit. HTTP mode mounts Bolt's
 * request listener on the shared server at POST /slack/events; with SLACK_APP_TOKEN it
 * uses Socket Mode instead and mounts nothing.
 */
export async function createSlack(opts: SlackOptions): Promise<Slack> {
  const { env, app, metrics } = opts;
  const log = opts.log.child({ component: "slack" });
  const now = opts.now ?? systemClock;
  const token = botToken(env);
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    timeout: opts.apiTimeoutMs ?? 15_000,
    ...(env.SLACK_API_URL ? { slackApiUrl: normalizeApiUrl(env.SLACK_API_URL) } : {}),
  };
  const team = await checkToken(token, env, clientOptions);
  const receiver = createReceiver({ env, logger, clientOptions });
  const bolt = new BoltApp({
    token,
    logger,
    clientOptions,
    convoStore: false,
    deferInitialization: true,
    ...receiver.appOptions,
  });
  const inflight = new Inflight();
  inflight.watch(bolt);

  const profiles = new Profiles(bolt.client, log, opts.profileTtlMs ?? 10 * 60_000);
  const people = new People(profiles, opts.profileWaitMs ?? 1500);
  const dms = new DmChannels(bolt.client, app);
  const sender = new Sender(bolt.client, app, metrics, new ChartUploads(bolt.client, log));
  const home = new HomeTab(app, bolt.client, now);
  registerListeners(bolt, { app, log, now, people, dms, sender, home });
  const messenger = jobMessenger(opts, token, team, clientOptions, profiles, log);
  count429s(bolt.client, metrics);

  const slack = new SlackAdapter(bolt, receiver, inflight, messenger, log);
  await slack.init();
  log.info({ mode: slack.mode, events: BOT_EVENTS }, "slack adapter ready");
  return slack;
}
