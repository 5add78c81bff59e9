import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import {
  type FakeUser,
  type InteractionOptions,
  type Json,
  snowflake,
  until,
} from "../fakes/discord.js";
import { customIds, data, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

/** An answer the grader marks wrong for the first card (pip -> npm) that a team may accept. */
const ODD = "node package manager";

/** Starts a quiz (in a server) and types `text` in the DM; returns the question and its edit into the result. */
async function typeFirst(user: FakeUser, text: string, opts: InteractionOptions = {}) {
  const { msg, promptId } = await h.startQuiz(user, opts);
  h.fake.dm(user, text);
  const path = `/channels/${h.fake.dmChannel(user)}/messages/${msg.id}`;
  const edit = await until(
    () => h.fake.requests.find((r) => r.method === "PATCH" && r.path === path),
    "question edited into its result",
  );
  await h.nthQuestion(user, 1);
  return { msg, promptId, result: edit.body as Json };
}

/** Presses I was right on the result; returns the interaction's callbacks and what it posted. */
async function pressRight(user: FakeUser, promptId: string, msg: Json) {
  const id = h.fake.button(user, `pyjs:right:${promptId}`, msg);
  return until(() => h.fake.callbacks(id)[0], "I was right answered");
}

const said = (user: FakeUser) =>
  h.fake
    .posted(h.fake.dmChannel(user))
    .map((b) => String(b.content ?? ""))
    .filter((t) => t.startsWith("Counted as right"));

describe("I was right on Discord", () => {
  it("offers the button only after Again/Hard on a typed answer; a press amends to Good, once", async () => {
    const ada = h.fake.user("ada");
    const { msg, promptId, result } = await typeFirst(ada, ODD);
    expect(String(result.content)).toContain("Not quite");
    expect(customIds(result)).toContain(`pyjs:right:${promptId}`);
    const id = learner.discord(ada.id);
    expect((await h.reviews.log(id))[0]?.rating).toBe(1);
    expect(await h.teams.points(h.fake.guildId, "all", id)).toBe(1);

    const first = await pressRight(ada, promptId, msg);
    expect(first.type).toBe(7);
    expect(String(data(first).content)).toContain("Changed to **Good**");
    expect(customIds(data(first))).not.toContain(`pyjs:right:${promptId}`);
    await until(() => said(ada)[0], "the claim's note");
    expect(said(ada)[0]).toContain("is proposed as an answer for this card");

    const second = await pressRight(ada, promptId, msg);
    expect(String(data(second).content)).toContain("already counts as right");
    const log = await h.reviews.log(id);
    expect(log).toHaveLength(1);
    expect(log[0]?.rating).toBe(3);
    // Points follow: Good is worth 3, not 1 + 3.
    expect(await h.teams.points(h.fake.guildId, "all", id)).toBe(3);
    expect(said(ada)).toHaveLength(1);
  });

  it("offers it after a typo (Hard), not after a right answer or a self-rated Again", async () => {
    const slip = await typeFirst(h.fake.user("bo"), "nmp");
    expect(String(slip.result.content)).toContain("Almost");
    expect(customIds(slip.result)).toContain(`pyjs:right:${slip.promptId}`);
    const right = await typeFirst(h.fake.user("cy"), "npm i");
    // A right answer in another form says what it matched.
    expect(String(right.result.content)).toContain(
      "✅ Correct! **npm** (as “npm install”; you wrote `npm i`)",
    );
    expect(customIds(right.result).some((c) => c.startsWith("pyjs:right:"))).toBe(false);

    const dee = h.fake.user("dee");
    const { msg, promptId } = await h.startQuiz(dee);
    const again = h.fake.button(dee, `pyjs:rate:1:${promptId}`, msg);
    const rated = await until(() => h.fake.callbacks(again)[0], "rated Again");
    expect(String(data(rated).content)).toContain("Rated **Again**");
    expect(customIds(data(rated)).some((c) => c.startsWith("pyjs:right:"))).toBe(false);
  });

  it("accepts the answer in a server after two learners, not in another server", async () => {
    const crew = { guildId: snowflake() };
    const [ann, bea, cat] = ["ann", "bea", "cat"].map((n) => h.fake.user(n));
    for (const [user, note] of [
      [ann, "is proposed as an answer for this card"],
      [bea, "is now accepted for this card for everyone here"],
    ] as const) {
      if (!user) throw new Error("no user");
      const { msg, promptId } = await typeFirst(user, ODD, crew);
      await pressRight(user, promptId, msg);
      await until(() => said(user)[0], "the claim's note");
      expect(said(user)[0]).toContain(note);
    }
    if (!cat) throw new Error("no user");
    const third = await typeFirst(cat, ODD, crew);
    expect(String(third.result.content)).toContain("Correct!");
    expect((await h.reviews.log(learner.discord(cat.id)))[0]?.rating).toBe(3);

    // The fake's own server has only the first test's single proposal.
    const outsider = await typeFirst(h.fake.user("eve"), ODD);
    expect(String(outsider.result.content)).toContain("Not quite");
  });
});

itNeverMentions(h);
