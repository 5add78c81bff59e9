import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, type LocalRedis, startLocalRedis } from "../../src/redis/local-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let server: LocalRedis | undefined;
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
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
