import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testApp } from "./support/app.js";
import { runCli } from "./support/cli.js";
import { scriptConsole } from "./support/console.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix, url } = testRedis();
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

async function script(lines: string[], learner: string): Promise<string> {
  return scriptConsole(testApp(redis, prefix), lines, learner, new Date("2026-04-01T10:00:00Z"));
}

describe("terminal adapter", () => {
  it("runs a scripted session from piped input and returns at end of input", async () => {
    const out = await script(["pipx", "quiz", "show", "good", "stats"], "console:scripted");
    expect(out).toContain("pipx  ≈ npx (JS)");
    expect(out).toMatch(/\[new\] .*___/);
    expect(out).toMatch(/Answer: \S+/);
    expect(out).toMatch(/Rated Good\.\n {2}Next review in 10 minutes/);
    expect(out).toContain("Reviews: 1 today, 1 this week, 1 in total");
  });

  it("`forget me` asks first and erases only after `yes`", async () => {
    const out = await script(
      ["quiz", "good", "forget me", "no", "forget me", "yes", "stats"],
      "console:forgetful",
    );
    expect(out).toContain("Type yes to erase everything");
    expect(out.match(/Erased: /g)).toHaveLength(1);
    expect(out).toContain("Reviews: 0 today, 0 this week, 0 in total");
  });

  it("grades a typed answer and prints usage for an unknown command", async () => {
    const out = await script(
      ["quiz", "npm", "subscribe 99:99", "stop", "gunicron"],
      "console:typed",
    );
    expect(out).toMatch(/Correct!|Not quite|Almost/);
    expect(out).toContain('"99:99" is not a time');
    expect(out).toContain("Did you mean: gunicorn");
  });
});

describe("pyjs CLI", () => {
  it("`printf 'pipx\\nquiz\\nshow\\ngood\\nstats\\n' | pyjs start` answers each line and exits cleanly", async () => {
    const r = await runCli(["start"], {
      input: "pipx\nquiz\nshow\ngood\nstats\n",
      env: { REDIS_URL: url, REDIS_PREFIX: prefix, PYJS_USER: "cli-test", PYJS_FUZZ: "false" },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("pipx  ≈ npx (JS)");
    expect(r.stdout).toMatch(/\[new\] /);
    expect(r.stdout).toMatch(/Answer: /);
    expect(r.stdout).toMatch(/Rated Good\.\n {2}Next review in 10 minutes/);
    expect(r.stdout).toContain("Reviews: 1 today, 1 this week, 1 in total");
  });

  it("`pyjs lookup pipx` prints the entry and exits 0; an unknown term exits 1 with suggestions", async () => {
    const ok = await runCli(["lookup", "pipx"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("pipx  ≈ npx (JS)");
    expect(ok.stdout).toContain("Docs: https://");
    const miss = await runCli(["lookup", "pipz"]);
    expect(miss.code).toBe(1);
    expect(miss.stdout).toContain("Did you mean: pip");
  });

  it("`pyjs cards check` passes the bundled decks and fails a broken one naming file, card and field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pyjs-check-"));
    writeFileSync(
      join(dir, "team.yaml"),
      "title: Team\ncards:\n  - id: x-1\n    term: x\n    prompt: no blank\n    answer: y\n    explain: z\n    link: https://example.org\n    tags: [t]\n",
    );
    const bad = await runCli(["cards", "check", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /team\.yaml: card x-1: field prompt: must contain exactly one ___ blank/,
    );
    expect((await runCli(["cards", "check"])).stdout).toMatch(
      /^\d+ decks, \d+ concepts, \d+ cards$/m,
    );
  });

  it("fails fast listing every bad environment variable", async () => {
    const r = await runCli(["lookup", "pip"], {
      env: { PORT: "nope", PYJS_RETENTION: "2", LOG_LEVEL: "loud" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PORT/);
    expect(r.stderr).toMatch(/PYJS_RETENTION/);
    expect(r.stderr).toMatch(/LOG_LEVEL/);
  });

  it("without REDIS_URL and without redis-server on PATH, says how to get one and exits non-zero", async () => {
    const r = await runCli(["start"], {
      env: { PATH: "/nonexistent", PYJS_DATA_DIR: mkdtempSync(join(tmpdir(), "pyjs-nored-")) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no redis-server was found on PATH");
    expect(r.stderr).toContain("apt-get install redis-server");
  });
});
