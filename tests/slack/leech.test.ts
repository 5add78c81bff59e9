import { describe, expect, it } from "vitest";
import { seedLapsed } from "../support/leech.js";
import { buttons, json, learner, questionIn, useSlack } from "./harness.js";

const h = useSlack({ limits: { newPerDay: 0, maxReviewsPerDay: 50 } });
const { command, click, person, posts, say } = h;

describe("leeches on Slack", () => {
  it("the 8th lapse posts the card with Don't ask again, once; the button suspends it", async () => {
    const p = person();
    await seedLapsed(h.redis, h.prefix, learner(p), "pip-to-npm", 7, h.clock);
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await say(p, "no idea", { clientMsgId: "m-leech-1" });
    const notes = () =>
      posts(p).filter((c) => json(c.body).includes("forgotten this card 8 times"));
    expect(notes()).toHaveLength(1);
    const note = notes()[0];
    expect(json(note?.body)).toContain("Card pip-to-npm is a leech");
    expect(json(note?.body)).toContain("next reminder at 12 lapses");
    const dont = buttons(note?.body.blocks).find((b) => b.action_id === "pyjs_suspend");
    expect(dont?.value).toBe(q.promptId);
    // Slack redelivers the message: no second review, no second note.
    await say(p, "no idea", { clientMsgId: "m-leech-1", retryNum: 1 });
    expect(notes()).toHaveLength(1);
    expect(await h.reviews.logLength(learner(p))).toBe(1);

    await click(p, { action_id: "pyjs_suspend", value: q.promptId }, { messageTs: q.ts });
    expect(json(h.fake.responses.at(-1)?.body)).toContain("Suspended 1 card: pip-to-npm");
    await say(p, "suspended");
    const list = json(posts(p).at(-1)?.body);
    expect(list).toContain("Suspended (1)");
    expect(list).toContain("8 lapses");
  });
});
