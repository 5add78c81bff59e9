import { afterAll, describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { runCli } from "../support/cli.js";
import { seedLapsed } from "../support/leech.js";
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

describe("leeches in the terminal (piped `pyjs start`)", () => {
  it("PYJS_LEECH_THRESHOLD=2: the 2nd lapse is told with the card and how to suspend it", async () => {
    await seedLapsed(redis, prefix, learner.console("cli-leech"), "pip-to-npm", 1, new Date());
    const lines = ["quiz", "no idea", "suspend pip-to-npm", "suspended"];
    const r = await runCli(["start"], {
      input: `${lines.join("\n")}\n`,
      env: {
        REDIS_URL: url,
        REDIS_PREFIX: prefix,
        PYJS_USER: "cli-leech",
        PYJS_FUZZ: "false",
        PYJS_NEW_PER_DAY: "0",
        PYJS_LEECH_THRESHOLD: "2",
      },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain("Not quite");
    expect(out).toContain("Leech: you've forgotten this card 2 times");
    expect(out).toContain("Type suspend pip-to-npm to stop asking it");
    expect(out).toContain("next reminder at 3 lapses");
    expect(out.match(/Leech:/g)).toHaveLength(1);
    expect(out).toContain("Suspended 1 card: pip-to-npm");
    expect(out).toMatch(
      /Leeches, cards forgotten 2 times or more \(1\):\n• pip-to-npm — pip: .* · 2 lapses/,
    );
  });
});
