import { type AppOptions, App as BoltApp, webApi } from "@slack/bolt";
import type { Redis } from "ioredis";
import type { Messenger } from "../../src/app/messenger.js";
import type { App } from "../../src/app/service.js";
import { type Env, slackMode } from "../../src/config.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { DEFAULT_RATES, type RateSettings, rateScope } from "../../src/core/rate-limits.js";
import { Cipher } from "../../src/crypto.js";
import { PyjsError } from "../../src/errors.js";
import type { Handler } from "../../src/http/server.js";
import type { Logger } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics.js";
import { InstallationRecords, OAuthStates } from "../../src/store/installations.js";
import { makeKeys } from "../../src/store/keys.js";
import { type RateBudget, rateGate } from "../../src/store/rate-budget.js";
import { BudgetedWebClient, count429s } from "./budgeted-client.js";
import { ChartUploads } from "./charts.js";
import { InstalledClients, type SlackClients, singleClient } from "./clients.js";
import { DmChannels } from "./dm.js";
import { slackErrorCode } from "./errors.js";
import { HomeTab } from "./home.js";
import { Inflight } from "./inflight.js";
import { SlackInstalls } from "./installs.js";
import { registerListeners } from "./listeners/index.js";
import { registerInstallEvents } from "./listeners/installs.js";
import { boltLogger } from "./logger.js";
import { BOT_EVENTS, BOT_SCOPES } from "./manifest.js";
import { SlackMessenger } from "./messenger.js";
import {
  botTokenOf,
  installCallbacks,
  installPage,
  redisInstallationStore,
  redisStateStore,
} from "./oauth.js";
import { People } from "./people.js";
import { Profiles } from "./profiles.js";
import { createReceiver, type SlackReceiver } from "./receiver.js";
import { Sender } from "./sender.js";

export { printSlackManifest, slackManifest } from "./manifest.js";
export type { Profile } from "./profiles.js";
export { EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH } from "./receiver.js";

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
  /** OAuth mode: where installations (sealed) and install states are kept. */
  redis?: Redis;
  /** OAuth mode: how long a workspace's token is reused before the store is read again. */
  tokenTtlMs?: number;
  /** The rate budget shared through Redis by every process (absent: 429 handling only). */
  budget?: RateBudget;
  rates?: RateSettings;
}

export interface Slack {
  readonly mode: "http" | "socket";
  /** One workspace (SLACK_BOT_TOKEN) or any number installed through OAuth. */
  readonly auth: "token" | "oauth";
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

/** Makes the job client for a workspace's token (see {@link budgetedClients}). */
type MakeClient = (token: string, team: string) => webApi.WebClient;

/**
 * Job clients that take from the workspace's shared rate budget before each call and hand
 * a 429 to the job (Retry-After) instead of sleeping in the process.
 */
function budgetedClients(opts: SlackOptions, clientOptions: webApi.WebClientOptions): MakeClient {
  const { metrics } = opts;
  return (token, team) => {
    const gate = opts.budget && rateGate(opts.budget, rateScope("slack", team), "slack", metrics);
    const client = new BudgetedWebClient(token, clientOptions, gate, opts.rates ?? DEFAULT_RATES);
    count429s(client, metrics);
    return client;
  };
}

/** Uninstall bookkeeping forgets a team in the interactive and the job clients alike. */
function forgetBoth(clients: SlackClients, jobs: SlackClients): SlackClients {
  return {
    forTeam: (team) => clients.forTeam(team),
    forget: (team) => {
      clients.forget(team);
      jobs.forget(team);
    },
    tokenInUse: (team) => jobs.tokenInUse?.(team) ?? clients.tokenInUse?.(team),
  };
}

/** The messenger deliveries and weekly posts use: job clients, per workspace. */
function jobMessenger(
  opts: SlackOptions,
  clients: SlackClients,
  profiles: Profiles,
  log: Logger,
  onFailed: ConstructorParameters<typeof SlackMessenger>[4],
): SlackMessenger {
  const { app, metrics } = opts;
  const sender = new Sender(clients, app, metrics, new ChartUploads(clients, log));
  return new SlackMessenger(sender, new DmChannels(clients, app), profiles, log, onFailed);
}

/** Start, stop and health of a wired Bolt app. */
class SlackAdapter implements Slack {
  readonly mode: "http" | "socket";
  readonly auth: "token" | "oauth";
  readonly routes: Record<string, Handler>;
  private initialized = false;
  private started = false;

  constructor(
    private readonly bolt: BoltApp,
    private readonly receiver: SlackReceiver,
    private readonly inflight: Inflight,
    readonly messenger: Messenger,
    private readonly log: Logger,
    auth: "token" | "oauth",
  ) {
    this.auth = auth;
    this.mode = receiver.mode;
    this.routes = receiver.routes;
  }

