import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/redis/local-server.js";
import { runCli } from "../support/cli.js";

// A redis-server of this test's own that refuses every write (maxmemory 1, noeviction):
// what a full disk (MISCONF) or a full Redis (OOM / EXECABORT) looks like to pyjs.
// The suite's shared Redis is never reconfigured.
let server: ChildProcess | undefined;
let url = "";

beforeAll(async () => {
  const port = await freePort();
  server = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxmemory",
      "1",
      "--maxmemory-policy",
      "noeviction",
    ],
    { stdio: "ignore" },
  );
  url = `redis://127.0.0.1:${port}`;
  // Poll until it answers.
  for (let i = 0; i < 200; i++) {
    const ping = await runPing(port);
    if (ping) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error("test redis-server did not start");
});

afterAll(() => {
  server?.kill("SIGTERM");
});

async function runPing(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((ok) => {
    const s = connect(port, "127.0.0.1", () => {
      s.end();
      ok(true);
    });
    s.on("error", () => ok(false));
  });
}

describe("a Redis that refuses writes (full disk, maxmemory)", () => {
  it("the terminal says couldn't save that and the session goes on", async () => {
    const r = await runCli(["start"], {
      input: "quiz\nstats\npipx\n",
      env: { REDIS_URL: url, REDIS_PREFIX: "oom:", PYJS_USER: "oom-test" },
    });
    expect(r.stdout).toContain("Couldn't save that — try again");
    // The session is alive after the failed line: the next lines are answered.
    expect(r.stdout).toContain("Reviews: 0 today");
    expect(r.stdout).toContain("pipx  ≈ npx (JS)");
    expect(r.stderr).not.toContain("ReplyError");
    expect(r.code).toBe(0);
  }, 60_000);
});
