import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { until } from "../fakes/discord.js";
import { customIds, data, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("learner controls on Discord", () => {
  it("Undo on a result takes the rating back and the card is asked again; a second press does nothing", async () => {
    const ada = h.fake.user("ada");
    const { msg, promptId } = await h.startQuiz(ada);
    const good = h.fake.button(ada, `pyjs:rate:3:${promptId}`, msg);
    const result = await until(() => h.fake.callbacks(good)[0], "result");
    expect(customIds(data(result))).toContain(`pyjs:undo:${promptId}`);
    await h.nthQuestion(ada, 1);
    expect(await h.reviews.log(learner.discord(ada.id))).toHaveLength(1);

    const undo = h.fake.button(ada, `pyjs:undo:${promptId}`, msg);
    const said = await until(() => h.fake.callbacks(undo)[0], "undo reply");
    expect(said).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(data(said).content)).toContain("Undone: your Good");
    const again = await h.nthQuestion(ada, 2);
    expect(again.promptId).toBe(promptId);
    expect(await h.reviews.log(learner.discord(ada.id))).toEqual([]);

    const twice = h.fake.button(ada, `pyjs:undo:${promptId}`, msg);
    const quiet = await until(() => h.fake.callbacks(twice)[0], "second undo");
    expect(quiet.type).toBe(6);
    expect(h.questions(ada)).toHaveLength(3);
  });

  it("Skip and Don't ask again move on to another card", async () => {
    const bo = h.fake.user("bo");
    const { msg, promptId } = await h.startQuiz(bo);
    const skip = h.fake.button(bo, `pyjs:skip:${promptId}`, msg);
    const skipped = await until(() => h.fake.callbacks(skip)[0], "skip reply");
    expect(String(data(skipped).content)).toContain("comes back tomorrow");
    const next = await h.nthQuestion(bo, 1);
    expect(next.promptId).not.toBe(promptId);
    const never = h.fake.button(bo, `pyjs:suspend:${next.promptId}`, next.msg);
    const suspended = await until(() => h.fake.callbacks(never)[0], "suspend reply");
    expect(String(data(suspended).content)).toContain("Suspended 1 card");
    const third = await h.nthQuestion(bo, 2);
    expect(third.promptId).not.toBe(next.promptId);
    expect(await h.reviews.logLength(learner.discord(bo.id))).toBe(0);
  });
});

itNeverMentions(h);
