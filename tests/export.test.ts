import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Part, Reply } from "../src/app/reply.js";
import type { Actor } from "../src/app/types.js";
import { exportFileName, REVIEWS_CSV_HEADER, reviewsCsv } from "../src/core/export.js";
import { learner } from "../src/core/learner.js";
import { createScheduler, encodeState, Rating } from "../src/core/scheduler.js";
import { EXPORT_USAGE, parseExportArgs } from "../src/main/export.js";
import { testApp } from "./support/app.js";
import { runCli } from "./support/cli.js";
import { scriptConsole } from "./support/console.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const scheduler = createScheduler({ fuzz: false });
const t0 = new Date("2026-05-04T09:00:00Z");
const at = (min: number) => new Date(t0.getTime() + min * 60_000);

/** The CSV parsed the way @open-spaced-repetition/binding's convertCsvToFsrsItems reads it. */
function rows(csv: string): Record<string, string>[] {
  const [head, ...lines] = csv.trimEnd().split("\n");
  const names = (head ?? "").split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [names[i], v])));
}

describe("review log as FSRS optimizer CSV (pure)", () => {
  it("one row per review: ms time, rating, the state before it, duration 0; ordered by time", () => {
    const first = scheduler.review(undefined, Rating.Good, at(0));
    const second = scheduler.review(first.after, Rating.Good, at(10));
    const third = scheduler.review(second.after, Rating.Again, at(60 * 24 * 3));
    const out = reviewsCsv([
      { card: "venv-to-node-modules", review: at(1).getTime(), rating: 4, before: "" },
      {
        card: "pip-to-npm",
        review: at(60 * 24 * 3).getTime(),
        rating: 1,
        before: encodeState(second.after),
      },
      { card: "pip-to-npm", review: at(0).getTime(), rating: 3, before: "" },
      { card: "pip-to-npm", review: at(10).getTime(), rating: 3, before: encodeState(first.after) },
    ]);
    expect(third.before.state).toBe(2);
    expect(out.csv.split("\n")[0]).toBe(REVIEWS_CSV_HEADER);
    expect(out.csv).toBe(
      [
        REVIEWS_CSV_HEADER,
        "pip-to-npm,1777885200000,3,0,0",
        "venv-to-node-modules,1777885260000,4,0,0",
        "pip-to-npm,1777885800000,3,1,0",
        "pip-to-npm,1778144400000,1,2,0",
        "",
      ].join("\n"),
    );
    expect(out).toMatchObject({ reviews: 4, cards: 2 });
    expect(rows(out.csv).map((r) => Number(r.review_state))).toEqual([0, 0, 1, 2]);
  });

  it("quotes fields with commas or quotes, skips unreadable states and bad ratings", () => {
    const out = reviewsCsv([
      { card: 'a,"b"', review: 1, rating: 3, before: "" },
      { card: "x", review: 2, rating: 3, before: "not|a|state" },
      { card: "y", review: 3, rating: 0, before: "" },
      { card: "z", review: 4, rating: 2, before: "", duration: 5300 },
    ]);
    expect(out.csv).toBe(`${REVIEWS_CSV_HEADER}\n"a,""b""",1,3,0,0\nz,4,2,0,5300\n`);
    expect(reviewsCsv([]).csv).toBe(`${REVIEWS_CSV_HEADER}\n`);
  });

  it("names the file after the learner", () => {
    expect(exportFileName(learner.console("ana"))).toBe("pyjs-reviews-ana.csv");
    expect(exportFileName(learner.slack("T1", "U2"))).toBe("pyjs-reviews-U2.csv");
    expect(exportFileName(learner.discord("123"))).toBe("pyjs-reviews-123.csv");
    expect(exportFileName("weird:../../etc")).toBe("pyjs-reviews-weird-etc.csv");
  });
});

const { redis, prefix, url } = testRedis();
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

