import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** Issue 12, item 1: one stray rejection or exception never ends a pyjs process. */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function run(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d;
    });
    child.on("error", fail);
    child.on("close", (code) => ok({ code, out }));
  });
}

describe("the process guard", () => {
  it("logs an unhandled rejection and an uncaught exception as JSON and keeps running", async () => {
    const { code, out } = await run("tests/support/guarded-process.ts");
    expect(out).toContain("still alive");
    expect(code).toBe(0);
    const lines = out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; err?: { message?: string } });
    expect(lines.map((l) => l.err?.message)).toEqual(
      expect.arrayContaining(["nobody caught this rejection", "thrown from a timer"]),
    );
  }, 30_000);
});
