import { describe, expect, it } from "vitest";
import { SettingsStore } from "../../src/store/settings.js";
import type { Person } from "../fakes/slack-requests.js";
import { describeTrafficChecks, dmOf, json, learner, useSlack } from "./harness.js";

const h = useSlack();
const { command, click, person, fake } = h;
const settings = new SettingsStore(h.redis, h.keys);

interface Accessory {
  action_id?: string;
  value?: string;
  text?: { text?: string };
}

/** The topic toggle on each deck's line: deck name -> its button. */
function toggles(blocks: unknown): Map<string, Accessory> {
  const out = new Map<string, Accessory>();
  for (const b of (blocks as { type: string; accessory?: Accessory }[]) ?? []) {
    const m = /^topics (?:add|remove) (\S+)$/.exec(b.accessory?.value ?? "");
    if (b.accessory && m?.[1]) out.set(m[1], b.accessory);
  }
  return out;
}

/** Whether the learner's stored topics include `deck` (nothing stored: every deck). */
async function studies(p: Person, deck: string): Promise<boolean> {
  const topics = (await settings.get(learner(p))).topics ?? "";
  return topics === "" || topics.split(",").includes(deck);
}

describe("topic buttons on Slack", () => {
  it("Remove and Add on the /pyjs topics reply change the learner's decks and update the list", async () => {
    const p = person();
    const res = await command(p, "topics", "C0GENERAL");
    const first = toggles(res.json?.blocks);
    expect(first.get("web")?.text?.text).toBe("Remove");
    expect(first.get("web")?.action_id).toMatch(/^pyjs_cmd_topic/);
    expect(first.size).toBe(7);

    const press = (b: Accessory | undefined) =>
      click(
        p,
        { action_id: b?.action_id ?? "", value: b?.value ?? "" },
        { channel: "C0GENERAL", ephemeral: true },
      );
    await press(first.get("web"));
    expect(await studies(p, "web")).toBe(false);
    expect(await studies(p, "python-for-js-devs")).toBe(true);
    const after = fake.responses.at(-1)?.body;
    expect(after?.replace_original).toBe(true);
    expect(toggles(after?.blocks).get("web")?.text?.text).toBe("Add");
    expect(json(after)).toContain("Removed Python web and servers for JS developers");

    expect(toggles(after?.blocks).get("web")?.value).toBe("topics add web");
    await press(toggles(after?.blocks).get("web"));
    expect(await studies(p, "web")).toBe(true);
    expect(toggles(fake.responses.at(-1)?.body.blocks).get("web")?.text?.text).toBe("Remove");
  });

  it("the App Home tab lists the topics; its buttons toggle them and republish the tab", async () => {
    const p = person();
    await h.event(p, { type: "app_home_opened", user: p.user, channel: dmOf(p), tab: "home" });
    const home = () => (fake.homeViews.get(p.user) as { blocks: unknown } | undefined)?.blocks;
    expect(toggles(home()).get("async")?.text?.text).toBe("Remove");

    const press = async (deck: string) => {
      const b = toggles(home()).get(deck);
      await click(p, { action_id: b?.action_id ?? "", value: b?.value ?? "" }, { home: true });
    };
    await press("async");
    expect(await studies(p, "async")).toBe(false);
    expect(toggles(home()).get("async")?.text?.text).toBe("Add");
    expect(toggles(home()).get("web")?.text?.text).toBe("Remove");

    await press("async");
    expect(await studies(p, "async")).toBe(true);
    expect(toggles(home()).get("async")?.text?.text).toBe("Remove");
  });
});

describeTrafficChecks(h);