  /** Verifies the token (auth.test); OAuth: authorizes each request from the installations. */
  async init(): Promise<void> {
    try {
      await this.bolt.init();
      this.initialized = true;
    } catch (err) {
      if (this.auth === "oauth") throw err;
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

/** What differs between one bot token and OAuth installs. */
interface AuthSetup {
  auth: "token" | "oauth";
  clients: (bolt: BoltApp) => SlackClients;
  /** The clients jobs send with, each made by `make` for a token and its workspace. */
  jobClients: (make: MakeClient) => SlackClients;
  receiver: SlackReceiver;
  boltOptions: Pick<AppOptions, "token">;
  /** OAuth: uninstall events and install bookkeeping, once the Bolt app exists. */
  installs?: (bolt: BoltApp, clients: SlackClients) => SlackInstalls;
}

/** SLACK_BOT_TOKEN: checked with auth.test now, one client for every request. */
async function tokenSetup(
  env: Env,
  logger: ReturnType<typeof boltLogger>,
  clientOptions: webApi.WebClientOptions,
): Promise<AuthSetup> {
  const token = botToken(env);
  const team = await checkToken(token, env, clientOptions);
  return {
    auth: "token",
    clients: (bolt) => singleClient(bolt.client),
    jobClients: (make) => singleClient(make(token, team)),
    receiver: createReceiver({ env, logger, clientOptions }),
    boltOptions: { token },
  };
}

/**
 * OAuth installs: Bolt's installer on /slack/install and /slack/oauth_redirect, states
 * and sealed installations in Redis, each request authorized with its workspace's token.
 */
function oauthSetup(
  opts: SlackOptions,
  log: Logger,
  logger: ReturnType<typeof boltLogger>,
  clientOptions: webApi.WebClientOptions,
): AuthSetup {
  const { env, app, redis } = opts;
  if (!redis) throw new Error("Slack OAuth installs need the Redis connection");
  const keys = makeKeys(env.REDIS_PREFIX);
  const records = new InstallationRecords(
    redis,
    keys,
    Cipher.fromEnv(env.PYJS_ENCRYPTION_KEY, env.PYJS_ENCRYPTION_KEY_OLD),
  );
  let installs: SlackInstalls | undefined;
  const receiver = createReceiver({
    env,
    logger,
    clientOptions,
    oauth: {
      clientId: env.SLACK_CLIENT_ID ?? "",
      clientSecret: env.SLACK_CLIENT_SECRET ?? "",
      scopes: [...BOT_SCOPES],
      installationStore: redisInstallationStore(records),
      installerOptions: {
        directInstall: false,
        renderHtmlForInstallPath: installPage,
        stateStore: redisStateStore(new OAuthStates(redis, keys), env.SLACK_STATE_SECRET ?? ""),
        // The installer's own clients (oauth.v2.access, auth.test) reach SLACK_API_URL too.
        clientOptions: { ...clientOptions },
        callbackOptions: installCallbacks({
          log,
          clientOptions,
          installed: async (team) => installs?.restored(team),
        }),
      },
    },
  });
  const tokenOf = (team: string) => botTokenOf(records, team);
  return {
    auth: "oauth",
    clients: () => new InstalledClients(tokenOf, clientOptions, opts.tokenTtlMs),
    jobClients: (make) => new InstalledClients(tokenOf, clientOptions, opts.tokenTtlMs, make),
    receiver,
    boltOptions: {},
    installs: (bolt, clients) => {
      installs = new SlackInstalls(app, records, clients, log, opts.now ?? systemClock);
      registerInstallEvents(bolt, installs, log);
      return installs;
    },
  };
}

/**
 * The Slack adapter: `/pyjs`, quiz buttons, typed answers in the DM and the App Home,
 * all translated into App calls; replies rendered as Block Kit. HTTP mode mounts Bolt's
 * request listener on the shared server at POST /slack/events; with SLACK_APP_TOKEN it
 * uses Socket Mode instead and mounts nothing. With SLACK_CLIENT_ID (and no bot token)
 * any number of workspaces install it through OAuth, each served with its own token.
 */
export async function createSlack(opts: SlackOptions): Promise<Slack> {
  const { env, app, metrics } = opts;
  const log = opts.log.child({ component: "slack" });
  const now = opts.now ?? systemClock;
  const logger = boltLogger(log);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
    timeout: opts.apiTimeoutMs ?? 15_000,
    ...(env.SLACK_API_URL ? { slackApiUrl: normalizeApiUrl(env.SLACK_API_URL) } : {}),
  };
  const setup =
    slackMode(env) === "oauth"
      ? oauthSetup(opts, log, logger, clientOptions)
      : await tokenSetup(env, logger, clientOptions);
  const bolt = new BoltApp({
    ...setup.boltOptions,
    logger,
    clientOptions,
    convoStore: false,
    deferInitialization: true,
    ...setup.receiver.appOptions,
  });
  const inflight = new Inflight();
  inflight.watch(bolt);

  const clients = setup.clients(bolt);
  // Deliveries and weekly posts send through clients that take from the shared budget.
  const jobClients = setup.jobClients(budgetedClients(opts, clientOptions));
  const installs = setup.installs?.(bolt, forgetBoth(clients, jobClients));
  const profiles = new Profiles(clients, log, opts.profileTtlMs ?? 10 * 60_000);
  const people = new People(profiles, opts.profileWaitMs ?? 1500);
  const dms = new DmChannels(clients, app);
  const sender = new Sender(clients, app, metrics, new ChartUploads(clients, log));
  const home = new HomeTab(app, clients, now);
  registerListeners(bolt, { app, log, now, people, dms, sender, home });
  const onFailed = installs ? installs.deliveryFailed.bind(installs) : undefined;
  const messenger = jobMessenger(opts, jobClients, profiles, log, onFailed);
  count429s(bolt.client, metrics);

  const slack = new SlackAdapter(bolt, setup.receiver, inflight, messenger, log, setup.auth);
  await slack.init();
  log.info({ mode: slack.mode, auth: slack.auth, events: BOT_EVENTS }, "slack adapter ready");
  return slack;
}
