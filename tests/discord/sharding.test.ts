import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shardOptions } from "../../adapters/discord/client.js";
import { createDiscord, type DiscordAdapter } from "../../adapters/discord/index.js";
import { createMetrics } from "../../src/metrics.js";
import { FakeDiscord, shardOf, until } from "../fakes/discord.js";
import { testApp } from "../support/app.js";
import { dropPrefix, testRedis } from "../support/redis.js";

/**
 * Issue 16: gateway sharding. With DISCORD_SHARDS=auto (the default) the client asks
 * GET /gateway/bot for the recommended count and identifies once per shard with its
 * `[id, count]` pair; a server's interactions arrive on its own shard and are answered.
 */
const { redis, prefix } = testRedis();
let fake: FakeDiscord;
let discord: DiscordAdapter | undefined;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  fake.recommendedShards = 2;
  discord = await createDiscord({
    env: {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
    },
    app: testApp(redis, prefix),
    log: pino({ level: "silent" }),
    metrics: createMetrics({ defaults: false }),
  });
  await discord.start();
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe("DISCORD_SHARDS", () => {
  it("auto: identifies each of the recommended shards with its [id, count] pair", async () => {
    await until(() => fake.identifies.length >= 2, "two identifies");
    const pairs = fake.identifies.map((i) => i.shard).sort();
    expect(pairs).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(fake.connectedClients()).toBe(2);
    expect(discord?.ready()).toBe(true);
  });

  it("answers a server's /pyjs on the shard that owns the server", async () => {
    expect([0, 1]).toContain(shardOf(fake.guildId, 2));
    const id = fake.slash(fake.user("sam"), "npx");
    const cb = await until(() => fake.callbacks(id)[0], "lookup reply");
    expect(cb.type).toBe(4);
    expect(fake.callbacks(id)).toHaveLength(1);
  });

  it("a fixed count runs every shard id of that count", () => {
    expect(shardOptions("auto")).toEqual({ shards: "auto" });
    expect(shardOptions(3)).toEqual({ shards: [0, 1, 2], shardCount: 3 });
  });
});
