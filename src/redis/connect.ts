import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../logger.js";

/**
 * ioredis's options without `replyMapping`: its declared type admits `undefined`, its
 * constructor's does not, which `exactOptionalPropertyTypes` rejects; pyjs never sets it.
 */
type Options = Omit<RedisOptions, "replyMapping">;

/**
 * One ioredis connection. `maxRetriesPerRequest: null` is what BullMQ requires, and it
 * also means commands wait for a reconnect instead of failing during a short outage;
 * callers that must answer quickly use `withTimeout`.
 */
export function connectRedis(url: string, log?: Logger, extra: Options = {}): Redis {
  const options: Options = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  };
  const redis = url.startsWith("unix://")
    ? new Redis({ ...options, path: url.slice("unix://".length) })
    : new Redis(url, options);
  return watch(redis, log);
}

/** Warns when Redis may evict keys: BullMQ and the review log need `noeviction`. */
export async function checkEvictionPolicy(redis: Redis, log: Logger): Promise<string | undefined> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    const policy = reply[1];
    if (policy && policy !== "noeviction") {
      log.warn(
        { policy },
        "Redis maxmemory-policy is not noeviction: Redis may delete queue jobs and learner data under memory pressure. Set `maxmemory-policy noeviction`.",
      );
    }
    return policy;
  } catch {
    // Managed Redis services often disable CONFIG; nothing to check then.
    return undefined;
  }
}

/** Where pyjs's Redis is: one server (URL), a Redis Cluster, or a Sentinel-watched primary. */
export type RedisTarget =
  | { kind: "url"; url: string }
  | { kind: "cluster"; nodes: HostPort[] }
  | { kind: "sentinel"; sentinels: HostPort[]; name: string };

export interface HostPort {
  host: string;
  port: number;
}

/**
 * The client for a target. A Cluster is returned typed as `Redis`: pyjs only uses the
 * command API both share, keeps every multi-key command and script inside one hash slot
 * (learner keys share a hash tag, team keys are written one by one, BullMQ's prefix is
 * hash-tagged), and walks every master where it SCANs (`scanKeys`).
 */
export function connectRedisTarget(target: RedisTarget, log?: Logger): Redis {
  if (target.kind === "url") return connectRedis(target.url, log);
  const redisOptions: Options = {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  if (target.kind === "sentinel") {
    return watch(
      new Redis({ ...redisOptions, sentinels: target.sentinels, name: target.name }),
      log,
    );
  }
  const cluster = new Cluster(target.nodes, {
    redisOptions,
    clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
  });
  return watch(cluster, log) as unknown as Redis;
}

/** Logs a lost connection once, and its return. */
function watch<R extends Redis | Cluster>(redis: R, log?: Logger): R {
  if (!log) return redis;
  let down = false;
  redis.on("error", (err: Error) => {
    if (!down) log.warn({ err: err.message }, "redis connection error");
    down = true;
  });
  redis.on("ready", () => {
    if (down) log.info("redis connection restored");
    down = false;
  });
  return redis;
}

/** `host:port,host:port` as a list (config validates the form). */
export function parseHostPorts(list: string): HostPort[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const cut = s.lastIndexOf(":");
      return { host: s.slice(0, cut), port: Number(s.slice(cut + 1)) };
    });
}

/** The target the environment names: REDIS_CLUSTER_NODES, else REDIS_SENTINELS, else a URL. */
export function redisTargetOf(env: {
  REDIS_CLUSTER_NODES?: string | undefined;
  REDIS_SENTINELS?: string | undefined;
  REDIS_SENTINEL_NAME?: string | undefined;
}): Exclude<RedisTarget, { kind: "url" }> | undefined {
  if (env.REDIS_CLUSTER_NODES)
    return { kind: "cluster", nodes: parseHostPorts(env.REDIS_CLUSTER_NODES) };
  if (env.REDIS_SENTINELS && env.REDIS_SENTINEL_NAME)
    return {
      kind: "sentinel",
      sentinels: parseHostPorts(env.REDIS_SENTINELS),
      name: env.REDIS_SENTINEL_NAME,
    };
  return undefined;
}
