import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createDiscord } from "../../adapters/discord/index.js";
import { DeliveryError } from "../../src/app/messenger.js";
import type { Part } from "../../src/app/reply.js";
import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";
import { itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("the Messenger port", () => {
  it("sends a daily delivery to the DMs and remembers where the question is", async () => {
    const mia = h.fake.user("mia");
    const actor: Actor = { learner: learner.discord(mia.id), platform: "discord" };
    const r = await h.app.handleCommand(actor, "quiz");
    const parts: Part[] = [
      { kind: "greeting", greeting: { due: 0, fresh: 5, unfinishedYesterday: false } },
      ...(r.dm ?? []),
    ];
    await h.discord.messenger.sendDm(actor.learner, parts);
    const sent = h.fake.posted(h.fake.dmChannel(mia));
    // One message: the greeting leads the question, so a retry cannot repeat half of it.
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0])).toContain("Good morning! 0 reviews and 5 new cards today.");
    const q = await h.nthQuestion(mia, 0);
    expect(await h.app.promptRef(actor, q.promptId)).toBe(`${h.fake.dmChannel(mia)}:${q.msg.id}`);
  });

  it("delivers over REST alone, from a process that never connected to the gateway", async () => {
    const sam = h.fake.user("sam");
    const worker = await createDiscord({
      env: {
        DISCORD_TOKEN: h.fake.token,
        DISCORD_APPLICATION_ID: h.fake.applicationId,
        DISCORD_API_URL: h.fake.apiUrl,
      },
      app: h.app,
      log: pino({ level: "silent" }),
    });
    try {
      await worker.messenger.sendDm(learner.discord(sam.id), [{ kind: "text", text: "hello" }]);
      expect(h.fake.posted(h.fake.dmChannel(sam))[0]).toMatchObject({
        content: "hello",
        allowed_mentions: { parse: [] },
      });
      expect(worker.ready()).toBe(false);
    } finally {
      await worker.stop();
    }
  });

  it("maps closed DMs, unknown users and channels to permanent delivery errors", async () => {
    const ned = h.fake.user("ned");
    h.fake.closedDms.add(ned.id);
    const text: Part[] = [{ kind: "text", text: "hi" }];
    const closed = await h.discord.messenger.sendDm(learner.discord(ned.id), text).catch((e) => e);
    expect(closed).toBeInstanceOf(DeliveryError);
    expect(closed).toMatchObject({ permanent: true, code: "50007" });
    const nobody = await h.discord.messenger.sendDm("discord:42", text).catch((e) => e);
    expect(nobody).toMatchObject({ permanent: true, code: "50033" });
    const slack = await h.discord.messenger.sendDm("slack:T1:U1", text).catch((e) => e);
    expect(slack).toMatchObject({ permanent: true });
    const channel = await h.discord.messenger
      .postToChannel(h.fake.guildId, "4242424242424242424", text)
      .catch((e) => e);
    expect(channel).toMatchObject({ permanent: true, code: "10003" });
    const tenant = await h.discord.messenger
      .postToChannel("999999999999999999", h.fake.channelId, text)
      .catch((e) => e);
    expect(tenant).toMatchObject({ permanent: true, code: "tenant" });
  });
});

itNeverMentions(h);
