import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import type { Actor } from "../src/app/types.js";
import { loadConfig } from "../src/config.js";
import { learner } from "../src/core/learner.js";
import { createMetrics } from "../src/metrics.js";
import { connectRedis } from "../src/redis/connect.js";
import { createApp } from "../src/runtime.js";
import { lookupTerms } from "./lookup.js";
import { fmt, progress, type Table } from "./report.js";
import { Samples } from "./stats.js";

const GUILD = "1300000000000000101";
const CHANNEL = "1300000000000000102";
const APP_ID = "1300000000000000103";

let seq = 0n;
const snowflake = () => String(1_400_000_000_000_000_000n + ++seq);

/** A `/pyjs query:<term>` interaction in a server, as the gateway delivers it. */
function slashInteraction(term: string, user: number) {
  const u = {
    id: String(1_350_000_000_000_000_000n + BigInt(user)),
    username: `learner${user}`,
    global_name: `Learner ${user}`,
    discriminator: "0",
    avatar: null,
  };
  return {
    id: snowflake(),
    application_id: APP_ID,
    token: `itok-${randomBytes(12).toString("hex")}`,
    version: 1,
    type: 2,
    locale: "en-US",
    guild_id: GUILD,
    guild_locale: "en-US",
    channel_id: CHANNEL,
    channel: {
      id: CHANNEL,
      type: 0,
      guild_id: GUILD,
      name: "general",
      position: 0,
      permission_overwrites: [],
    },
    app_permissions: "2248473465835073",
    entitlements: [],
    context: 0,
    authorizing_integration_owners: { "0": GUILD },
    attachment_size_limit: 10_485_760,
    member: {
      user: u,
      nick: null,
      avatar: null,
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      permissions: "0",
    },
    data: {
      id: snowflake(),
      name: "pyjs",
      type: 1,
      guild_id: GUILD,
      options: [{ name: "query", type: 3, value: term }],
    },
  };
}

/** Runs `one` back to back for `ms` (after a warm-up); latency samples in ms. */
async function loop(
  ms: number,
  one: (i: number) => Promise<void>,
): Promise<{ samples: Samples; perSecond: number; cpuUs: number }> {
  for (let i = 0; i < 300; i++) await one(i);
  const samples = new Samples();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) {
    const s = performance.now();
    await one(n++);
    samples.push(performance.now() - s);
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { samples, perSecond: n / secs, cpuUs: (cpu.user + cpu.system) / n };
}

/**
 * The Discord lookup's cost per interaction, without the network. The adapter has no
 * network-free entry point (its handlers are closures behind the gateway's
 * INTERACTION_CREATE), so the bench feeds raw interactions to discord.js's own dispatcher
 * (client.actions.InteractionCreate, internal) on a client that never logs in, with
 * client.rest.post answered in-process; and, beside it, app.handleCommand + the Discord
 * renderer alone.
 */
export async function benchDiscord(url: string, t: Table): Promise<void> {
  const prefix = `bd${randomBytes(3).toString("hex")}:`;
  const env = loadConfig({ REDIS_PREFIX: prefix, LOG_LEVEL: "silent" });
  const redis = connectRedis(url);
  const built = createApp(env, redis);
  const app = built.app;
  const terms = lookupTerms(app.deck);
  const ms = 3000;
  try {
    progress("lookup: Discord renderer + app.handleCommand, in process");
    try {
      const render = await import("../adapters/discord/render.js");
      const core = await loop(ms, async (i) => {
        const actor: Actor = {
          learner: learner.discord(String(1_350_000_000_000_000_000n + BigInt(i % 1000))),
          platform: "discord",
          tenant: GUILD,
          channel: CHANNEL,
          name: "x",
        };
        const r = await app.handleCommand(actor, terms[i % terms.length] as string);
        render.payload(render.renderParts(r.parts, { inDm: false }));
      });
      t.add(
        "Discord lookup, app.handleCommand + renderParts + payload",
        `${fmt(core.samples.percentile(50) * 1000, 0)} / ${fmt(core.samples.percentile(99) * 1000, 0)}`,
        "µs p50 / p99",
        `${fmt(core.perSecond, 0)}/s on one core, ${fmt(core.cpuUs, 0)} µs CPU each`,
      );
    } catch (err) {
      t.add("Discord renderer", "not usable", "", (err as Error).message.split("\n")[0] ?? "");
    }

    progress("lookup: Discord adapter handler via discord.js dispatch, REST answered in process");
    let reason: string | undefined;
    try {
      const mod = await import("../adapters/discord/index.js");
      const adapter = await mod.createDiscord({
        env: {
          DISCORD_TOKEN: "bench.token.discord",
          DISCORD_APPLICATION_ID: APP_ID,
          DISCORD_API_URL: undefined,
        },
        app,
        log: pino({ level: "silent" }),
        metrics: createMetrics({ defaults: false }),
      });
      const client = adapter.client as unknown as {
        rest: { post: (route: string, opts: { body?: unknown }) => Promise<unknown> };
        actions?: { InteractionCreate?: { handle(data: unknown): void } };
      };
      const dispatch = client.actions?.InteractionCreate;
      if (!dispatch)
        throw new Error("discord.js has no client.actions.InteractionCreate to dispatch to");
      const waiting = new Map<string, (body: unknown) => void>();
      let failed = 0;
      client.rest.post = async (route, opts) => {
        const id = /^\/interactions\/(\d+)\//.exec(route)?.[1];
        if (id) waiting.get(id)?.(opts.body);
        return undefined;
      };
      const one = (i: number) =>
        new Promise<void>((resolve, reject) => {
          const raw = slashInteraction(terms[i % terms.length] as string, i % 1000);
          const timer = setTimeout(() => {
            waiting.delete(raw.id);
            reject(new Error("the adapter did not answer the interaction within 2 s"));
          }, 2000);
          waiting.set(raw.id, (body) => {
            clearTimeout(timer);
            waiting.delete(raw.id);
            if (JSON.stringify(body ?? "").includes("Sorry, something went wrong")) failed++;
            resolve();
          });
          dispatch.handle(raw);
        });
      const full = await loop(ms, one);
      t.add(
        "Discord /pyjs lookup through the adapter's handler",
        `${fmt(full.samples.percentile(50) * 1000, 0)} / ${fmt(full.samples.percentile(99) * 1000, 0)}`,
        "µs p50 / p99",
        `${fmt(full.perSecond, 0)}/s on one core, ${fmt(full.cpuUs, 0)} µs CPU each; ${failed} answered with the error text`,
      );
      await adapter.stop();
    } catch (err) {
      reason = (err as Error).message.split("\n")[0];
      t.add("Discord adapter handler", "not measured", "", reason ?? "");
    }
    t.note(
      reason
        ? `Discord: the adapter could not be driven without the network (${reason}); the renderer figure is app.handleCommand + renderParts + payload only.`
        : "Discord: the adapter offers no network-free entry point (its handlers sit behind the gateway's INTERACTION_CREATE), so raw interactions were fed to discord.js's internal dispatcher (client.actions.InteractionCreate.handle) on a client that never logs in, with client.rest.post answered in process; the time runs from dispatch to the interaction callback (the reply). The renderer row is app.handleCommand + renderParts + payload alone.",
    );
  } finally {
    await built.close();
    redis.disconnect();
  }
}
