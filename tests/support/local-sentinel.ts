import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../../src/redis/local-server.js";

/**
 * A local Redis Sentinel for the test suite: `redis-server <conf> --sentinel` watching
 * the suite's private redis-server as primary `name` (quorum 1). Nothing is persisted
 * but the config file Sentinel rewrites in `dir`; `stop()` kills it.
 */
export interface LocalSentinel {
  /** `host:port`, the form of REDIS_SENTINELS. */
  sentinels: string;
  name: string;
  stop(): Promise<void>;
}

const NAME = "pyjstest";

async function knowsPrimary(port: number, primaryPort: number): Promise<boolean> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on("error", () => {});
  try {
    await r.connect();
    const addr = (await r.call("SENTINEL", "get-master-addr-by-name", NAME)) as string[] | null;
    return addr?.[1] === String(primaryPort);
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export async function startLocalSentinel(dir: string, primaryPort: number): Promise<LocalSentinel> {
  const port = await freePort();
  const conf = join(dir, "sentinel.conf");
  writeFileSync(
    conf,
    [
      `port ${port}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `sentinel monitor ${NAME} 127.0.0.1 ${primaryPort} 1`,
      `sentinel down-after-milliseconds ${NAME} 60000`,
      "",
    ].join("\n"),
  );
  const proc: ChildProcess = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
  const stop = async () => {
    proc.kill("SIGKILL");
  };
  const deadline = Date.now() + 15_000;
  while (!(await knowsPrimary(port, primaryPort))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server --sentinel did not come up on ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { sentinels: `127.0.0.1:${port}`, name: NAME, stop };
}
