import { afterEach, describe, expect, it, vi } from "vitest";
import { learner } from "../../src/core/learner.js";
import { RedisError } from "../../src/errors.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { data, useDiscord } from "../discord/harness.js";
import { type Json, until } from "../fakes/discord.js";

/**
 * Issue 12, item 11b: every interaction gets an answer (buttons, modals, select menus
 * and commands that aren't pyjs's get an ephemeral "expired"; autocomplete always gets
 * choices, possibly none). Item 4 (Discord): a refused Redis write is answered with
 * "couldn't save that — try again", and the retry works.
 */
const h = useDiscord();
const EXPIRED = "This card has expired";
const SAVE_FAILED = /couldn't save that — please try again/;

afterEach(() => {
  vi.restoreAllMocks();
});

const first = (id: string, what: string) => until(() => h.fake.callbacks(id)[0], what);
const expectEphemeralExpired = (cb: Json) => {
  expect(cb.type).toBe(4);
  expect(data(cb).flags).toBe(64);
  expect(String(data(cb).content)).toContain(EXPIRED);
};

describe("interactions that aren't pyjs's (item 11b)", () => {
  it("a button or modal whose custom id lacks the pyjs: prefix is told it expired", async () => {
    const kim = h.fake.user("kim");
    const msg = { id: "1", channel_id: h.fake.dmChannel(kim), author: h.fake.bot, content: "" };
    for (const custom of ["legacy_show_123", "other-bot:rate:3", "PYJS:show:AAAAAAAAAAAA"]) {
      expectEphemeralExpired(await first(h.fake.button(kim, custom, msg), `button ${custom}`));
    }
    const modal = h.fake.modalSubmit(kim, "some-old-modal", { answer: "npm" });
    expectEphemeralExpired(await first(modal, "modal"));
  });

  it("a select menu (not a button) is told it expired", async () => {
    const kim = h.fake.user("kim2");
    const msg = { id: "2", channel_id: h.fake.dmChannel(kim), author: h.fake.bot, content: "" };
    for (const custom of ["pyjs:topics", "other:menu"]) {
      const id = h.fake.interaction(
        kim,
        3,
        { custom_id: custom, component_type: 3, values: ["web"] },
        { message: msg },
        { inGuild: false },
      );
      expectEphemeralExpired(await first(id, `select ${custom}`));
    }
  });

  it("a slash command that isn't /pyjs (an old registration) is told it expired", async () => {
    const kim = h.fake.user("kim3");
    const id = h.fake.interaction(kim, 2, { id: "9", name: "quiz", type: 1, options: [] });
    expectEphemeralExpired(await first(id, "old command"));
  });

  it("autocomplete for another command, or one that fails, answers with no choices", async () => {
    const kim = h.fake.user("kim4");
    const other = h.fake.interaction(kim, 4, {
      id: "9",
      name: "quiz",
      type: 1,
      options: [{ name: "query", type: 3, value: "pi", focused: true }],
    });
    const cb = await first(other, "autocomplete of another command");
    expect(cb.type).toBe(8);
    expect(data(cb).choices).toEqual([]);

    const glossary = h.app.glossary;
    Object.defineProperty(h.app, "glossary", {
      configurable: true,
      get() {
        throw new Error("glossary unavailable");
      },
    });
    try {
      const failing = await first(h.fake.autocomplete(kim, "pi"), "failed autocomplete");
      expect(failing.type).toBe(8);
      expect(data(failing).choices).toEqual([]);
    } finally {
      Object.defineProperty(h.app, "glossary", { configurable: true, value: glossary });
    }
  });
});

describe("a refused Redis write in Discord (item 4)", () => {
  const refused = () => new RedisError("redis_write", "EXECABORT Transaction discarded (OOM)");

  it("a rating button: an ephemeral apology, nothing recorded, the retry is rated", async () => {
    const rae = h.fake.user("rae");
    const q = await h.startQuiz(rae);
    vi.spyOn(ReviewStore.prototype, "apply").mockRejectedValueOnce(refused());
    const failed = await first(h.fake.button(rae, `pyjs:rate:3:${q.promptId}`, q.msg), "apology");
    expect(failed.type).toBe(4);
    expect(data(failed).flags).toBe(64);
    expect(String(data(failed).content)).toMatch(SAVE_FAILED);
    expect(await h.reviews.log(learner.discord(rae.id))).toHaveLength(0);

    const again = await first(h.fake.button(rae, `pyjs:rate:3:${q.promptId}`, q.msg), "rated");
    expect(again.type).toBe(7);
    expect(await h.reviews.log(learner.discord(rae.id))).toHaveLength(1);
  });

  it("a typed answer in the DM: the apology in the DM, the same answer again is graded", async () => {
    const ola = h.fake.user("ola");
    const q = await h.startQuiz(ola);
    const answer = await h.answerOf(ola, q.promptId);
    const dm = h.fake.dmChannel(ola);
    vi.spyOn(ReviewStore.prototype, "apply").mockRejectedValueOnce(refused());
    const before = h.fake.posted(dm).length;
    h.fake.dm(ola, answer);
    const apology = await until(
      () =>
        h.fake
          .posted(dm)
          .slice(before)
          .find((m) => SAVE_FAILED.test(String(m.content))),
      "apology in the DM",
    );
    expect(apology.allowed_mentions).toEqual({ parse: [] });
    expect(await h.reviews.log(learner.discord(ola.id))).toHaveLength(0);

    h.fake.dm(ola, answer);
    await until(
      async () => (await h.reviews.log(learner.discord(ola.id))).length === 1,
      "the retried answer graded",
    );
  });
});
