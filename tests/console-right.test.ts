import { afterAll, describe, expect, it } from "vitest";
import { learner } from "../src/core/learner.js";
import { makeKeys } from "../src/store/keys.js";
import { ReviewStore } from "../src/store/reviews.js";
import { testApp } from "./support/app.js";
import { scriptConsole } from "./support/console.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix } = testRedis();
const reviews = new ReviewStore(redis, makeKeys(prefix));
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

const at = new Date("2026-04-01T10:00:00Z");
const app = testApp(redis, prefix);
const script = (lines: string[], who: string) => scriptConsole(app, lines, who, at);
/** An answer the grader marks wrong for the first card (pip -> npm) that a team may accept. */
const ODD = "node package manager";
const OFFER = "Were you right? Type right and it counts as Good.";

describe("I was right in the terminal (piped session)", () => {
  it("`right` after a wrong typed answer amends it to Good once; a second `right` changes nothing", async () => {
    const who = learner.console("righty");
    const out = await script(["quiz", ODD, "right", "right"], who);
    expect(out).toContain("Not quite");
    expect(out).toContain(OFFER);
    expect(out).toContain("Changed to Good.");
    expect(out.match(/Counted as right/g)).toHaveLength(1);
    expect(out).toContain(`"${ODD}" is proposed as an answer for this card`);
    expect(out).toContain("That answer already counts as right.");
    const log = await reviews.log(who);
    expect(log).toHaveLength(1);
    expect(log[0]?.rating).toBe(3);
  });

  it("offers `right` after a typo, not after a right answer or a self-rated Again", async () => {
    expect(await script(["quiz", "nmp"], learner.console("slip"))).toContain(OFFER);
    const right = await script(["quiz", "npm i", "right"], learner.console("sure"));
    // A right answer in another form says what it matched.
    expect(right).toContain('Correct! npm (as "npm install"; you wrote `npm i`)');
    expect(right).not.toContain(OFFER);
    expect(right).toContain("There is no typed answer to claim right now.");
    const rated = await script(["quiz", "show", "again", "right"], learner.console("rater"));
    expect(rated).toContain("Rated Again.");
    expect(rated).not.toContain(OFFER);
    expect(rated).toContain("There is no typed answer to claim right now.");
  });

  it("a second terminal learner's claim accepts it: a third learner's same answer is right, a Slack team's is not", async () => {
    const second = await script(["quiz", ODD, "right"], learner.console("second"));
    expect(second).toContain(`"${ODD}" is now accepted for this card for everyone here.`);
    const third = await script(["quiz", ODD], learner.console("third"));
    expect(third).toContain("Correct!");
    expect(third).not.toContain(OFFER);
    expect((await reviews.log(learner.console("third")))[0]?.rating).toBe(3);

    const slack = {
      learner: learner.slack("T0ELSE", "U0ELSE"),
      platform: "slack",
      tenant: "T0ELSE",
      tz: "UTC",
    } as const;
    const q = (await app.handleCommand(slack, "quiz", at)).dm?.find((p) => p.kind === "question");
    if (q?.kind !== "question") throw new Error("no question");
    const r = await app.handleAction(
      slack,
      { type: "answer", promptId: q.question.promptId, text: ODD },
      at,
    );
    const result = r.dm?.find((p) => p.kind === "result");
    expect(result?.kind === "result" && result.result.verdict).toBe("wrong");
  });
});
