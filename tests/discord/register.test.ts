import { describe, expect, it } from "vitest";
import {
  discordRegister,
  PYJS_COMMAND,
  registerCommands,
} from "../../adapters/discord/commands.js";
import type { Json } from "../fakes/discord.js";
import { useFakeDiscord } from "./harness.js";

const h = useFakeDiscord();

describe("registering /pyjs", () => {
  const puts = () => h.fake.requests.filter((r) => r.method === "PUT");

  it("bulk-overwrites the guild's commands with the one pyjs command", async () => {
    const created = await registerCommands({
      token: h.fake.token,
      applicationId: h.fake.applicationId,
      apiUrl: h.fake.apiUrl,
      guildId: h.fake.guildId,
    });
    expect(created.map((c) => c.name)).toEqual(["pyjs"]);
    const put = puts().at(-1);
    expect(put?.path).toBe(
      `/applications/${h.fake.applicationId}/guilds/${h.fake.guildId}/commands`,
    );
    expect(put?.auth).toBe(`Bot ${h.fake.token}`);
    const body = put?.body as Json[];
    expect(body).toHaveLength(1);
    // Installation types and contexts are global-command fields: not sent to one server.
    expect(body[0]).not.toHaveProperty("integration_types");
    expect(body[0]).not.toHaveProperty("contexts");
    expect(body[0]).toMatchObject({
      name: "pyjs",
      type: 1,
      options: [{ name: "query", type: 3, autocomplete: true, required: false }],
    });
  });

  it("registers globally without --guild, and running it twice sends the same body", async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    const env = {
      DISCORD_TOKEN: h.fake.token,
      DISCORD_APPLICATION_ID: h.fake.applicationId,
      DISCORD_API_URL: h.fake.apiUrl,
    };
    expect(await discordRegister([], env, io)).toBe(0);
    expect(await discordRegister([], env, io)).toBe(0);
    const [a, b] = puts().slice(-2);
    expect(a?.path).toBe(`/applications/${h.fake.applicationId}/commands`);
    expect(b?.body).toEqual(a?.body);
    expect(a?.body).toEqual([JSON.parse(JSON.stringify(PYJS_COMMAND))]);
    // Both installation types (server, user account) and every context they are used in.
    expect(((a?.body ?? []) as Json[])[0]).toMatchObject({
      integration_types: [0, 1],
      contexts: [0, 1, 2],
    });
    expect(out).toEqual([
      "Registered /pyjs globally: in every server the bot is in, and for everyone who installs pyjs to their account.",
      "Registered /pyjs globally: in every server the bot is in, and for everyone who installs pyjs to their account.",
    ]);

    expect(await discordRegister(["--guild", h.fake.guildId], env, io)).toBe(0);
    expect(puts().at(-1)?.path).toContain(`/guilds/${h.fake.guildId}/`);
    expect(out.at(-1)).toBe(`Registered /pyjs in server ${h.fake.guildId}.`);
  });

  it("explains bad arguments and missing configuration", async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    const env = { DISCORD_TOKEN: h.fake.token, DISCORD_APPLICATION_ID: h.fake.applicationId };
    expect(await discordRegister(["--guild", "general"], env, io)).toBe(2);
    expect(out.at(-1)).toContain("--guild needs a server id");
    expect(await discordRegister(["--everywhere"], env, io)).toBe(2);
    expect(await discordRegister([], {}, io)).toBe(2);
    expect(out.at(-1)).toContain("DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set");
  });
});
