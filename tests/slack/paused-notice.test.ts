import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { runDelivery } from "../support/deliver.js";
import { json, learner, useSlack } from "./harness.js";

/**
 * Issue 16: a learner whose daily DM Slack refuses is told why their quiz is paused, at
 * their next `/pyjs` in a channel (the slash command's reply is only for them), once.
 */
const h = useSlack();
const { fake, command, person } = h;

const dailyDm = (p: ReturnType<typeof person>) =>
  runDelivery(h, h.slack.messenger, learner(p), new Date("2026-05-05T09:00:00Z"));

describe("a daily DM Slack refuses", () => {
  for (const code of ["cannot_dm_bot", "account_inactive"]) {
    it(`(${code}) pauses the quiz and says why at the next /pyjs, once`, async () => {
      const p = person();
      fake.setUser(p.user, { tz: "UTC" });
      await command(p, "subscribe 09:00 UTC", "C0GENERAL");
      fake.fail("conversations.open", code);
      expect(await dailyDm(p)).toBeInstanceOf(UnrecoverableError);

      const first = json((await command(p, "stats", "C0GENERAL")).json);
      expect(first).toContain("Your daily quiz is paused");
      expect(first).toContain(code);
      expect(first).toContain("/pyjs resume");
      // The stats still come with it.
      expect(first).toContain("Daily quiz");
      const again = json((await command(p, "stats", "C0GENERAL")).json);
      expect(again).not.toContain("Your daily quiz is paused");

      const resumed = json((await command(p, "resume", "C0GENERAL")).json);
      expect(resumed).toContain("Daily quiz resumed");
      expect(resumed).not.toContain("Your daily quiz is paused");
    });
  }

  it("tells again after the next refusal, and never after a pause the learner chose", async () => {
    const p = person();
    fake.setUser(p.user, { tz: "UTC" });
    await command(p, "subscribe 09:00 UTC", "C0GENERAL");
    fake.fail("conversations.open", "cannot_dm_bot");
    await dailyDm(p);
    expect(json((await command(p, "stats", "C0GENERAL")).json)).toContain("is paused");
    await command(p, "resume", "C0GENERAL");
    fake.fail("conversations.open", "cannot_dm_bot");
    await dailyDm(p);
    expect(json((await command(p, "stats", "C0GENERAL")).json)).toContain("Messages tab");

    const q = person();
    await command(q, "subscribe 09:00 UTC", "C0GENERAL");
    await command(q, "pause", "C0GENERAL");
    expect(json((await command(q, "stats", "C0GENERAL")).json)).not.toContain("is paused:");
  });
});
