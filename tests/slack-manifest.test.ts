import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  BOT_EVENTS,
  BOT_SCOPES,
  printSlackManifest,
  SLASH_COMMAND,
  slackManifest,
} from "../adapters/slack/manifest.js";

const DIR = fileURLToPath(new URL("../adapters/slack/", import.meta.url));
/** Every source file of the adapter, listeners and renderers included. */
const SOURCE = readdirSync(DIR, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(`${DIR}${f}`, "utf8"))
  .join("\n");

/** The bot scope each Web API method pyjs calls needs (views.publish needs none). */
const METHOD_SCOPES: Record<string, string[]> = {
  // The start-up token check (no scope needed).
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "chat.update": ["chat:write"],
  "conversations.open": ["im:write"],
  "users.info": ["users:read"],
  "views.publish": [],
  "files.uploadV2": ["files:write"],
  // Giving back the token of a refused org-wide install (no scope needed).
  "auth.revoke": [],
};
/** The manifest event and scope each Bolt event listener needs. */
const EVENT_NEEDS: Record<string, { event: string; scopes: string[] }> = {
  message: { event: "message.im", scopes: ["im:history"] },
  app_home_opened: { event: "app_home_opened", scopes: [] },
  app_uninstalled: { event: "app_uninstalled", scopes: [] },
  tokens_revoked: { event: "tokens_revoked", scopes: [] },
};

interface Manifest {
  features: {
    app_home: Record<string, boolean>;
    slash_commands: { command: string; url?: string; usage_hint: string }[];
  };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

describe("the Slack app manifest", () => {
  it("is YAML for Socket Mode without --url", () => {
    const m = parse(printSlackManifest([])) as Manifest;
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(m.settings.event_subscriptions.request_url).toBeUndefined();
    expect(m.settings.interactivity).toEqual({ is_enabled: true });
    expect(m.features.slash_commands[0]?.url).toBeUndefined();
    expect(m.features.app_home).toMatchObject({
      home_tab_enabled: true,
      messages_tab_enabled: true,
    });
  });

  it("points every request URL at /slack/events with --url", () => {
    for (const args of [
      ["--url", "https://pyjs.example.com"],
      ["--url=https://pyjs.example.com/"],
    ]) {
      const m = parse(printSlackManifest(args)) as Manifest;
      const url = "https://pyjs.example.com/slack/events";
      expect(m.settings.socket_mode_enabled).toBe(false);
      expect(m.features.slash_commands[0]?.url).toBe(url);
      expect(m.settings.event_subscriptions.request_url).toBe(url);
      expect(m.settings.interactivity.request_url).toBe(url);
    }
    const custom = parse(printSlackManifest(["--url", "https://h.example/bots/slack"])) as Manifest;
    expect(custom.settings.interactivity.request_url).toBe("https://h.example/bots/slack");
  });

  it("adds the OAuth redirect URL with --oauth (and needs --url for it)", () => {
    const m = parse(
      printSlackManifest(["--url", "https://pyjs.example.com", "--oauth"]),
    ) as Manifest;
    expect(m.oauth_config.redirect_urls).toEqual(["https://pyjs.example.com/slack/oauth_redirect"]);
    expect(m.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_uninstalled", "tokens_revoked"]),
    );
    const plain = parse(printSlackManifest(["--url", "https://pyjs.example.com"])) as Manifest;
    expect(plain.oauth_config.redirect_urls).toBeUndefined();
    expect(() => printSlackManifest(["--oauth"])).toThrow(/--oauth needs --url/);
  });

  it("prints the same manifest as JSON with --json", () => {
    expect(JSON.parse(printSlackManifest(["--json"]))).toEqual(slackManifest().manifest);
  });

  it("rejects bad arguments with the usage", () => {
    expect(() => printSlackManifest(["--url"])).toThrow(/usage: pyjs slack manifest/);
    expect(() => printSlackManifest(["--url", "not a url"])).toThrow(/not a URL/);
    expect(() => printSlackManifest(["--url", "ftp://x"])).toThrow(/https/);
    expect(() => printSlackManifest(["--nope"])).toThrow(/unknown argument/);
  });

  it("names every command, scope and event the adapter's code uses", () => {
    const m = parse(slackManifest({ url: "https://x.example" }).yaml) as Manifest;
    const scopes = new Set(m.oauth_config.scopes.bot);
    const events = new Set(m.settings.event_subscriptions.bot_events);

    expect(SOURCE).toContain("bolt.command(SLASH_COMMAND");
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([SLASH_COMMAND]);
    expect(m.features.slash_commands[0]?.usage_hint).toMatch(/quiz/);
    expect(scopes.has("commands")).toBe(true);

    const methods = new Set(
      [...SOURCE.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((x) => `${x[1]}.${x[2]}`),
    );
    expect([...methods].sort()).toEqual(Object.keys(METHOD_SCOPES).sort());
    for (const method of methods)
      for (const scope of METHOD_SCOPES[method] ?? ["unknown"])
        expect(scopes, method).toContain(scope);

    const listened = [...SOURCE.matchAll(/bolt\.event\("([\w.]+)"/g)].map((x) => x[1] ?? "");
    expect(listened.sort()).toEqual(Object.keys(EVENT_NEEDS).sort());
    for (const name of listened) {
      const need = EVENT_NEEDS[name];
      expect(events, name).toContain(need?.event);
      for (const scope of need?.scopes ?? []) expect(scopes, name).toContain(scope);
    }
    expect(SOURCE).toContain("bolt.action(");
    expect(m.settings.interactivity.is_enabled).toBe(true);

    expect([...scopes].sort()).toEqual([...BOT_SCOPES].sort());
    expect([...events].sort()).toEqual([...BOT_EVENTS].sort());
  });
});
