import { describe, expect, it } from "vitest";
import { findMentions } from "../fakes/slack-api.js";
import { dmMessageEvent } from "../fakes/slack-requests.js";
import { bundledDeck } from "../support/app.js";
import { describeTrafficChecks, json, learner, questionIn, useSlack } from "./harness.js";

const h = useSlack();
const { command, say, person, posts, updates, reviews, prompts, clock } = h;

describe("typed answers and commands in the DM", () => {
  it("grades a typed answer, updates the question with the result and asks the next", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    const prompt = await prompts.get(learner(p), q.promptId);
    const card = bundledDeck().byId.get(prompt?.card ?? "");
    if (!card) throw new Error("no card");
    await say(p, card.answer);
    const result = updates(p).at(-1);
    expect(result?.body.ts).toBe(q.ts);
    expect(json(result?.body.blocks)).toContain("Correct!");
    expect(posts(p)).toHaveLength(2);
    const log = await reviews.log(learner(p));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ card: card.id, rating: 3 });
  });

  it("grades an answer Slack auto-linked (setup.py) as typed", async () => {
    const p = person();
    const card = bundledDeck().cards.find((c) => c.answer === "setup.py");
    if (!card) throw new Error("no setup.py card");
    await prompts.open(learner(p), card.id, clock);
    await say(p, "<http://setup.py|setup.py>");
    expect(json(posts(p)[0]?.body.blocks)).toContain("Correct!");
    expect(await reviews.log(learner(p))).toMatchObject([{ card: card.id, rating: 3 }]);
  });

  it("escapes a typed answer that tries to ping the channel", async () => {
    const p = person();
    await command(p, "quiz");
    await say(p, "<!channel> <@U999>");
    const result = updates(p).at(-1);
    expect(json(result?.body.blocks)).toContain("&lt;!channel&gt; &lt;@U999&gt;");
    expect(findMentions(result?.body)).toEqual([]);
  });

  it("a retried DM event (X-Slack-Retry-Num) records one review and posts one follow-up", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    const prompt = await prompts.get(learner(p), q.promptId);
    const answer = bundledDeck().byId.get(prompt?.card ?? "")?.answer ?? "?";
    const id = "9b2a7a3e-0000-4000-8000-000000000001";
    const first = await say(p, answer, { clientMsgId: id });
    const retry = await say(p, answer, { clientMsgId: id, retryNum: 1 });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(await reviews.logLength(learner(p))).toBe(1);
    expect(posts(p)).toHaveLength(2);
    expect(updates(p)).toHaveLength(1);
  });

  it("typed commands in the DM are answered there", async () => {
    const p = person();
    await say(p, "stats");
    expect(json(posts(p).at(-1)?.body.blocks)).toContain("Retention (30 days)");
    await say(p, "quiz");
    expect(posts(p)).toHaveLength(2);
    expect(json(posts(p).at(-1)?.body.blocks)).not.toContain("Sent to your direct messages");
    questionIn(posts(p).at(-1));
  });

  it("ignores bot messages and edits in the DM", async () => {
    const p = person();
    const bot = { ...dmMessageEvent(p, "stats"), bot_id: "B0BOT" };
    const edit = { ...dmMessageEvent(p, "stats"), subtype: "message_changed" };
    for (const e of [bot, edit]) {
      const res = await h.event(p, e);
      expect(res.status).toBe(200);
    }
    expect(posts(p)).toHaveLength(0);
  });
});

describeTrafficChecks(h);
