import { describe, expect, it } from "vitest";
import { buttons, describeTrafficChecks, json, learner, questionIn, useSlack } from "./harness.js";

const h = useSlack();
const { fake, command, click, person, posts, updates, reviews } = h;

describe("the quiz's buttons", () => {
  it("sends the quiz to the DM; Show answer, then Good updates it and asks the next card", async () => {
    const p = person();
    const res = await command(p, "quiz");
    expect(res.json?.response_type).toBe("ephemeral");
    expect(json(res.json)).toContain("Sent to your direct messages");
    expect(fake.callsTo("conversations.open").some((c) => c.body.users === p.user)).toBe(true);
    expect(posts(p)).toHaveLength(1);
    const q = questionIn(posts(p)[0]);
    expect(json(posts(p)[0]?.body.blocks)).toContain("type your answer here".replace("t", "T"));

    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    expect(posts(p)).toHaveLength(1);
    const reveal = updates(p).at(-1);
    expect(reveal?.body.ts).toBe(q.ts);
    const labels = buttons(reveal?.body.blocks).map((b) => b.text?.text ?? "");
    expect(labels.map((l) => l.split(" · ")[0])).toEqual(["Again", "Hard", "Good", "Easy"]);
    expect(labels[2]).toBe("Good · in 10 minutes");
    for (const l of labels) expect(l.length).toBeLessThanOrEqual(75);
    expect(buttons(reveal?.body.blocks).map((b) => b.action_id)).toEqual([
      "pyjs_rate_1",
      "pyjs_rate_2",
      "pyjs_rate_3",
      "pyjs_rate_4",
    ]);

    await click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    const result = updates(p).at(-1);
    expect(result?.body.ts).toBe(q.ts);
    expect(json(result?.body.blocks)).toContain("Rated Good.");
    expect(json(result?.body.blocks)).toContain("Next review in 10 minutes (<!date^");
    // The four ratings (to change it) and Undo.
    expect(buttons(result?.body.blocks).map((b) => b.action_id)).toEqual([
      "pyjs_rate_1",
      "pyjs_rate_2",
      "pyjs_rate_3",
      "pyjs_rate_4",
      "pyjs_undo",
    ]);
    expect(posts(p)).toHaveLength(2);
    expect(questionIn(posts(p)[1]).promptId).not.toBe(q.promptId);
    expect(await reviews.logLength(learner(p))).toBe(1);
  });

  it("records one review and posts one follow-up for a double click", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    const press = () =>
      click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    await Promise.all([press(), press()]);
    await press();
    expect(await reviews.logLength(learner(p))).toBe(1);
    expect(posts(p)).toHaveLength(2);
    expect(fake.responses.filter((r) => json(r.body).includes("expired"))).toEqual([]);
  });

  it("lets a rating be changed afterwards without asking a new card", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    await click(p, { action_id: "pyjs_rate_2", value: q.promptId }, { messageTs: q.ts });
    const amended = updates(p).at(-1);
    expect(amended?.body.ts).toBe(q.ts);
    expect(json(amended?.body.blocks)).toContain("Changed to Hard.");
    expect(posts(p)).toHaveLength(2);
    const log = await reviews.log(learner(p));
    expect(log).toHaveLength(1);
    expect(log[0]?.rating).toBe(2);
  });
});

describe("the Erase button", () => {
  it("confirms forgetting through the button on the ephemeral answer", async () => {
    const p = person();
    const res = await click(
      p,
      { action_id: "pyjs_forget_confirm", value: "forget-me" },
      { ephemeral: true, channel: "C0GENERAL" },
    );
    const told = fake.responses.find((r) => res.responseUrl.endsWith(`/respond/${r.id}`));
    expect(told?.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
  });
});

describeTrafficChecks(h);
