import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { makeKeys } from "../../src/store/keys.js";
import { SettingsStore } from "../../src/store/settings.js";
import { until } from "../fakes/discord.js";
import { data, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();
const settingsOf = (userId: string) =>
  new SettingsStore(h.redis, makeKeys(h.prefix)).get(learner.discord(userId));

/** Interactions authorised only by the person's own install of pyjs (no bot there). */
describe("Discord user installs", () => {
  it("answers a lookup ephemerally in someone else's DM", async () => {
    const ula = h.fake.user("ula");
    const id = h.fake.slash(ula, "pip", { otherDm: true, install: "user" });
    const cb = await until(() => h.fake.callbacks(id)[0], "lookup reply");
    expect(cb.type).toBe(4);
    expect(data(cb).flags).toBe(64);
    expect(JSON.stringify(data(cb))).toContain("npm");
    // Nothing was posted into that conversation: only the interaction reply.
    expect(
      h.fake.requests.filter((r) => r.path.includes(`/channels/`) && r.method === "POST"),
    ).toEqual([]);
  });

  it("starts the quiz in the bot's DM from another DM, and says where it went", async () => {
    const vic = h.fake.user("vic");
    const id = h.fake.slash(vic, "quiz", { otherDm: true, install: "user" });
    await h.nthQuestion(vic, 0);
    const ack = await until(() => h.fake.originalEdit(id), "quiz acknowledgement");
    expect(JSON.stringify(ack)).toContain("Sent to your direct messages");
    expect(await h.redis.smembers(makeKeys(h.prefix).tenants(learner.discord(vic.id)))).toEqual([]);
  });

  it("in a server without the bot: no team, no board, no admin", async () => {
    const wes = h.fake.user("wes");
    const opts = { install: "user" as const, permissions: "32" };
    const board = h.fake.slash(wes, "leaderboard", opts);
    const shown = await until(() => h.fake.originalEdit(board), "board reply");
    expect(JSON.stringify(shown)).toContain("where pyjs is installed");
    const here = h.fake.slash(wes, "leaderboard here", opts);
    const refused = await until(() => h.fake.originalEdit(here), "leaderboard here reply");
    expect(JSON.stringify(refused)).toContain("where pyjs is installed");
    expect(await h.redis.smembers(makeKeys(h.prefix).tenants(learner.discord(wes.id)))).toEqual([]);
  });

  it("subscribing confirms in the DM when the bot can reach it", async () => {
    const xia = h.fake.user("xia");
    const id = h.fake.slash(xia, "subscribe 08:00 UTC", { otherDm: true, install: "user" });
    const cb = await until(() => h.fake.callbacks(id)[0], "subscribe reply");
    expect(String(data(cb).content)).toContain("Subscribed: a daily quiz at 08:00 (UTC)");
    const dm = await until(() => h.fake.posted(h.fake.dmChannel(xia))[0], "confirmation DM");
    expect(String(dm.content)).toContain("Your daily quiz will arrive here at 08:00 (UTC).");
    expect((await settingsOf(xia.id)).subscribed).toBe(true);
  });

  it("subscribing when the bot cannot DM says so and does not subscribe", async () => {
    const yan = h.fake.user("yan");
    h.fake.closedDms.add(yan.id);
    const id = h.fake.slash(yan, "subscribe 08:00 UTC", { otherDm: true, install: "user" });
    const cb = await until(() => h.fake.callbacks(id)[0], "subscribe reply");
    expect(String(data(cb).content)).toContain("I haven't subscribed you");
    expect(data(cb).flags).toBe(64);
    expect((await settingsOf(yan.id)).subscribed).toBe(false);
  });
});

itNeverMentions(h);