describe("export through the app", () => {
  const app = testApp(redis, prefix, { limits: { newPerDay: 3, maxReviewsPerDay: 50 } });
  const question = (parts: Part[] | undefined) => {
    const q = parts?.find((p) => p.kind === "question");
    return q?.kind === "question" ? q.question : undefined;
  };
  const fileOf = (r: Reply) => {
    const p = r.parts.find((x) => x.kind === "export");
    return p?.kind === "export" ? p.file : undefined;
  };

  it("folds amends and leaves undone reviews out, as the log readers do", async () => {
    const a: Actor = { learner: learner.console("exporter"), platform: "console", tz: "UTC" };
    expect(fileOf(await app.handleCommand(a, "export", t0))).toBeUndefined();
    const q1 = question((await app.handleCommand(a, "quiz", t0)).dm);
    if (!q1) throw new Error("no question");
    // Answered wrong (Again), then amended to Easy.
    await app.handleAction(a, { type: "answer", promptId: q1.promptId, text: "no idea" }, at(1));
    const q2 = question(
      (await app.handleAction(a, { type: "rate", promptId: q1.promptId, rating: 4 }, at(1))).dm,
    );
    const r2 = await app.handleAction(a, { type: "show", promptId: q1.promptId }, at(2));
    expect(r2.parts).toEqual([]);
    const cur = question((await app.handleCommand(a, "quiz", at(2))).dm);
    if (!cur) throw new Error("no second question");
    await app.handleAction(a, { type: "show", promptId: cur.promptId }, at(2));
    await app.handleAction(a, { type: "rate", promptId: cur.promptId, rating: 3 }, at(3));
    // The second answer is undone: it is not in the export.
    await app.handleCommand(a, "undo", at(4));
    const file = fileOf(await app.handleCommand(a, "export", at(5)));
    expect(q2).toBeUndefined();
    expect(file?.name).toBe("pyjs-reviews-exporter.csv");
    expect(file?.reviews).toBe(1);
    expect(file?.csv).toBe(`${REVIEWS_CSV_HEADER}\n${q1.cardId},${at(1).getTime()},4,0,0\n`);
  });

  it("the word takes no arguments", async () => {
    const a: Actor = { learner: learner.console("exp2"), platform: "console", tz: "UTC" };
    const r = await app.handleCommand(a, "export all", t0);
    expect(r.parts[0]).toMatchObject({ kind: "usage" });
  });
});

describe("export in the terminal and the CLI", () => {
  const app = testApp(redis, prefix, { limits: { newPerDay: 2, maxReviewsPerDay: 50 } });
  const who = learner.console("term-export");

  it("`export` writes pyjs-reviews-<learner>.csv in the current folder and says where", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pyjs-export-"));
    try {
      const out = await scriptConsole(app, ["quiz", "show", "good", "export"], who, t0, dir);
      const path = join(dir, "pyjs-reviews-term-export.csv");
      expect(out).toContain(`Wrote your review log to ${path}: 1 review(s) of 1 card(s)`);
      const csv = await readFile(path, "utf8");
      expect(csv).toMatch(
        new RegExp(`^${REVIEWS_CSV_HEADER}\n[a-z0-9-]+,${t0.getTime()},3,0,0\n$`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("`pyjs export --learner ID` prints the CSV on stdout, the count on stderr", async () => {
    const r = await runCli(["export", "--learner", who], {
      env: { REDIS_URL: url, REDIS_PREFIX: prefix },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^${REVIEWS_CSV_HEADER}\n[a-z0-9-]+,${t0.getTime()},3,0,0\n$`),
    );
    expect(r.stderr).toContain(`1 reviews of 1 cards for ${who}`);
  });

  it("`pyjs export` takes exactly `--learner <learner id>`", () => {
    expect(parseExportArgs(["--learner", who])).toEqual({ learner: who });
    expect(() => parseExportArgs(["--learner", "nobody"])).toThrow("not a learner id: nobody");
    for (const args of [[], ["--learner"], ["--learner", "--x"], ["--learner", who, "extra"]])
      expect(() => parseExportArgs(args)).toThrow(EXPORT_USAGE);
  });
});
