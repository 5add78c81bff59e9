import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { type FakeUser, until } from "../fakes/discord.js";
import { runDelivery } from "../support/deliver.js";
import { data, useDiscord } from "./harness.js";

/**
 * Issue 16: a learner whose daily DM Discord refuses (50007: DMs closed) is told why
 * their quiz is paused at their next `/pyjs` in a server channel, ephemerally, once.
 */
const h = useDiscord();

async function slash(user: FakeUser, query: string): Promise<{ text: string; flags: unknown }> {
  const id = h.fake.slash(user, query);
  const cb = await until(() => h.fake.callbacks(id)[0], `/pyjs ${query} reply`);
  if (cb.type === 5) {
    const edit = await until(() => h.fake.originalEdit(id), `/pyjs ${query} edit`);
    return { text: JSON.stringify(edit), flags: data(cb).flags };
  }
  return { text: JSON.stringify(data(cb)), flags: data(cb).flags };
}

describe("a daily DM Discord refuses with 50007", () => {
  it("pauses the quiz and says why at the next /pyjs, ephemerally and once", async () => {
    const ned = h.fake.user("ned");
    await slash(ned, "subscribe 09:00 UTC");
    h.fake.closedDms.add(ned.id);
    const at = new Date("2026-05-05T09:00:00Z");
    const outcome = await runDelivery(h, h.discord.messenger, learner.discord(ned.id), at);
    expect(outcome).toBeInstanceOf(UnrecoverableError);

    const first = await slash(ned, "stats");
    expect(first.flags).toBe(64);
    expect(first.text).toContain("Your daily quiz is paused");
    expect(first.text).toContain("50007");
    expect(first.text).toContain("/pyjs resume");
    expect((await slash(ned, "stats")).text).not.toContain("Your daily quiz is paused");

    h.fake.closedDms.delete(ned.id);
    expect((await slash(ned, "resume")).text).toContain("Daily quiz resumed");
  });
});
