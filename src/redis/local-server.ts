import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { Redis } from "ioredis";
import { RedisError } from "../errors.js";

export interface LocalRedis {
  url: string;
  /** True when this process started it (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends RedisError {
  constructor() {
    super(
      "redis_not_installed",
      [
        "REDIS_URL is not set and no redis-server was found on PATH.",
        "Either point REDIS_URL at a Redis (e.g. REDIS_URL=redis://127.0.0.1:6379),",
        "or install Redis: `sudo apt-get install redis-server` (Debian/Ubuntu),",
        "`brew install redis` (macOS), or `docker run -p 6379:6379 redis:7`.",
      ].join("\n"),
    );
  }
}

export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const client = url.startsWith("unix://")
    ? new Redis({
        path: url.slice(7),
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      })
    : new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on ${url} within ${timeoutMs} ms`);
}

export interface LocalRedisOptions {
  /** Data folder (AOF, socket, log). */
  dir: string;
  /** Listen on this TCP port instead of a unix socket (tests use a free port). */
  port?: number;
  /** Keep data on disk with AOF (on for the laptop default, off for tests). */
  persist?: boolean;
}

/**
 * Starts `redis-server` from PATH with data under `dir`, or reuses one already running
 * there (a second `pyjs` on the same laptop). Production-like settings: AOF on,
 * `maxmemory-policy noeviction`. Listens on a unix socket unless a port is given.
 */
export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const socket = resolve(dir, "redis.sock");
  const url = opts.port ? `redis://127.0.0.1:${opts.port}` : `unix://${socket}`;
  if (!opts.port && existsSync(socket) && (await answers(url))) {
    return { url, owned: false, stop: async () => {} };
  }
  if (!hasRedisServer()) throw new RedisNotInstalledError();
  const persist = opts.persist ?? true;
  const args = [
    "--dir",
    dir,
    "--bind",
    "127.0.0.1",
    "--port",
    String(opts.port ?? 0),
    "--save",
    "",
    "--appendonly",
    persist ? "yes" : "no",
    "--maxmemory-policy",
    "noeviction",
    "--daemonize",
    "no",
    "--logfile",
    "",
    "--loglevel",
    "warning",
  ];
  if (!opts.port) args.push("--unixsocket", socket, "--unixsocketperm", "700");
  const child = spawn("redis-server", args, { stdio: ["ignore", "ignore", "inherit"] });
  await waitFor(url, child, 10_000);
  return {
    url,
    owned: true,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}
