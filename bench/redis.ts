import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { connectRedis } from "../src/redis/connect.js";
import { freePort, startLocalRedis } from "../src/redis/local-server.js";

export interface BenchRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The bench's own redis-server: a free port, a temporary folder, no persistence. It is
 * the only Redis the bench writes to (never the machine's 6379), and it is stopped at
 * the end or on Ctrl-C.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const dir = mkdtempSync(join(tmpdir(), "pyjs-bench-redis-"));
  const port = await freePort();
  const server = await startLocalRedis({ dir, port, persist: false });
  if (!server.owned) throw new Error("expected to start a private redis-server");
  let stopped = false;
  // If this process ends without stop() (an uncaught error, process.exit elsewhere), the
  // redis-server it started must not outlive it: its pid, from INFO, gets a SIGTERM.
  const probe = connectRedis(server.url);
  const pid = Number((await info(probe, "server")).process_id);
  probe.disconnect();
  process.once("exit", () => {
    if (stopped || !pid) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    url: server.url,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `INFO <section>` as a field -> value map. */
export async function info(redis: Redis, section: string): Promise<Record<string, string>> {
  const raw = await redis.info(section);
  const out: Record<string, string> = {};
  for (const line of raw.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

/** INFO memory's used_memory, in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  return Number((await info(redis, "memory")).used_memory);
}

/** Seconds of CPU (user + system) the redis-server main process has used. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const cpu = await info(redis, "cpu");
  return Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys);
}

/**
 * INFO commandstats as command -> calls. Server-side counts include the commands a Lua
 * script runs, so they are used only where no script runs (the lookup path).
 */
export async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const stats = await info(redis, "commandstats");
  const out = new Map<string, number>();
  for (const [k, v] of Object.entries(stats)) {
    const m = /calls=(\d+)/.exec(v);
    if (k.startsWith("cmdstat_") && m?.[1]) out.set(k.slice(8), Number(m[1]));
  }
  return out;
}

/** Calls per command between two commandstats snapshots (commands with none left out). */
export function callDelta(
  before: Map<string, number>,
  after: Map<string, number>,
  ignore: ReadonlySet<string> = new Set(["info"]),
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d > 0 && !ignore.has(k)) out.set(k, d);
  }
  return out;
}

/** Exact MEMORY USAGE of a key (SAMPLES 0: every element counted), 0 when it is missing. */
export async function memoryUsage(redis: Redis, key: string): Promise<number> {
  const n = (await redis.call("MEMORY", "USAGE", key, "SAMPLES", "0")) as number | null;
  return n ?? 0;
}

export async function objectEncoding(redis: Redis, key: string): Promise<string> {
  return String(await redis.call("OBJECT", "ENCODING", key));
}

/** Deletes every key under `prefix` (only ever this bench's own prefixes). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
}
