import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { makeKeys } from "../../src/store/keys.js";
import { ProposalStore } from "../../src/store/proposals.js";
import { type FakeUser, until } from "../fakes/discord.js";
import { embeds, useDiscord } from "./harness.js";

const h = useDiscord();

/** Two servers side by side: nothing of one reaches the other. */
describe("data boundaries between Discord servers", () => {
  const boardText = async (user: FakeUser, guildId: string) => {
    const id = h.fake.slash(user, "leaderboard", { guildId });
    const edit = await until(() => h.fake.originalEdit(id), "board");
    return JSON.stringify(embeds(edit));
  };

  /** Starts a quiz from a server and answers the first question right, typed in the DM. */
  const answerRight = async (user: FakeUser, guildId: string) => {
    h.fake.slash(user, "quiz", { guildId });
    const { promptId } = await h.nthQuestion(user, 0);
    h.fake.dm(user, await h.answerOf(user, promptId));
    await h.nthQuestion(user, 1);
    return promptId;
  };

  it("keeps boards, DMs and proposals to the server they belong to", async () => {
    const [a, b] = [h.fake.guildId, h.fake.otherGuildId];
    const alma = h.fake.user("alma");
    const bert = h.fake.user("bert");
    const almaPrompt = await answerRight(alma, a);
    const bertPrompt = await answerRight(bert, b);

    const boardA = await boardText(alma, a);
    const boardB = await boardText(bert, b);
    expect(boardA).toContain("alma");
    expect(boardA).not.toContain("bert");
    expect(boardB).toContain("bert");
    expect(boardB).not.toContain("alma");

    // Each DM holds only its owner's questions.
    const inDm = (u: FakeUser) => JSON.stringify(h.fake.posted(h.fake.dmChannel(u)));
    expect(inDm(alma)).toContain(almaPrompt);
    expect(inDm(alma)).not.toContain(bertPrompt);
    expect(inDm(bert)).not.toContain(almaPrompt);

    // "I was right" typed in the DM (no server there) proposes for alma's server only.
    const { promptId } = await h.nthQuestion(alma, 1);
    h.fake.dm(alma, "certainly-not-the-answer");
    const almaLog = () => h.reviews.log(learner.discord(alma.id));
    await until(async () => ((await almaLog()).length === 2 ? true : undefined), "graded");
    h.fake.dm(alma, "right");
    const proposals = new ProposalStore(h.redis, makeKeys(h.prefix));
    await until(async () => (await proposals.list(a)).length > 0 || undefined, "proposal in A");
    expect((await proposals.list(a)).map((p) => p.text)).toEqual(["certainly-not-the-answer"]);
    expect(await proposals.list(b)).toEqual([]);
    expect(await proposals.list("local")).toEqual([]);
    expect(promptId).toBeTruthy();
  });

  it("forget me in one server leaves the other server's board as it was", async () => {
    const cleo = h.fake.user("cleo");
    const dirk = h.fake.user("dirk");
    await answerRight(cleo, h.fake.guildId);
    await answerRight(dirk, h.fake.otherGuildId);
    const before = await boardText(cleo, h.fake.guildId);
    const ask = h.fake.slash(dirk, "forget me", { guildId: h.fake.otherGuildId });
    const confirm = await until(() => h.fake.originalEdit(ask), "confirmation");
    const msg = { ...confirm, id: "1", channel_id: h.fake.otherChannelId, author: h.fake.bot };
    h.fake.button(dirk, "pyjs:forget", { ...msg, flags: 64 }, { guildId: h.fake.otherGuildId });
    const keys = makeKeys(h.prefix);
    await until(
      async () =>
        (await h.redis.exists(keys.tenants(learner.discord(dirk.id)))) ? undefined : true,
      "dirk erased",
    );
    expect(await boardText(cleo, h.fake.guildId)).toBe(before);
    expect(await boardText(dirk, h.fake.otherGuildId)).not.toContain("dirk");
  });
});
