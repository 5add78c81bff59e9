import type { Client } from "discord.js";
import type { Messenger } from "../../src/app/messenger.js";
import type { App } from "../../src/app/service.js";
import type { Env } from "../../src/config.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { DEFAULT_RATES, type RateSettings, rateScope } from "../../src/core/rate-limits.js";
import type { Logger } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics.js";
import { type RateBudget, rateGate } from "../../src/store/rate-budget.js";
import { BudgetedRest, count429s } from "./budgeted-rest.js";
import { createClient } from "./client.js";
import { DmChannels } from "./dm.js";
import { Gateway } from "./gateway.js";
import { CommandListener } from "./listeners/commands.js";
import { ComponentListener } from "./listeners/components.js";
import { listen } from "./listeners/index.js";
import { MessageListener } from "./listeners/messages.js";
import { DiscordMessenger } from "./messenger.js";
import { Outbox } from "./outbox.js";

export { actorOf } from "./actor.js";
export { discordRegister, PYJS_COMMAND, registerCommands } from "./commands.js";

export interface DiscordOptions {
  env: Pick<Env, "DISCORD_TOKEN" | "DISCORD_APPLICATION_ID" | "DISCORD_API_URL"> &
    Partial<Pick<Env, "DISCORD_SHARDS">>;
  app: App;
  log: Logger;
  metrics?: Metrics | undefined;
  /** Clock, for tests; the real time by default. */
  now?: Clock;
  /** How long a fast command may take before the reply is deferred (Discord allows 3 s). */
  deferAfterMs?: number;
  /** How long start() waits for the gateway to become ready. */
  readyTimeoutMs?: number;
  /** The rate budget shared through Redis by every process (absent: 429 handling only). */
  budget?: RateBudget;
  rates?: RateSettings;
}

export interface DiscordAdapter {
  readonly client: Client;
  /** Works over REST alone: usable without start() (e.g. in `pyjs worker`). */
  readonly messenger: Messenger;
  /** Logs in and resolves once the gateway session is ready. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Connected to the gateway (for /readyz). */
  ready(): boolean;
}

/** The Discord adapter: gateway events -> app calls, replies -> embeds, buttons and modals. */
export async function createDiscord(opts: DiscordOptions): Promise<DiscordAdapter> {
  const { app, log, metrics } = opts;
  const token = opts.env.DISCORD_TOKEN;
  if (!token) throw new Error("DISCORD_TOKEN is not set");
  const now = opts.now ?? systemClock;

  const client = createClient({
    token,
    apiUrl: opts.env.DISCORD_API_URL,
    shards: opts.env.DISCORD_SHARDS ?? "auto",
  });
  const outbox = new Outbox(client.rest);
  const dms = new DmChannels(client.rest, app);
  const messenger = new DiscordMessenger({ app, outbox, dms, log, metrics });
  if (metrics) count429s(client.rest, metrics);
  const deferAfterMs = opts.deferAfterMs ?? 1500;
  listen(client, {
    commands: new CommandListener({ app, messenger, log, now, deferAfterMs }),
    components: new ComponentListener({ app, messenger, log, now, deferAfterMs }),
    messages: new MessageListener({ app, messenger, now }),
    log,
  });
  const gateway = new Gateway(client, token, log, opts.readyTimeoutMs ?? 60_000);

  return {
    client,
    messenger: jobMessenger(opts, token),
    start: () => gateway.start(),
    stop: () => gateway.stop(),
    ready: () => gateway.ready(),
  };
}

/**
 * The Messenger the jobs use: its own REST client, which takes from the bot's shared
 * global budget before each request and hands a rate limit to the job (put back for
 * Retry-After) instead of waiting in the process. Replies to people keep the gateway
 * client's REST, which waits out a 429 itself: someone is waiting for that reply.
 */
function jobMessenger(opts: DiscordOptions, token: string): DiscordMessenger {
  const { app, log, metrics } = opts;
  const scope = rateScope("discord", opts.env.DISCORD_APPLICATION_ID ?? "bot");
  const gate = opts.budget && rateGate(opts.budget, scope, "discord", metrics);
  const api = opts.env.DISCORD_API_URL;
  const rest = new BudgetedRest(api ? { api } : {}, gate, opts.rates ?? DEFAULT_RATES);
  rest.setToken(token);
  if (metrics) count429s(rest, metrics);
  return new DiscordMessenger({
    app,
    outbox: new Outbox(rest),
    dms: new DmChannels(rest, app),
    log,
    metrics,
  });
}
