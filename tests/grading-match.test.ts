import { describe, expect, it } from "vitest";
import { renderPart as consolePart } from "../adapters/console/render.js";
import { renderPart as discordPart } from "../adapters/discord/render.js";
import { renderPart as slackPart } from "../adapters/slack/blocks.js";
import type { Part, Result } from "../src/app/reply.js";
import { gradeAnswer, MATCH_TYPED_MAX } from "../src/core/grading.js";
import { findMentions } from "./fakes/slack-api.js";

const card = { answer: "npm", accept: ["npm install", "npm cli"], term: "pip", js: "npm" };

describe("the grader says what it matched", () => {
  it("the answer itself, without the typed text when only case, spacing or quoting differ", () => {
    for (const typed of ["npm", "NPM", "  npm ", "`npm`", '"npm".'])
      expect(gradeAnswer(card, typed).match, typed).toEqual({ answer: "npm" });
  });

  it("the typed text when it was written differently", () => {
    expect(gradeAnswer(card, "I think it's npm").match).toEqual({
      answer: "npm",
      typed: "I think it's npm",
    });
    expect(gradeAnswer(card, "npm   install").match).toEqual({ answer: "npm install" });
  });

  it("the accepted form a folded spelling matched", () => {
    const g = gradeAnswer(card, "npm i");
    expect(g.verdict).toBe("correct");
    expect(g.match).toEqual({ answer: "npm install", typed: "npm i" });
  });

  it("the answer a typo was taken for; nothing for a wrong answer", () => {
    expect(gradeAnswer(card, "nmp")).toMatchObject({
      verdict: "typo",
      match: { answer: "npm", typed: "nmp" },
    });
    expect(gradeAnswer(card, "yarn").match).toBeUndefined();
    expect(gradeAnswer(card, "npm or npx").match).toBeUndefined();
  });

  it("bounds the typed text it carries back", () => {
    const typed = `well, after a lot of thought I am fairly sure it is npm ${"really ".repeat(20)}`;
    const g = gradeAnswer(card, typed);
    expect(g.verdict).toBe("correct");
    expect(g.match?.typed?.length).toBe(MATCH_TYPED_MAX);
    expect(g.match?.typed?.endsWith("…")).toBe(true);
  });
});

const HOSTILE = "<!channel> @everyone `x` & <@U1> npm";
const result = (match: Result["match"], given = match?.typed ?? "npm"): Part => ({
  kind: "result",
  result: {
    promptId: "abcdefghijkl",
    question: {
      promptId: "abcdefghijkl",
      cardId: "pip-to-npm",
      term: "pip",
      prompt: "pip is the Python equivalent of ___.",
      isNew: false,
      remaining: 1,
    },
    answer: { answer: "npm", accept: ["npm install"], explain: "x", link: "https://pip.pypa.io/" },
    verdict: "correct",
    given,
    match,
    rating: "Good",
    nextIn: "in 3 days",
    nextDue: new Date("2026-06-04T09:00:00Z"),
    amendable: true,
  },
});
const folded = result({ answer: "npm install", typed: "npm i" });
const hostile = result({ answer: "npm", typed: HOSTILE });
const plain = result({ answer: "npm" });
const team = result({ answer: "node package manager", byTeam: true }, "node package manager");

describe("each platform shows the match", () => {
  it("Slack: mrkdwn with the learner's text escaped inside a code span", () => {
    const text = (p: Part) => JSON.stringify(slackPart(p, { tz: "UTC" }));
    expect(text(folded)).toContain("*Correct!* *npm* (as “npm install”; you wrote `npm i`)");
    expect(text(hostile)).toContain(
      "you wrote `&lt;!channel&gt; @everyone ˋxˋ &amp; &lt;@U1&gt; npm`",
    );
    expect(findMentions(slackPart(hostile, { tz: "UTC" }))).toEqual([]);
    expect(text(plain)).toContain("*Correct!* *npm*\\n");
    expect(text(team)).toContain("*Correct!* *npm* (accepted by your team)");
  });

  it("Discord: markdown with mentions defused and backticks kept out of the code span", () => {
    const content = (p: Part) => String(discordPart(p).content);
    expect(content(folded)).toContain("✅ Correct! **npm** (as “npm install”; you wrote `npm i`)");
    const shown = content(hostile);
    expect(shown).toContain("you wrote `<!channel> @\u200beveryone ˋxˋ & <\u200b@U1> npm`");
    expect(shown).not.toMatch(/@everyone|<@U1>/);
    expect(content(plain)).toMatch(/✅ Correct!\n|✅ Correct!$/);
    expect(content(team)).toContain("✅ Correct! **npm** (accepted by your team)");
  });

  it("terminal: plain text", () => {
    expect(consolePart(folded)).toContain('Correct! npm (as "npm install"; you wrote `npm i`)');
    expect(consolePart(plain).split("\n")[0]).toBe("Correct!");
    expect(consolePart(team)).toContain("Correct! npm (accepted by your team)");
  });
});
