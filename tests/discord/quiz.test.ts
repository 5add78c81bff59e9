import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { type Json, until } from "../fakes/discord.js";
import { customIds, data, embeds, labels, sentBodies, useDiscord } from "./harness.js";

const h = useDiscord();

describe("the DM quiz", () => {
  it("quiz -> DM -> Show answer -> Good -> the message shows the result and the next card arrives", async () => {
    const frank = h.fake.user("frank");
    const { interaction, msg, promptId } = await h.startQuiz(frank);
    expect(h.fake.callbacks(interaction)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    const ack = await until(() => h.fake.originalEdit(interaction), "quiz acknowledgement");
    expect(ack.content).toBe("📬 Sent to your direct messages.");
    expect(String(msg.content)).toContain("New card");
    expect(labels(msg)).toEqual(["Answer", "Show answer", "Skip", "Don't ask again"]);
    expect(customIds(msg)).toEqual([
      `pyjs:answer:${promptId}`,
      `pyjs:show:${promptId}`,
      `pyjs:skip:${promptId}`,
      `pyjs:suspend:${promptId}`,
    ]);
    // The question's place is remembered for typed answers.
    expect(
      await h.app.promptRef({ learner: learner.discord(frank.id), platform: "discord" }, promptId),
    ).toBe(`${h.fake.dmChannel(frank)}:${msg.id}`);

    const show = h.fake.button(frank, `pyjs:show:${promptId}`, msg);
    const reveal = await until(() => h.fake.callbacks(show)[0], "reveal");
    expect(reveal.type).toBe(7);
    expect(String(embeds(data(reveal))[0]?.description)).toContain("Answer: **");
    const rateLabels = labels(data(reveal));
    expect(rateLabels.map((l) => l.split(" · ")[0])).toEqual(["Again", "Hard", "Good", "Easy"]);
    expect(rateLabels[2]).toMatch(/^Good · in \d+ minutes$/);

    const good = h.fake.button(frank, `pyjs:rate:3:${promptId}`, msg);
    const result = await until(() => h.fake.callbacks(good)[0], "result");
    expect(result.type).toBe(7);
    expect(String(data(result).content)).toContain("Rated **Good**.");
    expect(String(embeds(data(result))[0]?.description)).toMatch(/Next review <t:\d+:R>/);
    // The four buttons stay, the applied one ticked, so the rating can be changed; and Undo.
    expect(labels(data(result))).toEqual(["Again", "Hard", "✓ Good", "Easy", "Undo"]);

    const next = await h.nthQuestion(frank, 1);
    expect(next.promptId).not.toBe(promptId);
    await until(
      async () => ((await h.metrics.promptsSent.get()).values[0]?.value ?? 0) >= 2,
      "questions counted",
    );
    expect(await h.reviews.log(learner.discord(frank.id))).toHaveLength(1);

    // Changing the rating afterwards amends the review; it is not a second one.
    const easy = h.fake.button(frank, `pyjs:rate:4:${promptId}`, msg);
    const amended = await until(() => h.fake.callbacks(easy)[0], "amended result");
    expect(amended.type).toBe(7);
    expect(String(data(amended).content)).toContain("Changed to **Easy**");
    expect(await h.reviews.log(learner.discord(frank.id))).toHaveLength(1);
    expect(h.questions(frank)).toHaveLength(2);
  });

  it("keeps sending the next card until the session ends, then a summary", async () => {
    const uma = h.fake.user("uma");
    await h.startQuiz(uma);
    const summary = () =>
      h.fake
        .posted(h.fake.dmChannel(uma))
        .find((b) => String(b.content).includes("All done for today"));
    for (let n = 0; !summary(); n++) {
      expect(n).toBeLessThan(10);
      const q = await h.nthQuestion(uma, n);
      const easy = h.fake.button(uma, `pyjs:rate:4:${q.promptId}`, q.msg);
      await until(() => h.fake.callbacks(easy)[0], `rating #${n + 1}`);
      await until(() => h.questions(uma)[n + 1] ?? summary(), "the next card or the summary");
    }
    expect(String(summary()?.content)).toMatch(/All done for today: 5 reviewed, 5 correct\./);
    expect(await h.reviews.log(learner.discord(uma.id))).toHaveLength(5);
  });

  it("a typed DM answers the open question: the question message is edited, the next card sent", async () => {
    const ines = h.fake.user("ines");
    const { msg, promptId } = await h.startQuiz(ines);
    const answer = await h.answerOf(ines, promptId);
    h.fake.dm(ines, answer);
    const edit = await until(
      () =>
        h.fake.requests.find(
          (r) =>
            r.method === "PATCH" &&
            r.path === `/channels/${h.fake.dmChannel(ines)}/messages/${msg.id}`,
        ),
      "edited question",
    );
    expect(String((edit.body as Json).content)).toContain("✅ Correct!");
    expect(labels(edit.body as Json)).toEqual(["Again", "Hard", "✓ Good", "Easy", "Undo"]);
    await h.nthQuestion(ines, 1);
    expect(await h.reviews.log(learner.discord(ines.id))).toHaveLength(1);

    // A typed command in the DM is answered there.
    h.fake.dm(ines, "stats");
    const stats = await until(
      () =>
        h.fake
          .posted(h.fake.dmChannel(ines))
          .find((b) => embeds(b)[0]?.title === "Your pyjs progress"),
      "stats in the DM",
    );
    expect(JSON.stringify(stats)).toContain("1 total");
  });

  it("a user whose DMs are closed is told how to open them, ephemerally", async () => {
    const jo = h.fake.user("jo");
    h.fake.closedDms.add(jo.id);
    const id = h.fake.slash(jo, "quiz");
    const edit = await until(() => h.fake.originalEdit(id), "DMs-closed explanation");
    expect(h.fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(String(edit.content)).toContain(
      `**${h.fake.guildName}** → **Privacy Settings** and turn on **Direct Messages**`,
    );
    // The bot carries on.
    const next = h.fake.slash(jo, "pipx");
    expect((await until(() => h.fake.callbacks(next)[0], "lookup after")).type).toBe(4);
  });

  it("DMs closed in the middle of a quiz: the result shows, a follow-up explains", async () => {
    const ken = h.fake.user("ken");
    const { msg, promptId } = await h.startQuiz(ken);
    h.fake.closedDms.add(ken.id);
    const good = h.fake.button(ken, `pyjs:rate:3:${promptId}`, msg);
    const follow = await until(() => h.fake.followUps(good)[0], "follow-up");
    expect(h.fake.callbacks(good)[0]?.type).toBe(7);
    expect(follow.flags).toBe(64);
    expect(String(follow.content)).toContain("Privacy Settings");
  });
});

describe("mentions", () => {
  it("every message, reply, edit and follow-up the bot sent had allowed_mentions {parse: []}", () => {
    const bodies = sentBodies(h.fake);
    const kinds = new Set(bodies.map((b) => b.where.replace(/\d+|itok-\w+/g, ":id")));
    // DMs, edits of DMs, channel posts, interaction replies and updates, deferred-reply edits.
    expect([...kinds].sort()).toEqual([
      "PATCH /channels/:id/messages/:id", // a question edited into its result (typed answer)
      "PATCH /webhooks/:id/:id/messages/@original", // a deferred reply
      "POST /channels/:id/messages", // DMs and channel posts
      "POST /webhooks/:id/:id", // a follow-up
      "reply", // ephemeral replies
      "update", // a question updated by a button
    ]);
    for (const b of bodies) expect(b.body.allowed_mentions, b.where).toEqual({ parse: [] });
  });
});
