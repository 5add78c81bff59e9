import { describe, expect, it } from "vitest";
import { parseCustomId } from "../../adapters/discord/ids.js";
import { learner } from "../../src/core/learner.js";
import { until } from "../fakes/discord.js";
import { holdNext } from "../support/hold.js";
import { customIds, data, embeds, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("buttons and the answer modal", () => {
  it("a double click records one review and sends the next card once", async () => {
    const gina = h.fake.user("gina");
    const { msg, promptId } = await h.startQuiz(gina);
    const a = h.fake.button(gina, `pyjs:rate:3:${promptId}`, msg);
    const b = h.fake.button(gina, `pyjs:rate:3:${promptId}`, msg);
    const types = await until(() => {
      const x = h.fake.callbacks(a)[0];
      const y = h.fake.callbacks(b)[0];
      return x && y ? [x.type, y.type].sort() : undefined;
    }, "both clicks answered");
    // One shows the result; the other is only acknowledged.
    expect(types).toEqual([6, 7]);
    await h.nthQuestion(gina, 1);
    expect(await h.reviews.log(learner.discord(gina.id))).toHaveLength(1);
    // Repeating the same rating later changes nothing and sends nothing.
    const again = h.fake.button(gina, `pyjs:rate:3:${promptId}`, msg);
    expect((await until(() => h.fake.callbacks(again)[0], "repeat")).type).toBe(6);
    expect(await h.reviews.log(learner.discord(gina.id))).toHaveLength(1);
    expect(h.questions(gina)).toHaveLength(2);
  });

  it("Answer opens a modal; submitting it grades the typed answer", async () => {
    const hugo = h.fake.user("hugo");
    const { msg, promptId } = await h.startQuiz(hugo);
    const open = h.fake.button(hugo, `pyjs:answer:${promptId}`, msg);
    const modal = await until(() => h.fake.callbacks(open)[0], "modal");
    expect(modal.type).toBe(9);
    expect(data(modal).custom_id).toBe(`pyjs:modal:${promptId}`);
    expect(JSON.stringify(data(modal).components)).toContain('"custom_id":"answer"');

    const answer = await h.answerOf(hugo, promptId);
    const submit = h.fake.modalSubmit(hugo, `pyjs:modal:${promptId}`, { answer }, msg);
    const result = await until(() => h.fake.callbacks(submit)[0], "modal result");
    expect(result.type).toBe(7);
    expect(String(data(result).content)).toContain("✅ Correct!");
    await h.nthQuestion(hugo, 1);
    expect(await h.reviews.log(learner.discord(hugo.id))).toHaveLength(1);
  });

  it("forged or stale custom ids get a polite ephemeral 'expired'", async () => {
    const kim = h.fake.user("kim");
    const msg = { id: "1", channel_id: h.fake.dmChannel(kim), author: h.fake.bot, content: "" };
    for (const custom of [
      "pyjs:rate:3:AAAAAAAAAAAA", // right shape, unknown prompt
      "pyjs:show:AAAAAAAAAAAA",
      "pyjs:rate:9:AAAAAAAAAAAA", // no such rating
      "pyjs:show:../../etc",
      "pyjs:modal:AAAAAAAAAAAA",
    ]) {
      const id = h.fake.button(kim, custom, msg);
      const cb = await until(() => h.fake.callbacks(id)[0], `reply to ${custom}`);
      expect(cb.type).toBe(4);
      expect(data(cb).flags).toBe(64);
      expect(String(data(cb).content)).toContain("This card has expired");
    }
    const modal = h.fake.modalSubmit(kim, "pyjs:modal:AAAAAAAAAAAA", { answer: "npm" });
    const cb = await until(() => h.fake.callbacks(modal)[0], "forged modal");
    expect(String(data(cb).content)).toContain("This card has expired");
  });

  it("forget me asks for confirmation with a button, which erases and says so", async () => {
    const rae = h.fake.user("rae");
    const q = await h.startQuiz(rae);
    const good = h.fake.button(rae, `pyjs:rate:3:${q.promptId}`, q.msg);
    await until(() => h.fake.callbacks(good)[0], "rated");
    expect(await h.reviews.log(learner.discord(rae.id))).toHaveLength(1);
    const id = h.fake.slash(rae, "forget me");
    const ask = await until(() => h.fake.originalEdit(id), "confirmation");
    expect(customIds(ask)).toEqual(["pyjs:forget"]);
    const msg = { ...ask, id: "1", channel_id: h.fake.channelId, author: h.fake.bot, flags: 64 };
    const press = h.fake.button(rae, "pyjs:forget", msg, { inGuild: true });
    const done = await until(() => h.fake.callbacks(press)[0], "erased");
    expect(done.type).toBe(7);
    expect(String(data(done).content)).toContain("pyjs keeps nothing about you now");
    expect(customIds(data(done))).toEqual([]);
    expect(await h.reviews.log(learner.discord(rae.id))).toHaveLength(0);
  });
});

describe("a slow app behind a button", () => {
  it("defers the update within Discord's 3 s, then edits the question into its result", async () => {
    const hal = h.fake.user("hal");
    const { msg, promptId } = await h.startQuiz(hal);
    const held = holdNext(h.app, "handleAction");
    try {
      const press = h.fake.button(hal, `pyjs:rate:3:${promptId}`, msg);
      const first = await until(() => h.fake.callbacks(press)[0], "deferral");
      expect(first.type).toBe(6);
      held.release();
      const edit = await until(() => h.fake.originalEdit(press), "edited result");
      expect(String(embeds(edit)[0]?.description)).toMatch(/Next review <t:\d+:R>/);
      expect(h.fake.callbacks(press)).toHaveLength(1);
      await h.nthQuestion(hal, 1);
      expect(await h.reviews.log(learner.discord(hal.id))).toHaveLength(1);
    } finally {
      held.release();
      held.restore();
    }
  });
});

describe("custom ids", () => {
  it("reads only the shapes pyjs makes", () => {
    expect(parseCustomId("pyjs:show:abcdefghijk_")).toEqual({
      kind: "show",
      promptId: "abcdefghijk_",
    });
    expect(parseCustomId("pyjs:rate:4:abcdefghij-k")).toEqual({
      kind: "rate",
      rating: 4,
      promptId: "abcdefghij-k",
    });
    expect(parseCustomId("pyjs:forget")).toEqual({ kind: "forget" });
    for (const bad of [
      "pyjs:rate:0:abcdefghijkl",
      "pyjs:rate:5:abcdefghijkl",
      "pyjs:show:short",
      "pyjs:show:abcdefghijkl:extra",
      "pyjs:show:abcdefghijk!",
      "other:show:abcdefghijkl",
      "pyjs:forget:now",
      "",
    ]) {
      expect(parseCustomId(bad), bad).toBeUndefined();
    }
  });
});

itNeverMentions(h);
