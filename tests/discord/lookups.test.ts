import { describe, expect, it } from "vitest";
import { autocomplete } from "../../adapters/discord/autocomplete.js";
import { LIMITS } from "../../adapters/discord/render.js";
import { buildGlossary } from "../../src/core/lookup.js";
import { until } from "../fakes/discord.js";
import { bundledDeck } from "../support/app.js";
import { holdNext } from "../support/hold.js";
import { data, embeds, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("/pyjs lookups and autocomplete", () => {
  it("answers a lookup at once, only to the asker, with an embed", async () => {
    const alice = h.fake.user("alice");
    const id = h.fake.slash(alice, "pip");
    const cb = await until(() => h.fake.callbacks(id)[0], "lookup reply");
    expect(cb.type).toBe(4);
    expect(data(cb).flags).toBe(64);
    const e = embeds(data(cb))[0];
    expect(e?.title).toBe("pip ≈ npm");
    expect(e?.url).toMatch(/^https:\/\//);
    expect(String(e?.description)).toContain("PyPI");
    const fields = (e?.fields ?? []) as { name: string; value: string }[];
    expect(fields.map((f) => f.name)).toEqual(["JavaScript", "Also known as", "Docs", "Related"]);
    expect(fields.find((f) => f.name === "JavaScript")?.value).toBe("npm");
  });

  it("offers suggestions for an unknown term", async () => {
    const id = h.fake.slash(h.fake.user("bob"), "pipz");
    const cb = await until(() => h.fake.callbacks(id)[0], "unknown reply");
    expect(cb.type).toBe(4);
    expect(data(cb).flags).toBe(64);
    expect(String(data(cb).content)).toMatch(/I don't know `pipz`\. Did you mean \*\*pip/);
  });

  it("autocompletes terms and command words, at most 25, names within 100 characters", async () => {
    const carol = h.fake.user("carol");
    const id = h.fake.autocomplete(carol, "pi");
    const cb = await until(() => h.fake.callbacks(id)[0], "autocomplete");
    expect(cb.type).toBe(8);
    const choices = data(cb).choices as { name: string; value: string }[];
    expect(choices.map((c) => c.value)).toContain("pip");
    expect(choices.map((c) => c.value)).toContain("pipx");

    const empty = h.fake.autocomplete(carol, "");
    const all = data(await until(() => h.fake.callbacks(empty)[0], "autocomplete")).choices as {
      name: string;
      value: string;
    }[];
    expect(all).toHaveLength(25);
    expect(all.slice(0, 3).map((c) => c.value)).toEqual(["help", "quiz", "subscribe"]);
    for (const c of all) expect(c.name.length).toBeLessThanOrEqual(100);

    const tz = h.fake.autocomplete(carol, "subscribe 09:00 Europe/Be");
    const zones = data(await until(() => h.fake.callbacks(tz)[0], "zone autocomplete")).choices as {
      value: string;
    }[];
    expect(zones.map((z) => z.value)).toContain("subscribe 09:00 Europe/Berlin");
    expect(zones.every((z) => z.value.startsWith("subscribe 09:00 "))).toBe(true);
  });

  it("defers the reply when the h.app is slow, then edits it", async () => {
    const erin = h.fake.user("erin");
    const held = holdNext(h.app, "handleCommand");
    try {
      const id = h.fake.slash(erin, "venv");
      const first = await until(() => h.fake.callbacks(id)[0], "deferral");
      expect(first).toMatchObject({ type: 5, data: { flags: 64 } });
      held.release();
      const edit = await until(() => h.fake.originalEdit(id), "edited reply");
      expect(embeds(edit)[0]?.title).toMatch(/^venv/);
      expect(h.fake.callbacks(id)).toHaveLength(1);
    } finally {
      held.release();
      held.restore();
    }
  });
});

describe("autocomplete", () => {
  const glossary = buildGlossary(bundledDeck());

  it("matches Python and JS names and command words, 25 at most", () => {
    const js = autocomplete(glossary, "node_mod").map((c) => c.value);
    expect(js).toContain("node_modules");
    expect(autocomplete(glossary, "lead").map((c) => c.value)).toEqual([
      "leaderboard",
      "leaderboard here",
      "leaderboard off",
      "leaderboard on",
    ]);
    expect(autocomplete(glossary, "")).toHaveLength(LIMITS.choices);
  });

  it("suggests time zones after `subscribe HH:MM `", () => {
    const all = autocomplete(glossary, "subscribe 7:30 ");
    expect(all).toHaveLength(25);
    expect(all[0]?.value).toBe("subscribe 7:30 UTC");
    const ny = autocomplete(glossary, "subscribe 07:30 new_y").map((c) => c.value);
    expect(ny[0]).toBe("subscribe 07:30 America/New_York");
    const city = autocomplete(glossary, "subscribe 07:30 berl").map((c) => c.value);
    expect(city).toContain("subscribe 07:30 Europe/Berlin");
    expect(autocomplete(glossary, "subscribe tok").map((c) => c.value)).toContain(
      "subscribe Asia/Tokyo",
    );
    for (const c of autocomplete(glossary, `subscribe 07:30 ${"x".repeat(300)}`)) {
      expect(c.value.length).toBeLessThanOrEqual(LIMITS.choiceValue);
    }
  });
});

itNeverMentions(h);
