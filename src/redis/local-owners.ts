import { spawn } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/**
 * Who uses the local redis-server under a data folder. Every `pyjs` process using it
 * has a file `owners/{pid}`; the server stops when the last live owner lets go (or
 * dies: the watchdog notices). Starting, reusing and stopping happen under `redis.lock`
 * (created with O_EXCL), so two processes never start two servers on one folder, and
 * none stops a server another one has just started using.
 */

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readPid(file: string): number {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return 0;
  }
}

/** Takes `redis.lock` in `dir` (a lock left by a dead process is taken over). */
function tryLock(file: string): boolean {
  try {
    const fd = openSync(file, "wx", 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const holder = readPid(file);
    // An empty file may be a lock being written right now: only a dead pid is stale.
    if (holder > 0 && !alive(holder)) rmSync(file, { force: true });
    return false;
  }
}

/** Runs `fn` holding the data folder's lock; waits (up to `waitMs`) for another holder. */
export async function withLock<T>(dir: string, fn: () => Promise<T>, waitMs = 30_000): Promise<T> {
  const file = join(dir, "redis.lock");
  const deadline = Date.now() + waitMs;
  while (!tryLock(file)) {
    if (Date.now() > deadline)
      throw new Error(`${file} is held by pid ${readPid(file)}: remove it if that is not pyjs`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

const ownersDir = (dir: string) => join(dir, "owners");

export function addOwner(dir: string, pid = process.pid): void {
  mkdirSync(ownersDir(dir), { recursive: true, mode: 0o700 });
  closeSync(openSync(join(ownersDir(dir), String(pid)), "w", 0o600));
}

export function removeOwner(dir: string, pid = process.pid): void {
  rmSync(join(ownersDir(dir), String(pid)), { force: true });
}

/** The owners still alive; the files of dead ones are removed. */
export function liveOwners(dir: string): number[] {
  let names: string[] = [];
  try {
    names = readdirSync(ownersDir(dir));
  } catch {
    return [];
  }
  return names.map(Number).filter((pid) => {
    if (alive(pid)) return true;
    rmSync(join(ownersDir(dir), String(pid)), { force: true });
    return false;
  });
}

/** The local server's pid, as recorded when it was started. */
export const serverPidFile = (dir: string) => join(dir, "redis.pid");
export const serverPid = (dir: string) => readPid(serverPidFile(dir));

/**
 * A tiny detached process that stops the redis-server once no owner is alive (the app
 * was SIGKILLed, crashed, or its last session ended without stopping it), and exits
 * itself when the server is gone. Plain Node, no imports: it must outlive the app.
 */
const WATCHDOG = `
const fs = require("node:fs"), path = require("node:path");
const [dir, pidText] = process.argv.slice(1);
const redisPid = Number(pidText);
const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === "EPERM"; } };
const owners = () => { try { return fs.readdirSync(path.join(dir, "owners")).map(Number).filter(alive); } catch { return []; } };
const lock = path.join(dir, "redis.lock");
setInterval(() => {
  if (!alive(redisPid)) process.exit(0);
  if (owners().length > 0) return;
  let fd;
  try { fd = fs.openSync(lock, "wx"); } catch {
    let holder = 0;
    try { holder = Number(fs.readFileSync(lock, "utf8")); } catch {}
    if (holder > 0 && !alive(holder)) fs.rmSync(lock, { force: true }); // its holder died
    return;
  }
  try {
    fs.writeSync(fd, String(process.pid)); fs.closeSync(fd);
    if (owners().length === 0) process.kill(redisPid, "SIGTERM");
  } finally { fs.rmSync(lock, { force: true }); }
}, 1000);
`;

export function startWatchdog(dir: string, redisPid: number): void {
  const child = spawn(process.execPath, ["-e", WATCHDOG, dir, String(redisPid)], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
}
