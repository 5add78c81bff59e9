import { stringify } from "yaml";

/** The OAuth redirect path (receiver.ts serves it in OAuth mode). */
export const REDIRECT_PATH = "/slack/oauth_redirect";

/** The one slash command; its text goes through the shared grammar. */
export const SLASH_COMMAND = "/pyjs";

/**
 * Bot scopes and what needs them: `commands` (/pyjs), `chat:write` (chat.postMessage,
 * chat.update), `chat:write.public` (the weekly board in a channel pyjs was not invited
 * to), `im:write` (conversations.open for the DM), `im:history` (message.im: typed
 * answers), `users:read` (users.info: time zone, admin, display name), `files:write`
 * (files.uploadV2: stats charts in the DM, the weekly board picture).
 */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "chat:write.public",
  "im:write",
  "im:history",
  "users:read",
  "files:write",
] as const;

/**
 * Events pyjs subscribes to. `app_uninstalled` and `tokens_revoked` (no scope needed)
 * tell an OAuth-installed pyjs that a workspace left.
 */
export const BOT_EVENTS = [
  "app_home_opened",
  "message.im",
  "app_uninstalled",
  "tokens_revoked",
] as const;

export const USAGE_HINT = "[term] | quiz | subscribe [HH:MM] [zone] | stats | leaderboard | help";

export interface ManifestOptions {
  /**
   * Public base URL (https://host) or full request URL for HTTP mode; Slack then posts
   * to {url}/slack/events. Without one the manifest is for Socket Mode.
   */
  url?: string | undefined;
  name?: string | undefined;
  /** OAuth installs (many workspaces): adds the redirect URL `{base}/slack/oauth_redirect`. */
  oauth?: boolean | undefined;
}

/** The request URL Slack posts to: `{base}/slack/events` unless a path was given. */
export function requestUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--url: "${url}" is not a URL (e.g. https://pyjs.example.com)`);
  }
  // Slack only sends events and interactions to https request URLs.
  if (u.protocol !== "https:")
    throw new Error(`--url: "${url}" must be an https:// URL (Slack requires https)`);
  if (u.pathname === "/" || u.pathname === "") u.pathname = "/slack/events";
  return u.toString();
}

/** Where Slack sends the browser back after "Allow": `{origin}/slack/oauth_redirect`. */
export function redirectUrl(url: string): string {
  return new URL(REDIRECT_PATH, requestUrl(url)).toString();
}

/** The Slack app manifest, as an object and as YAML to paste into "Create app from manifest". */
export function slackManifest(opts: ManifestOptions = {}): {
  manifest: Record<string, unknown>;
  yaml: string;
} {
  const url = opts.url ? requestUrl(opts.url) : undefined;
  if (opts.oauth && !opts.url)
    throw new Error(
      "--oauth needs --url: Slack sends installers back to {url}/slack/oauth_redirect",
    );
  const redirect = opts.oauth && opts.url ? { redirect_urls: [redirectUrl(opts.url)] } : {};
  const name = opts.name ?? "pyjs";
  const manifest = {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: "Spaced-repetition flashcards that teach JavaScript developers Python",
      long_description:
        "pyjs teaches JavaScript developers the Python ecosystem (pip is npm, venv is node_modules, pipx is npx, …) with a daily quiz in your DMs, scheduled with FSRS like modern Anki. Look a term up with /pyjs pip, start a quiz with /pyjs quiz, subscribe to a daily quiz at your local time with /pyjs subscribe, and keep it friendly with the team leaderboard.",
      background_color: "#306998",
    },
    features: {
      app_home: {
        home_tab_enabled: true,
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: false,
      },
      bot_user: { display_name: name, always_online: true },
      slash_commands: [
        {
          command: SLASH_COMMAND,
          ...(url ? { url } : {}),
          description: "Look up a Python term, or quiz, subscribe, stats, leaderboard",
          usage_hint: USAGE_HINT,
          should_escape: false,
        },
      ],
    },
    oauth_config: { ...redirect, scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: {
        ...(url ? { request_url: url } : {}),
        bot_events: [...BOT_EVENTS],
      },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !url,
      token_rotation_enabled: false,
    },
  };
  return { manifest, yaml: stringify(manifest, { lineWidth: 0 }) };
}

export const MANIFEST_USAGE = "usage: pyjs slack manifest [--url https://host [--oauth]] [--json]";

/**
 * `pyjs slack manifest [--url https://host [--oauth]] [--json]`: the manifest text to
 * print. With --url it is for HTTP mode (requests to {url}/slack/events), without for
 * Socket Mode; --oauth adds the OAuth redirect URL for installs into many workspaces.
 * Throws an Error with a usage message on bad arguments.
 */
export function printSlackManifest(args: string[]): string {
  let url: string | undefined;
  let json = false;
  let oauth = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--json") json = true;
    else if (a === "--oauth") oauth = true;
    else if (a === "--url") {
      url = args[++i];
      if (!url) throw new Error(`--url needs a value\n${MANIFEST_USAGE}`);
    } else if (a.startsWith("--url=")) url = a.slice("--url=".length);
    else throw new Error(`unknown argument: ${a}\n${MANIFEST_USAGE}`);
  }
  const { manifest, yaml } = slackManifest({ url, oauth });
  return json ? `${JSON.stringify(manifest, null, 2)}\n` : yaml;
}
