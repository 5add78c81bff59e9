import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { RedisError } from "../errors.js";
import {
  addOwner,
  alive,
  liveOwners,
  removeOwner,
  serverPid,
  serverPidFile,
  startWatchdog,
  withLock,
} from "./local-owners.js";

export interface LocalRedis {
  url: string;
  /** True when this process started it (and so stops it). */
  owned: boolean;
  /** Starts the local server again when none answers (true when it did). */
  revive(): Promise<boolean>;
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

/** The tail of redis-server's own log: its reason for exiting. */
function serverSaid(logFile: string | undefined): string {
  if (!logFile) return "";
  try {
    const lines = readFileSync(logFile, "utf8").trim().split("\n").slice(-4);
    return lines.length > 0 && lines[0] !== "" ? `: ${lines.join(" | ")}` : "";
  } catch {
    return "";
  }
}

async function waitFor(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new RedisError(
        "redis_server_exited",
        `redis-server exited with code ${child.exitCode}${serverSaid(logFile)}`,
      );
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGTERM");
  throw new RedisError(
    "redis_server_timeout",
    `redis-server did not answer on ${url} within ${timeoutMs} ms${serverSaid(logFile)}`,
  );
}

export interface LocalRedisOptions {
  /** Data folder (AOF, socket, log). */
  dir: string;
  /** Listen on this TCP port instead of a unix socket (tests use a free port). */
  port?: number;
  /** Keep data on disk with AOF (on for the laptop default, off for tests). */
  persist?: boolean;
}

/** A unix socket path may hold 107 bytes (sun_path is 108 with the NUL). */
export const MAX_SOCKET_PATH = 107;

/** One-line reasons for a data folder pyjs cannot use. */
function dataDirError(dir: string, err: NodeJS.ErrnoException): RedisError {
  const why: Record<string, string> = {
    EEXIST: "it is a file, not a folder",
    ENOTDIR: "part of the path is a file, not a folder",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOENT: "it cannot be created there",
  };
  return new RedisError(
    "data_dir",
    `PYJS_DATA_DIR ${dir}: ${why[err.code ?? ""] ?? err.message} (set PYJS_DATA_DIR to a folder you can write)`,
    err,
  );
}

/** Creates the data folder owner-only (0700) and checks it is a writable folder. */
export function prepareDataDir(dir: string): void {
  if (dir === "/proc" || dir.startsWith("/proc/") || dir === "/sys" || dir.startsWith("/sys/"))
    throw dataDirError(dir, Object.assign(new Error("x"), { code: "EPERM" }));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(dir), { code: "EEXIST" });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw dataDirError(dir, err as NodeJS.ErrnoException);
  }
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not ours to change (a shared folder): leave its mode.
  }
}

function checkSocketPath(socket: string): void {
  const bytes = Buffer.byteLength(socket);
  if (bytes > MAX_SOCKET_PATH)
    throw new RedisError(
      "data_dir",
      `PYJS_DATA_DIR is too deep for a unix socket: ${socket} is ${bytes} bytes, at most ${MAX_SOCKET_PATH} work; set a shorter PYJS_DATA_DIR`,
    );
}

function serverArgs(dir: string, persist: boolean, port: number | undefined): string[] {
  const args = [
    "--dir",
    dir,
    "--bind",
    "127.0.0.1",
    "--port",
    String(port ?? 0),
    "--save",
    "",
    "--appendonly",
    persist ? "yes" : "no",
    "--maxmemory-policy",
    "noeviction",
    "--daemonize",
    "no",
    "--logfile",
    port ? "" : join(dir, "redis.log"),
    "--loglevel",
    "warning",
  ];
  if (!port) args.push("--unixsocket", join(dir, "redis.sock"), "--unixsocketperm", "700");
  return args;
}

/**
 * Starts `redis-server` from PATH with data under `dir`, or reuses one already running
 * there (a second `pyjs` on the same laptop). Production-like settings: AOF on,
 * `maxmemory-policy noeviction`. Listens on a unix socket unless a port is given; on a
 * socket it is shared (see local-owners.ts): stopped when its last user lets go.
 */
export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  const dir = resolve(opts.dir);
  prepareDataDir(dir);
  if (opts.port) return startOnPort(dir, opts.port, opts.persist ?? true);
  const socket = resolve(dir, "redis.sock");
  checkSocketPath(socket);
  const url = `unix://${socket}`;
  const persist = opts.persist ?? true;
  const owned = await withLock(dir, async () => {
    addOwner(dir);
    return ensureServer(dir, url, persist);
  });
  return {
    url,
    owned,
    revive: () => withLock(dir, () => ensureServer(dir, url, persist)),
    stop: () => releaseServer(dir, url),
  };
}

/** Under the lock: reuse the server that answers, or start one (with its watchdog). */
async function ensureServer(dir: string, url: string, persist: boolean): Promise<boolean> {
  if (await answers(url)) return false;
  if (!hasRedisServer()) throw new RedisNotInstalledError();
  const logFile = join(dir, "redis.log");
  writeFileSync(logFile, "", { mode: 0o600 });
  // umask 077: the AOF, the log and everything redis-server writes are owner-only.
  // Detached: a Ctrl-C in one terminal must not stop the server other sessions share.
  const logFd = openSync(logFile, "a");
  const child = spawn(
    "/bin/sh",
    [
      "-c",
      'umask 077 && exec redis-server "$@"',
      "redis-server",
      ...serverArgs(dir, persist, undefined),
    ],
    { stdio: ["ignore", "ignore", logFd], detached: true },
  );
  closeSync(logFd);
  child.unref();
  // Watched from the first moment: even a kill during start-up leaves no orphan.
  writeFileSync(serverPidFile(dir), String(child.pid), { mode: 0o600 });
  startWatchdog(dir, child.pid ?? 0);
  await waitFor(url, child, 10_000, logFile);
  return true;
}

/** This process lets go; the last live owner stops the server (SIGTERM: AOF flushed). */
async function releaseServer(dir: string, url: string): Promise<void> {
  await withLock(dir, async () => {
    removeOwner(dir);
    if (liveOwners(dir).length > 0) return;
    const pid = serverPid(dir);
    if (!alive(pid)) return;
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (await answers(url))
      throw new RedisError("redis_stop", `redis-server (pid ${pid}) did not stop`);
  });
}

/** A private server on a TCP port (tests, benchmarks): this process owns and stops it. */
async function startOnPort(dir: string, port: number, persist: boolean): Promise<LocalRedis> {
  if (!hasRedisServer()) throw new RedisNotInstalledError();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn("redis-server", serverArgs(dir, persist, port), {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFor(url, child, 10_000);
  return {
    url,
    owned: true,
    revive: async () => false,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null) return ok();
        child.once("exit", () => ok());
        child.kill("SIGTERM");
      }),
  };
}
