import { describe, expect, it } from "vitest";
import { learner } from "../../src/core/learner.js";
import { makeKeys } from "../../src/store/keys.js";
import { SettingsStore } from "../../src/store/settings.js";
import { type FakeUser, type Json, until } from "../fakes/discord.js";
import { customIds, data, embeds, itNeverMentions, labels, useDiscord } from "./harness.js";

const h = useDiscord();

/** Whether the user's stored topics include `deck` (nothing stored: every deck). */
async function studies(user: FakeUser, deck: string): Promise<boolean> {
  const settings = new SettingsStore(h.redis, makeKeys(h.prefix));
  const topics = (await settings.get(learner.discord(user.id))).topics ?? "";
  return topics === "" || topics.split(",").includes(deck);
}

describe("topic buttons on Discord", () => {
  it("Remove and Add change the learner's decks and update the topics message in place", async () => {
    const ada = h.fake.user("ada");
    const asked = h.fake.slash(ada, "topics");
    const list = data(await until(() => h.fake.callbacks(asked)[0], "topics reply"));
    expect(embeds(list)[0]?.title).toBe("Your topics");
    expect(customIds(list)).toContain("pyjs:topic:remove:web");
    const message: Json = { ...list, id: "1", channel_id: h.fake.channelId, flags: 64 };

    const remove = h.fake.button(ada, "pyjs:topic:remove:web", message, { inGuild: true });
    const updated = await until(() => h.fake.callbacks(remove)[0], "topics update");
    expect(updated.type).toBe(7);
    expect(await studies(ada, "web")).toBe(false);
    expect(await studies(ada, "python-for-js-devs")).toBe(true);
    expect(String(data(updated).content)).toContain("Removed Python web and servers");
    expect(customIds(data(updated))).toContain("pyjs:topic:add:web");
    expect(labels(data(updated))).toContain("Add Python web and servers for JS developers");
    expect(String(embeds(data(updated))[0]?.description)).toMatch(/⚪ \*\*Python web/);

    const add = h.fake.button(ada, "pyjs:topic:add:web", message, { inGuild: true });
    const back = await until(() => h.fake.callbacks(add)[0], "topics update");
    expect(await studies(ada, "web")).toBe(true);
    expect(customIds(data(back))).toContain("pyjs:topic:remove:web");
  });

  it("removing the last topic is refused ephemerally and the list stays", async () => {
    const bo = h.fake.user("bo");
    await new SettingsStore(h.redis, makeKeys(h.prefix)).update(learner.discord(bo.id), {
      topics: "web",
    });
    const message: Json = { id: "2", channel_id: h.fake.channelId, content: "" };
    const press = h.fake.button(bo, "pyjs:topic:remove:web", message, { inGuild: true });
    const said = await until(() => h.fake.callbacks(press)[0], "refusal");
    expect(said).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(data(said).content)).toContain("That is your last topic");
    expect(await studies(bo, "web")).toBe(true);
    expect(await studies(bo, "async")).toBe(false);
  });
});

itNeverMentions(h);
