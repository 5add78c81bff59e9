import { describe, expect, it } from "vitest";
import { type Json, until } from "../fakes/discord.js";
import { embeds, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("leaderboards", () => {
  it("shows the team board, deferred, as an embed", async () => {
    const quinn = h.fake.user("quinn");
    const id = h.fake.slash(quinn, "leaderboard");
    const edit = await until(() => h.fake.originalEdit(id), "board");
    expect(h.fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(String(embeds(edit)[0]?.title)).toMatch(/^🏆 /);
  });

  it("posts the weekly board in a server channel, with streak flames and no pings", async () => {
    await h.discord.messenger.postToChannel(h.fake.guildId, h.fake.channelId, [
      {
        kind: "leaderboard",
        board: {
          title: "This week's board",
          period: "2026-W19",
          rows: [
            { rank: 1, name: "@everyone", points: 42, streak: 3 },
            { rank: 2, name: "<@123> *bold*", points: 7, streak: 0 },
          ],
        },
      },
    ]);
    const body = h.fake.posted(h.fake.channelId).at(-1) as Json;
    const e = embeds(body)[0];
    expect(e?.title).toBe("🏆 This week's board · 2026-W19");
    expect(String(e?.description)).toContain("🔥3");
    expect(String(e?.description)).not.toMatch(/@everyone|<@123>/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });
});

itNeverMentions(h);
