import { describe, expect, it } from "vitest";
import { buttons, describeTrafficChecks, json, learner, questionIn, useSlack } from "./harness.js";

const h = useSlack();
const { command, click, person, posts, updates, reviews, say } = h;

describe("learner controls on Slack", () => {
  it("Undo on a result takes the rating back and asks that card again; a double click undoes once", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    const result = updates(p).at(-1);
    const undo = buttons(result?.body.blocks).find((b) => b.action_id === "pyjs_undo");
    expect(undo?.value).toBe(q.promptId);
    expect(await reviews.log(learner(p))).toHaveLength(1);
    const press = () =>
      click(p, { action_id: "pyjs_undo", value: q.promptId }, { messageTs: q.ts });
    await Promise.all([press(), press()]);
    expect(await reviews.log(learner(p))).toEqual([]);
    const undone = h.fake.responses.filter((r) => json(r.body).includes("Undone: your Good"));
    expect(undone).toHaveLength(1);
    // The card is asked again, as a new message with the same prompt.
    const again = posts(p).at(-1);
    expect(questionIn(again).promptId).toBe(q.promptId);
  });

  it("Skip and Don't ask again on a question move on to another card", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    const labels = buttons(posts(p)[0]?.body.blocks).map((b) => b.text?.text);
    expect(labels).toEqual(["Show answer", "Skip", "Don't ask again"]);
    await click(p, { action_id: "pyjs_skip", value: q.promptId }, { messageTs: q.ts });
    const next = questionIn(posts(p).at(-1));
    expect(next.promptId).not.toBe(q.promptId);
    expect(json(h.fake.responses.at(-1)?.body)).toContain("comes back tomorrow");
    await click(p, { action_id: "pyjs_suspend", value: next.promptId }, { messageTs: next.ts });
    expect(json(h.fake.responses.at(-1)?.body)).toContain("Suspended 1 card");
    const third = questionIn(posts(p).at(-1));
    expect(third.promptId).not.toBe(next.promptId);
    await say(p, "suspended");
    expect(json(posts(p).at(-1)?.body)).toContain("Suspended (1)");
    expect(await reviews.logLength(learner(p))).toBe(0);
  });

  it("the undo word in the DM, and pause 7d as a slash command", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await say(p, "no idea at all");
    expect(await reviews.logLength(learner(p))).toBe(1);
    await say(p, "undo");
    expect(await reviews.log(learner(p))).toEqual([]);
    expect(questionIn(posts(p).at(-1)).promptId).toBe(q.promptId);
    const res = await command(p, "pause 7d");
    expect(json(res.json ?? h.fake.responses.at(-1)?.body)).toContain("Enjoy the break");
  });
});

describeTrafficChecks(h);
