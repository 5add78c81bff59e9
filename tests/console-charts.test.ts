import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { calendarRows, sparkline } from "../adapters/console/activity.js";
import { parseStatsArgs, writeLearnerStatsPng } from "../src/main/stats-png.js";
import { decode } from "./charts/png.js";
import { testApp } from "./support/app.js";
import { runCli } from "./support/cli.js";
import { scriptConsole } from "./support/console.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix, url } = testRedis();
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const now = new Date("2026-04-01T10:00:00Z"); // a Wednesday

async function script(lines: string[], learner: string, at = now): Promise<string> {
  return scriptConsole(testApp(redis, prefix), lines, learner, at);
}

describe("terminal activity pictures", () => {
  it("draws a sparkline: · for none, ▁…█ relative to the busiest day", () => {
    expect(sparkline([0, 1, 2, 4, 8, 0])).toBe("·▁▂▄█·");
    expect(sparkline([0, 0])).toBe("··");
    expect(sparkline([3])).toBe("█");
  });

  it("draws 7 rows (Mon–Sun) × N weeks ending this week, blank after today", () => {
    const days = { "2026-04-01": 8, "2026-03-30": 2, "2026-03-29": 4, "2026-03-23": 6 };
    const rows = calendarRows(days, "2026-04-01", 2);
    expect(rows).toEqual(["Mon ▓░", "    ··", "Wed ·█", "    ·", "Fri ·", "    ·", "Sun ▒"]);
  });

  it("`stats` in the terminal prints the 14-day sparkline and the 26-week calendar", async () => {
    const out = await script(["quiz", "show", "good", "stats"], "console:sparks");
    expect(out).toContain("Last 14 days: ·············█ (1 reviews)");
    const rows = out.split("\n").filter((l) => /^(Mon|Wed|Fri|Sun| {3}) [·░▒▓█ ]+$/.test(l));
    expect(rows).toHaveLength(7);
    expect(rows[2]).toMatch(/^Wed ·{25}█$/);
    expect(out).not.toContain(".png");
  });
});

describe("pyjs stats --png", () => {
  it("rejects bad arguments with the usage", () => {
    expect(() => parseStatsArgs([])).toThrow(/usage: pyjs stats --png FILE --learner ID/);
    expect(() => parseStatsArgs(["--png", "x.png"])).toThrow(/usage/);
    expect(() => parseStatsArgs(["--png", "--learner", "console:a"])).toThrow(/needs a value/);
    expect(() => parseStatsArgs(["--png", "x.png", "--learner", "bob"])).toThrow(/learner id/);
    expect(() => parseStatsArgs(["--nope"])).toThrow(/unknown argument/);
    expect(parseStatsArgs(["--learner", "console:a", "--png", "x.png"])).toEqual({
      file: "x.png",
      learner: "console:a",
    });
  });

  it("writes one stacked PNG from the learner's stored data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pyjs-stats-"));
    const { keys: _k, ...stores } = await import("../src/runtime.js").then((m) =>
      m.createStores(redis, prefix),
    );
    const empty = await writeLearnerStatsPng(stores, "console:nobody", join(dir, "a.png"), now, {
      desiredRetention: 0.9,
    });
    expect([empty.width, empty.height, empty.reviews]).toEqual([800, 808, 0]);
    await script(["quiz", "show", "good"], "console:pngs");
    const file = join(dir, "b.png");
    const out = await writeLearnerStatsPng(stores, "console:pngs", file, now, {
      desiredRetention: 0.85,
    });
    expect(out.reviews).toBe(1);
    const img = decode(readFileSync(file));
    expect([img.width, img.height]).toEqual([800, 1216]); // calendar, forecast, retention
    expect(out.alt).toMatch(/1 review on 1 of 182 days/);
    expect(out.alt).toMatch(/desired retention 85%/);
  });

  it("`pyjs stats --png FILE --learner ID` runs as a command", async () => {
    // The command uses the real clock: review at the real time too.
    await script(["quiz", "show", "good"], "console:clistats", new Date());
    const file = join(mkdtempSync(join(tmpdir(), "pyjs-cli-")), "stats.png");
    const r = await runCli(["stats", "--png", file, "--learner", "console:clistats"], {
      env: { REDIS_URL: url, REDIS_PREFIX: prefix },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Wrote .*stats\.png \(800×1216, 1 reviews\): Review calendar/);
    expect(decode(readFileSync(file)).height).toBe(1216);
  }, 120_000); // a child process importing everything: slow on a loaded machine
});
