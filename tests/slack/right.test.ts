import { describe, expect, it } from "vitest";
import type { Person } from "../fakes/slack-requests.js";
import {
  buttons,
  describeTrafficChecks,
  json,
  learner,
  questionIn,
  TEAM,
  useSlack,
} from "./harness.js";

const h = useSlack();
const { command, click, person, posts, reviews, say, teams } = h;

/** An answer the grader marks wrong for the first card (pip -> npm) that a team may accept. */
const ODD = "node package manager";

/** Starts a quiz and types `text` to the first question; returns it and its result (which replaces it). */
async function typeFirst(p: Person, text: string) {
  await command(p, "quiz");
  const q = questionIn(posts(p)[0]);
  await say(p, text);
  const result = h.updates(p).findLast((c) => c.body.ts === q.ts);
  return { q, result };
}

const actionIds = (blocks: unknown) => buttons(blocks).map((b) => b.action_id);

describe("I was right on Slack", () => {
  it("offers the button only after Again/Hard on a typed answer; one press amends to Good, once", async () => {
    const p = person();
    const { q, result } = await typeFirst(p, ODD);
    expect(json(result?.body.blocks)).toContain("Not quite");
    const right = buttons(result?.body.blocks).find((b) => b.action_id === "pyjs_right");
    expect(right?.value).toBe(q.promptId);
    expect(right?.text?.text).toBe("I was right");
    expect((await reviews.log(learner(p)))[0]?.rating).toBe(1);
    expect(await teams.points(TEAM, "all", learner(p))).toBe(1);

    const press = () =>
      click(p, { action_id: "pyjs_right", value: q.promptId }, { messageTs: q.ts });
    await Promise.all([press(), press()]);
    await press();
    const log = await reviews.log(learner(p));
    expect(log).toHaveLength(1);
    expect(log[0]?.rating).toBe(3);
    // Points follow the amended rating: Good is worth 3, not 1 + 3.
    expect(await teams.points(TEAM, "all", learner(p))).toBe(3);
    const said = posts(p).filter((c) => json(c.body).includes("Counted as right"));
    expect(said).toHaveLength(1);
    expect(json(said[0]?.body)).toContain("is proposed as an answer for this card");
    const quiet = h.fake.responses.filter((r) => json(r.body).includes("already counts as right"));
    expect(quiet).toHaveLength(2);
    const amended = h.updates(p).find((c) => json(c.body.blocks).includes("Changed to Good"));
    expect(amended).toBeDefined();
    expect(actionIds(amended?.body.blocks)).not.toContain("pyjs_right");
  });

  it("offers it after a typo (Hard) too, but not after a right answer or a self-rated Again", async () => {
    const slip = person();
    const almost = await typeFirst(slip, "nmp");
    expect(json(almost.result?.body.blocks)).toContain("counted as Hard");
    expect(actionIds(almost.result?.body.blocks)).toContain("pyjs_right");

    const typed = person();
    const { result } = await typeFirst(typed, "npm i");
    // A right answer in another form says what it matched.
    expect(json(result?.body.blocks)).toContain(
      "*Correct!* *npm* (as “npm install”; you wrote `npm i`)",
    );
    expect(actionIds(result?.body.blocks)).not.toContain("pyjs_right");

    const rated = person();
    await command(rated, "quiz");
    const q = questionIn(posts(rated)[0]);
    await click(rated, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    await click(rated, { action_id: "pyjs_rate_1", value: q.promptId }, { messageTs: q.ts });
    const shown = h.updates(rated).at(-1);
    expect(json(shown?.body.blocks)).toContain("Rated Again");
    expect(actionIds(shown?.body.blocks)).not.toContain("pyjs_right");
  });

  it("accepts the answer for the team after two learners, not for another team", async () => {
    // A team of its own: the first test's learner proposed the same answer in TEAM.
    const member = (name: string): Person => ({ ...person(name), team: "T0CREW" });
    const [a, b, c] = [member("ann"), member("bea"), member("cy")];
    const other: Person = { ...person("dee"), team: "T0OTHER" };
    const claim = async (p: Person) => {
      const { q } = await typeFirst(p, ODD);
      await click(p, { action_id: "pyjs_right", value: q.promptId }, { messageTs: q.ts });
      return posts(p)
        .map((c) => json(c.body.blocks))
        .find((t) => t.includes("Counted as right"));
    };
    expect(await claim(a)).toContain("is proposed as an answer for this card");
    expect(await claim(b)).toContain("is now accepted for this card for everyone here");

    const third = await typeFirst(c, ODD);
    expect(json(third.result?.body.blocks)).toContain("Correct!");
    expect((await reviews.log(learner(c)))[0]?.rating).toBe(3);
    const outsider = await typeFirst(other, ODD);
    expect(json(outsider.result?.body.blocks)).toContain("Not quite");
    expect((await reviews.log(learner(other)))[0]?.rating).toBe(1);
  });
});

describeTrafficChecks(h);
