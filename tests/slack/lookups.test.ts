import { describe, expect, it } from "vitest";
import { findMentions } from "../fakes/slack-api.js";
import { describeTrafficChecks, json, useSlack } from "./harness.js";

const h = useSlack();
const { fake, command, person } = h;

describe("/pyjs in a channel", () => {
  it("answers a lookup at once, only to the asker, without any Web API call", async () => {
    const p = person();
    const before = fake.calls.length;
    const res = await command(p, "pip");
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe("ephemeral");
    const shown = json(res.json?.blocks);
    expect(shown).toContain("*pip*");
    expect(shown).toContain("npm");
    expect(shown).toContain("Docs: <https://");
    expect(shown).toContain("Related:");
    expect(typeof res.json?.text).toBe("string");
    expect(fake.calls.length).toBe(before);
  });

  it("suggests terms for an unknown one and lists the commands for help", async () => {
    const p = person();
    const unknown = await command(p, "pipz");
    expect(json(unknown.json?.blocks)).toMatch(/I don't know “pipz”\. Did you mean: .*\*pip\*/);
    const help = await command(p, "");
    const text = json(help.json?.blocks);
    for (const word of ["quiz", "subscribe", "stats", "leaderboard", "forget me"])
      expect(text).toContain(word);
    expect(text).toContain("&lt;term&gt;");
  });

  it("never lets echoed text ping anyone", async () => {
    const p = person();
    const channel = await command(p, "<!channel>");
    const user = await command(p, "<@U123> & <!here>");
    for (const res of [channel, user]) {
      expect(res.status).toBe(200);
      expect(findMentions(res.json)).toEqual([]);
    }
    expect(json(channel.json)).toContain("&lt;!channel&gt;");
    expect(json(user.json)).toContain("&lt;@U123&gt; &amp; &lt;!here&gt;");
  });

  it("reads Slack's wire format: auto-links and &amp; entities are decoded, then escaped again", async () => {
    const p = person();
    const linked = await command(p, "<http://setup.py|setup.py>");
    expect(json(linked.json?.blocks)).toContain("*setup.py*");
    const entity = await command(p, "a &amp; b &lt;x&gt;");
    expect(json(entity.json?.blocks)).toContain("“a &amp; b &lt;x&gt;”");
    expect(json(entity.json?.blocks)).not.toContain("&amp;amp;");
  });
});

describeTrafficChecks(h);
