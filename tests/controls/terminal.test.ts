import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { dropPrefix, testRedis } from "../support/redis.js";

const { redis, prefix, url } = testRedis();
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe("learner controls in the terminal (piped `pyjs start`)", () => {
  it("undo, skip, suspend, suspended, unsuspend and pause 7d as typed words", async () => {
    const lines = [
      "quiz",
      "show",
      "good",
      "undo",
      "skip",
      "suspend venv",
      "suspended",
      "unsuspend venv",
      "pause 7d",
      "pause until 2020-01-01",
      "stats",
    ];
    const r = await runCli(["start"], {
      input: `${lines.join("\n")}\n`,
      env: { REDIS_URL: url, REDIS_PREFIX: prefix, PYJS_USER: "cli-controls", PYJS_FUZZ: "false" },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain("Rated Good.");
    expect(out).toContain("Undone: your Good on “pip”");
    expect(out).toContain("Skipped “pip”: it comes back tomorrow.");
    expect(out).toMatch(/Suspended \d+ cards?: venv-to-node-modules/);
    expect(out).toMatch(/Suspended \(\d+\):\n• venv-to-node-modules — venv/);
    expect(out).toContain("Back in your reviews: venv-to-node-modules");
    expect(out).toContain("Enjoy the break!");
    expect(out).toContain("That date has passed.");
    expect(out).toContain("Reviews: 0 today, 0 this week, 0 in total");
  }, 60_000);
});
