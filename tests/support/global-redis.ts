import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, type LocalRedis, startLocalRedis } from "../../src/redis/local-server.js";
import { clusterUnavailable, type LocalCluster, startLocalCluster } from "./local-cluster.js";
import { type LocalSentinel, startLocalSentinel } from "./local-sentinel.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    /** REDIS_CLUSTER_NODES of the suite's local 3-master cluster, "" when there is none. */
    clusterNodes: string;
    /** Why there is no cluster (redis-cli missing, or it failed to start). */
    clusterSkip: string;
    /** REDIS_SENTINELS / REDIS_SENTINEL_NAME of a Sentinel over the private server, "" when none. */
    sentinels: string;
    sentinelName: string;
    /** Why there is no Sentinel. */
    sentinelSkip: string;
  }
}

let server: LocalRedis | undefined;
let cluster: LocalCluster | undefined;
let sentinel: LocalSentinel | undefined;
let dir: string | undefined;

/**
 * Starts the test suite's own redis-server on a free port (never the machine's 6379),
 * so the tests pass on a machine with no Redis running and never touch data they did
 * not create.
 */
export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), "pyjs-test-redis-"));
  server = await startLocalRedis({ dir, port: await freePort(), persist: false });
  project.provide("redisUrl", server.url);
  await setupCluster(project, dir);
  await setupSentinel(project, dir, Number(new URL(server.url).port));
}

/** A Sentinel watching the private server (the cluster suite's third backend). */
async function setupSentinel(project: TestProject, base: string, port: number): Promise<void> {
  let skip = "";
  try {
    const sentinelDir = join(base, "sentinel");
    mkdirSync(sentinelDir);
    sentinel = await startLocalSentinel(sentinelDir, port);
  } catch (err) {
    skip = `no local Sentinel: ${(err as Error).message}`;
  }
  project.provide("sentinels", sentinel?.sentinels ?? "");
  project.provide("sentinelName", sentinel?.name ?? "");
  project.provide("sentinelSkip", skip);
}

/** The 3-master cluster the cluster suite runs on (tests/scale/cluster.test.ts). */
async function setupCluster(project: TestProject, base: string): Promise<void> {
  let skip = clusterUnavailable();
  if (!skip) {
    try {
      const clusterDir = join(base, "cluster");
      mkdirSync(clusterDir);
      cluster = await startLocalCluster(clusterDir);
    } catch (err) {
      skip = `the local cluster did not start: ${(err as Error).message}`;
    }
  }
  project.provide("clusterNodes", cluster?.nodes ?? "");
  project.provide("clusterSkip", skip ?? "");
}

export async function teardown(): Promise<void> {
  await server?.stop();
  await cluster?.stop();
  await sentinel?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
