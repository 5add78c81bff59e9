import { describe, expect, it } from "vitest";
import { REVIEWS_CSV_HEADER } from "../../src/core/export.js";
import { seedLapsed } from "../support/leech.js";
import { buttons, dmOf, json, learner, questionIn, useSlack } from "./harness.js";

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

describe("export on Slack", () => {
  it("/pyjs export answers ephemerally and uploads the CSV into the DM; typed in the DM too", async () => {
    const p = person();
    await seedLapsed(h.redis, h.prefix, learner(p), "pip-to-npm", 0, h.clock);
    await command(p, "quiz");
    await say(p, "pip");
    const res = await command(p, "export", "C0GENERAL");
    expect(res.json?.response_type).toBe("ephemeral");
    expect(json(res.json?.blocks)).toContain("1 review* of *1 card*");
    expect(json(res.json?.blocks)).toContain(`pyjs-reviews-${p.user}.csv`);
    const up = () => [...h.fake.uploads.values()].filter((u) => u.channel === dmOf(p));
    expect(up().map((u) => u.filename)).toEqual([`pyjs-reviews-${p.user}.csv`]);
    const csv = up()[0]?.bytes?.toString("utf8") ?? "";
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe(REVIEWS_CSV_HEADER);
    expect(lines[1]).toMatch(/^pip-to-npm,\d{13},[1-4],2,0$/);
    expect(up()[0]?.completed).toBe(true);

    await say(p, "export");
    expect(up()).toHaveLength(2);
  });
});
