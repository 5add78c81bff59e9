import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runConsole } from "../../adapters/console/repl.js";
import { connectRedis } from "../../src/redis/connect.js";
import { testApp } from "../support/app.js";
import { runCli } from "../support/cli.js";
import { dropPrefix, testRedis } from "../support/redis.js";

const { redis, prefix, url } = testRedis();
const second = connectRedis(url);
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
  second.disconnect();
});

const env = (user: string) => ({
  REDIS_URL: url,
  REDIS_PREFIX: prefix,
  PYJS_USER: user,
  PYJS_FUZZ: "false",
});

/** A terminal session driven line by line (as two `pyjs start` processes would be). */
function session(conn: typeof redis, learner: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d: Buffer) => {
    text += d;
  });
  const done = runConsole({
    app: testApp(conn, prefix),
    learner,
    tz: "UTC",
    input,
    output,
    now: () => new Date("2026-04-01T10:00:00Z"),
  });
  return {
    /** Sends a line and waits for the reply (polls; no fixed sleeps). */
    async say(line: string): Promise<string> {
      const from = text.length;
      input.write(`${line}\n`);
      for (let i = 0; i < 400 && !text.slice(from).endsWith("\n"); i++) {
        await new Promise((ok) => setTimeout(ok, 25));
      }
      // A reply is written at once; give a multi-line one its last line.
      await new Promise((ok) => setImmediate(ok));
      return text.slice(from);
    },
    async end(): Promise<string> {
      input.end();
      await done;
      return text;
    },
  };
}

describe("terminal session (issue 12)", () => {
  it("item 7: a rating word after a typed answer amends it, never answers the next card", async () => {
    const r = await runCli(["start"], { input: "quiz\nnpm\neasy\nstats\n", env: env("amend") });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("Changed to Easy.");
    expect(r.stdout).not.toMatch(/Not quite — it's "pip"/);
    // One review, not two: `easy` graded nothing.
    expect(r.stdout).toContain("Reviews: 1 today");
  }, 60_000);

  it("item 8: a second session neither abandons the first's question nor leaves it silent", async () => {
    const learner = "console:twosessions";
    const a = session(redis, learner);
    const asked = await a.say("quiz");
    expect(asked).toMatch(/\[new\] .*___/);
    // Starting a second session used to clear the first one's open question.
    const b = session(second, learner);
    expect(await b.say("stats")).toContain("Reviews: 0 today");
    expect(await a.say("npm")).toMatch(/Correct!|Not quite|Almost/);
    // B shows A's next question; A answers it; B's answer is told so, with the current one.
    expect(await b.say("quiz")).toMatch(/___/);
    expect(await a.say("pip")).toMatch(/Correct!|Not quite|Almost/);
    expect(await b.say("pip")).toMatch(/answered in another session\. The current one:\n.*___/);
    // Both sessions now show the same question and answer it at once: neither is silent.
    const [ra, rb] = await Promise.all([a.say("venv"), b.say("venv")]);
    expect(ra.trim()).not.toBe("");
    expect(rb.trim()).not.toBe("");
    expect(`${ra}\n${rb}`).toContain("answered in another session");
    await a.end();
    await b.end();
  }, 60_000);

  it("items 14, 22, 23, 25: terminal wording, no deliveries promised, no control characters", async () => {
    const r = await runCli(["start"], {
      input: [
        "help",
        "",
        "show",
        "pause",
        "subscribe -1:00",
        "subscribe 09:00 UTC UTC",
        "subscribe",
        "leaderboard here",
        "a\u202eb\u009b31mc\u0085d",
        "quiz",
        "stop",
        "stats",
      ].join("\n"),
      env: env("honest"),
    });
    const out = r.stdout;
    expect(r.stderr).toBe("");
    // 23: help in terminal words, twice (the empty line), without Slack wording or backticks.
    expect(out.match(/pyjs — Python for JavaScript developers\. Commands:/g)).toHaveLength(2);
    expect(out).not.toContain("/pyjs");
    expect(out).not.toContain("in a DM");
    expect(out).not.toContain("`");
    expect(out).toContain("There is no open question to show");
    expect(out).toContain("You are not subscribed, so there is no daily quiz to pause.");
    expect(out).toContain('"-1:00" is not a time.');
    expect(out).toContain("Give one time zone only");
    // 22: no daily quiz promised where none can be delivered.
    expect(out).not.toContain("Subscribed:");
    expect(out).toContain("Daily quizzes are delivered in Slack or Discord");
    expect(out).toContain("the terminal has none");
    // 14: C1 controls and bidi overrides are not echoed.
    expect(out).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(out).toContain('I don\'t know "ab 31mc d"');
    // 25: the streak line says what makes a day count.
    expect(out).toContain("Streak: 0 days (best 0) — finish today's quiz to start one");
  }, 60_000);
});
