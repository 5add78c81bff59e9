import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/app/types.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { startProcess } from "../../src/main/process.js";
import { freePort } from "../../src/redis/local-server.js";
import { runCli } from "../support/cli.js";
import { waitFor } from "../support/messenger.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LONG = { timeout: 180_000 };

async function status(port: number, path: string): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
  } catch {
    return 0;
  }
}

describe("issue 12.3 and 12.17: an unreachable Redis at start", () => {
  it("the terminal fails fast with 'cannot reach Redis at …'", LONG, async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const r = await runCli(["start"], { env: { REDIS_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach Redis at ${url}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it(
    "a bot process starts degraded: lookups work, /healthz 503, few JSON log lines",
    LONG,
    async () => {
      const [redisPort, httpPort] = [await freePort(), await freePort()];
      const child = spawn(process.execPath, ["--import", "tsx", "src/main/cli.ts", "worker"], {
        cwd: ROOT,
        env: {
          ...process.env,
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          PORT: String(httpPort),
          LOG_LEVEL: "info",
          NODE_ENV: "production",
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr?.on("data", (d: Buffer) => {
        stderr += d;
      });
      const exited = new Promise<number | null>((ok) => child.on("exit", (c) => ok(c)));
      await waitFor(
        async () => (await status(httpPort, "/healthz")) === 503,
        "healthz 503",
        90_000,
      );
      // Ten seconds of outage: a handful of lines, every one JSON.
      await new Promise((r) => setTimeout(r, 10_000));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const lines = stderr.trim().split("\n");
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
      expect(lines.length).toBeLessThan(15);
      expect(stderr).toContain("starting degraded");
      expect(stderr).toContain("no platform tokens");
    },
  );

  it("lookups answer in a degraded process", LONG, async () => {
    const env = loadConfig({
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      PORT: "0",
      PYJS_WORKERS: "false",
    });
    const running = await startProcess(env, createLogger("silent", { pretty: false }), {
      workers: false,
      receive: true,
    });
    const me: Actor = { learner: "console:deg", platform: "console" };
    const reply = await running.rt.app.handleCommand(me, "pip");
    expect(JSON.stringify(reply)).toContain("npm");
    expect(await status(running.http?.port ?? 0, "/healthz")).toBe(503);
    await running.stop();
  });
});

describe("issue 12.19: PORT in use", () => {
  it("is a one-line config error", LONG, async () => {
    const busy = createServer();
    const port = await new Promise<number>((ok) =>
      busy.listen(0, "0.0.0.0", () => ok((busy.address() as { port: number }).port)),
    );
    const r = await runCli(["worker"], {
      env: { PORT: String(port), REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
    });
    busy.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`PORT: ${port} is already in use`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
