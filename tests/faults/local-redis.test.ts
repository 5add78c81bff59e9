import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { waitFor } from "../support/messenger.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LONG = { timeout: 180_000 };

/** pids of the redis-servers serving `dir` (from ps: its socket path is in the title). */
function serversOf(dir: string): number[] {
  const ps = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return ps
    .split("\n")
    .filter((l) => l.includes("redis-server") && l.includes(`${dir}/redis.sock`))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

function owners(dir: string): string[] {
  return existsSync(join(dir, "owners")) ? readdirSync(join(dir, "owners")) : [];
}

async function pings(dir: string): Promise<boolean> {
  const r = new Redis({
    path: join(dir, "redis.sock"),
    lazyConnect: true,
    retryStrategy: () => null,
  });
  r.on("error", () => {});
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** A terminal session kept open (stdin not ended) until `end()`. */
function session(dir: string): {
  child: ChildProcess;
  exited: Promise<number | null>;
  end(): void;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main/cli.ts", "start"], {
    cwd: ROOT,
    env: { ...process.env, PYJS_DATA_DIR: dir, LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["pipe", "ignore", "ignore"],
  });
  const exited = new Promise<number | null>((ok) => child.on("exit", (code) => ok(code)));
  return { child, exited, end: () => child.stdin?.end() };
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `pyjs-${name}-`));
const gone = (dir: string) =>
  waitFor(async () => serversOf(dir).length === 0, "redis stopped", 30_000);

describe("issue 12.2: a bad deck fails start-up fast, starting nothing", () => {
  it(
    "CARDS_DIR=/nonexistent and a duplicate id exit non-zero with the problems",
    LONG,
    async () => {
      const dup = tmp("dup");
      copyFileSync(join(ROOT, "cards/async.yaml"), join(dup, "a.yaml"));
      copyFileSync(join(ROOT, "cards/async.yaml"), join(dup, "b.yaml"));
      const [dataA, dataB] = [tmp("data"), tmp("data")];
      const [missing, duplicate] = await Promise.all([
        runCli(["start"], { env: { CARDS_DIR: "/nonexistent", PYJS_DATA_DIR: dataA } }),
        runCli(["start"], { env: { CARDS_DIR: dup, PYJS_DATA_DIR: dataB } }),
      ]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("/nonexistent");
      expect(duplicate.code).not.toBe(0);
      expect(duplicate.stderr).toMatch(/duplicate/i);
      expect(duplicate.stderr).toContain("asyncio-run-starts-the-loop");
      for (const r of [missing, duplicate]) expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(serversOf(dataA)).toEqual([]);
      expect(serversOf(dataB)).toEqual([]);
    },
  );
});

describe("issue 12.5: the local Redis is never orphaned", () => {
  it(
    "`yes pip | head -2000 | pyjs start | head -1` exits quietly and stops redis",
    LONG,
    async () => {
      const dir = tmp("epipe");
      const out = execFileSync(
        "bash",
        [
          "-c",
          `yes pip | head -2000 | "${process.execPath}" --import tsx src/main/cli.ts start 2>"${dir}.err" | head -1; echo "rc=\${PIPESTATUS[2]}"`,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, PYJS_DATA_DIR: dir, NODE_ENV: "production" },
          encoding: "utf8",
        },
      );
      expect(out).toContain("pip");
      expect(out).toContain("rc=0");
      expect(readFileSync(`${dir}.err`, "utf8")).not.toMatch(/EPIPE|\n\s+at /);
      await gone(dir);
    },
  );

  it("SIGKILL of the app: the watchdog stops its redis-server", LONG, async () => {
    const dir = tmp("kill");
    const s = session(dir);
    await waitFor(
      async () => serversOf(dir).length === 1 && owners(dir).length === 1,
      "started",
      60_000,
    );
    s.child.kill("SIGKILL");
    await s.exited;
    await gone(dir);
  });
});

describe("issue 12.9 and 12.15: one shared, owner-only local Redis", () => {
  it(
    "two sessions share one server; the first to exit leaves it; a vanished one is restarted",
    LONG,
    async () => {
      const dir = tmp("shared");
      // Two first starts at the same instant: one server.
      const a = session(dir);
      const b = session(dir);
      await waitFor(async () => owners(dir).length === 2 && (await pings(dir)), "both up", 90_000);
      expect(serversOf(dir)).toHaveLength(1);
      // Owner-only data (12.15).
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const aof = join(dir, "appendonlydir");
      for (const f of readdirSync(aof)) expect(statSync(join(aof, f)).mode & 0o777).toBe(0o600);
      // B leaves: the server stays for A.
      b.end();
      expect(await b.exited).toBe(0);
      expect(await pings(dir)).toBe(true);
      // Someone stops the server under A: A starts it again.
      const first = serversOf(dir)[0] ?? 0;
      process.kill(first, "SIGTERM");
      await waitFor(
        async () => serversOf(dir).some((p) => p !== first) && (await pings(dir)),
        "restarted",
        60_000,
      );
      // A leaves last: the server stops.
      a.end();
      expect(await a.exited).toBe(0);
      await gone(dir);
    },
  );
});

describe("issue 12.19: unusable data folders are one-line reasons", () => {
  it("a file, /proc/x and a too-deep socket path", LONG, async () => {
    const file = join(tmp("file"), "f");
    execFileSync("touch", [file]);
    const deep = join(tmp("deep"), "d".repeat(90));
    const [asFile, proc, long] = await Promise.all(
      [file, "/proc/x", deep].map((d) => runCli(["start"], { env: { PYJS_DATA_DIR: d } })),
    );
    expect(asFile?.stderr).toContain(`PYJS_DATA_DIR ${file}: it is a file`);
    expect(proc?.stderr).toContain("PYJS_DATA_DIR /proc/x");
    expect(long?.stderr).toContain("too deep for a unix socket");
    for (const r of [asFile, proc, long]) {
      expect(r?.code).toBe(1);
      expect(r?.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
