import { describe, expect, it, vi } from "vitest";
import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";
import { until } from "../fakes/discord.js";
import { itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("who is asking", () => {
  it("maps Manage Server to isAdmin, the server to the tenant and the nickname to the name", async () => {
    const seen: Actor[] = [];
    const original = h.app.handleCommand.bind(h.app);
    const spy = vi.spyOn(h.app, "handleCommand").mockImplementation((actor, text, now) => {
      seen.push(actor);
      return original(actor, text, now);
    });
    try {
      const lee = h.fake.user("lee", "Lee G");
      const cases: [string, boolean][] = [
        ["32", true], // Manage Server
        ["8", true], // Administrator implies it
        [String((1n << 3n) | (1n << 5n) | (1n << 13n)), true],
        ["0", false],
        ["8192", false], // Manage Messages only
      ];
      for (const [permissions, admin] of cases) {
        const id = h.fake.slash(lee, "leaderboard here", { permissions, nick: "Captain Lee" });
        await until(() => h.fake.callbacks(id)[0], "reply");
        const actor = seen.at(-1);
        expect(actor?.isAdmin, `permissions ${permissions}`).toBe(admin);
        expect(actor).toMatchObject({
          learner: learner.discord(lee.id),
          platform: "discord",
          tenant: h.fake.guildId,
          channel: h.fake.channelId,
          name: "Captain Lee",
        });
      }
      const dm = h.fake.slash(lee, "help", { inGuild: false });
      await until(() => h.fake.callbacks(dm)[0], "DM reply");
      expect(seen.at(-1)).toMatchObject({ isAdmin: false, tenant: undefined, name: "Lee G" });
    } finally {
      spy.mockRestore();
    }
  });
});

itNeverMentions(h);
