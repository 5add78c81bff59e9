import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultDataDir, loadConfig } from "../../src/config.js";
import { runCli } from "../support/cli.js";

describe("issue 12.12 and 12.24: bad settings are config errors, not surprises", () => {
  it.each([["redis://"], ["redis://256.1.1.1:99999"], ["redis://:0"]])(
    "REDIS_URL=%s is a config error",
    (url) => {
      expect(() => loadConfig({ REDIS_URL: url })).toThrow("REDIS_URL: must name a host");
    },
  );

  it("`pyjs start` lists both problems and exits 2 without a stack", {
    timeout: 90_000,
  }, async () => {
    const r = await runCli(["start"], { env: { REDIS_URL: "redis://", PYJS_TZ: "Mars/Phobos" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("REDIS_URL: must name a host");
    expect(r.stderr).toContain("PYJS_TZ: not an IANA time zone");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("good URLs and zones still pass", () => {
    const c = loadConfig({
      REDIS_URL: "rediss://u:p@redis.example:6380/2",
      PYJS_TZ: "Asia/Kolkata",
    });
    expect(c.PYJS_TZ).toBe("Asia/Kolkata");
    expect(loadConfig({ REDIS_URL: "unix:///tmp/r.sock" }).REDIS_URL).toBe("unix:///tmp/r.sock");
  });

  it("the default data folder is anchored at the project root, not the current subfolder", () => {
    const root = mkdtempSync(join(tmpdir(), "pyjs-root-"));
    writeFileSync(join(root, "package.json"), "{}");
    const sub = join(root, "src", "deep");
    mkdirSync(sub, { recursive: true });
    expect(defaultDataDir(sub)).toBe(join(root, ".data"));
  });
});
