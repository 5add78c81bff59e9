import { Client, GatewayIntentBits, Options, Partials } from "discord.js";
import { NO_MENTIONS } from "./render.js";

export interface ClientOptions {
  token: string;
  /** REST base (DISCORD_API_URL), for proxies and tests. */
  apiUrl?: string | undefined;
  /** DISCORD_SHARDS: "auto" (Discord's recommendation) or a fixed shard count. */
  shards?: "auto" | number;
}

/**
 * Gateway sharding (DISCORD_SHARDS): `auto` asks `GET /gateway/bot` for Discord's
 * recommended shard count (one shard per ~1,000 servers; required from 2,500) and runs
 * them all in this process, each identifying with its `[id, count]` pair; a number fixes
 * the count. discord.js paces the identifies by the session start limit's
 * `max_concurrency`. Only the process that logs in (`pyjs start`) holds shards.
 */
export function shardOptions(shards: "auto" | number): {
  shards: "auto" | number[];
  shardCount?: number;
} {
  if (shards === "auto") return { shards: "auto" };
  return { shards: Array.from({ length: shards }, (_, i) => i), shardCount: shards };
}

/**
 * The discord.js client: the intents, partials and caches pyjs needs and no more. Its REST
 * client has the token at once, so messages can be sent before (or without) a gateway login.
 */
export function createClient(opts: ClientOptions): Client {
  const client = new Client({
    // Guilds: servers and channels (names, leaderboard channels). DirectMessages: typed
    // answers in the DM with the bot. No MessageContent: that privileged intent only
    // matters for server messages; DMs to the bot carry their text without it.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    // DM channels are not cached until used; without this partial DMs are dropped.
    partials: [Partials.Channel],
    allowedMentions: NO_MENTIONS,
    // Nothing here reads old messages back from the cache.
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      // People seen in interactions; the bot's own user is always kept.
      UserManager: { maxSize: 10_000, keepOverLimit: (u) => u.id === u.client.user?.id },
      GuildMemberManager: { maxSize: 1_000, keepOverLimit: (m) => m.id === m.client.user?.id },
    }),
    ...(opts.apiUrl ? { rest: { api: opts.apiUrl } } : {}),
    ...shardOptions(opts.shards ?? "auto"),
  });
  // REST works before (and without) the gateway login, so the messenger can deliver from a
  // process that never calls start() (`pyjs worker`).
  client.rest.setToken(opts.token);
  return client;
}
