import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";

/**
 * A local 3-master Redis Cluster for the test suite: three `redis-server
 * --cluster-enabled yes` in a temp folder, joined with `redis-cli --cluster create`.
 * Nothing is persisted; `stop()` kills the three servers.
 */
export interface LocalCluster {
  /** `host:port,host:port,host:port`, the form of REDIS_CLUSTER_NODES. */
  nodes: string;
  stop(): Promise<void>;
}

/** Why no cluster can be started here (a missing binary), or undefined when one can. */
export function clusterUnavailable(): string | undefined {
  for (const bin of ["redis-server", "redis-cli"]) {
    if (spawnSync(bin, ["--version"], { stdio: "ignore" }).status !== 0)
      return `${bin} not found on PATH (Debian: apt-get install redis-server redis-tools)`;
  }
  return undefined;
}

/** A port that is free, and whose cluster bus port (+10000) is free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once("error", () => ok(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => ok(true)));
  });
}

async function waitFor(probe: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`local cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startNode(dir: string, port: number): ChildProcess {
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--cluster-enabled",
    "yes",
    "--cluster-config-file",
    join(dir, `nodes-${port}.conf`),
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
  ];
  return spawn("redis-server", args, { stdio: "ignore" });
}

async function clusterOk(port: number): Promise<boolean> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on("error", () => {});
  try {
    await r.connect();
    return /cluster_state:ok/.test((await r.cluster("INFO")) as string);
  } finally {
    r.disconnect();
  }
}

export async function startLocalCluster(dir: string): Promise<LocalCluster> {
  const ports = [await clusterPort(), await clusterPort(), await clusterPort()];
  const procs = ports.map((p) => startNode(dir, p));
  const stop = async () => {
    for (const p of procs) p.kill("SIGKILL");
  };
  try {
    const hosts = ports.map((p) => `127.0.0.1:${p}`);
    for (const p of ports) {
      await waitFor(async () => {
        const r = new Redis({ port: p, lazyConnect: true, maxRetriesPerRequest: 0 });
        r.on("error", () => {});
        try {
          await r.connect();
          return (await r.ping()) === "PONG";
        } finally {
          r.disconnect();
        }
      }, `redis-server on ${p}`);
    }
    const create = spawnSync(
      "redis-cli",
      ["--cluster", "create", ...hosts, "--cluster-replicas", "0", "--cluster-yes"],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create: ${create.stdout}`);
    for (const p of ports) await waitFor(() => clusterOk(p), `cluster_state:ok on ${p}`);
    return { nodes: hosts.join(","), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
