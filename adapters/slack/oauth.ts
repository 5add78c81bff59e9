import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  type InstallURLOptions,
  type StateStore,
  webApi,
} from "@slack/bolt";
import { PyjsError } from "../../src/errors.js";
import type { Logger } from "../../src/logger.js";
import type { InstallationRecords, OAuthStates } from "../../src/store/installations.js";

/**
 * Slack OAuth v2 for many workspaces: the `state` store (one use each), the installation
 * store (Bolt's interface over encrypted records in Redis) and the pages the browser sees
 * at the end of an install.
 */

/** How long an "Add to Slack" click may take to come back (Bolt's cookie lives as long). */
export const STATE_TTL_SECONDS = 600;

/** Bolt's error code for a state that does not verify (it answers those with 400). */
const INVALID_STATE = "slack_oauth_invalid_state";

class OAuthStateError extends PyjsError {
  constructor(message: string) {
    super(INVALID_STATE, message);
  }
}

const sign = (secret: string, id: string) =>
  createHmac("sha256", secret).update(id).digest("base64url");

/**
 * `state` = `{random id}.{HMAC(SLACK_STATE_SECRET, id)}`; the install options wait in
 * Redis under the id and are taken once, so a state (and the redirect carrying it)
 * cannot be replayed, and one made up without the secret is refused before Redis is asked.
 */
export function redisStateStore(states: OAuthStates, secret: string): StateStore {
  return {
    async generateStateParam(options: InstallURLOptions): Promise<string> {
      const id = randomBytes(18).toString("base64url");
      await states.put(id, JSON.stringify(options), STATE_TTL_SECONDS);
      return `${id}.${sign(secret, id)}`;
    },
    async verifyStateParam(_now: Date, state: string): Promise<InstallURLOptions> {
      const [id, mac, ...rest] = state.split(".");
      const want = id ? Buffer.from(sign(secret, id)) : Buffer.alloc(0);
      const got = Buffer.from(mac ?? "");
      if (!id || rest.length || got.length !== want.length || !timingSafeEqual(got, want))
        throw new OAuthStateError("the state parameter is not one pyjs signed");
      const options = await states.take(id);
      if (!options) throw new OAuthStateError("the state parameter expired or was already used");
      return JSON.parse(options) as InstallURLOptions;
    },
  };
}

/** An org-wide (Enterprise Grid) install: pyjs keeps learners and boards per workspace. */
export const isOrgInstall = (i: { isEnterpriseInstall?: boolean | undefined; team?: unknown }) =>
  Boolean(i.isEnterpriseInstall) || !(i.team as { id?: string } | undefined)?.id;

const orgRefused = () =>
  new PyjsError(
    "enterprise_install",
    "pyjs is installed per workspace; org-wide (Enterprise Grid) installs are not supported",
  );

/** Bolt's InstallationStore over {@link InstallationRecords}: one sealed record per workspace. */
export function redisInstallationStore(records: InstallationRecords): InstallationStore {
  return {
    async storeInstallation(installation) {
      if (isOrgInstall(installation) || !installation.team) throw orgRefused();
      await records.put(installation.team.id, installation, {
        teamName: installation.team.name,
        installedBy: installation.user.id,
        installedAt: Date.now(),
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      if (query.isEnterpriseInstall || !query.teamId) throw orgRefused();
      const found = (await records.get(query.teamId)) as Installation | undefined;
      if (!found) throw new PyjsError("not_installed", `no installation for team ${query.teamId}`);
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      if (query.teamId) await records.delete(query.teamId);
    },
  };
}

/** The bot token of a workspace's stored installation, or undefined without one. */
export async function botTokenOf(
  records: InstallationRecords,
  team: string,
): Promise<string | undefined> {
  return ((await records.get(team)) as Installation | undefined)?.bot?.token;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** A small HTML page (the person installing is in a browser); `body` is HTML already. */
function page(title: string, body: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:sans-serif;max-width:36em;margin:3em auto"><h1>${escapeHtml(title)}</h1>` +
    `<p>${body}</p></body></html>`
  );
}

export function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(page(title, body));
}

/** GET /slack/install: what pyjs is, and the Add to Slack button (Slack's authorize URL). */
export function installPage(authorizeUrl: string): string {
  return page(
    "Add pyjs to Slack",
    "pyjs teaches JavaScript developers the Python ecosystem with spaced-repetition flashcards: " +
      "look terms up with <code>/pyjs pip</code>, get a daily quiz in your DMs, and keep a friendly team leaderboard.</p>" +
      `<p><a href="${escapeHtml(authorizeUrl)}"><img alt="Add to Slack" height="40" width="139" ` +
      'src="https://platform.slack-edge.com/img/add_to_slack.png" ' +
      'srcset="https://platform.slack-edge.com/img/add_to_slack.png 1x, https://platform.slack-edge.com/img/add_to_slack@2x.png 2x"></a>',
  );
}

/** The status and the sentence for a failed install: 4xx for what the browser brought. */
export function installFailure(err: { code?: string; data?: { error?: string } }): {
  status: number;
  reason: string;
} {
  const slack = err.code === webApi.ErrorCode.PlatformError ? err.data?.error : undefined;
  if (err.code === "slack_oauth_missing_state" || err.code === INVALID_STATE)
    return { status: 400, reason: "the install link expired or was already used" };
  if (err.code === "slack_oauth_missing_code")
    return { status: 400, reason: "Slack sent no authorization code" };
  if (err.code === "slack_oauth_authorization_error")
    return { status: 403, reason: "the installation was cancelled" };
  if (slack === "invalid_code" || slack === "code_already_used" || slack === "bad_redirect_uri")
    return { status: 400, reason: `Slack refused the authorization code (${slack})` };
  return { status: 500, reason: "something went wrong on our side" };
}

export interface InstallHooks {
  log: Logger;
  /** The API the installer's clients talk to (SLACK_API_URL). */
  clientOptions: webApi.WebClientOptions;
  /** After a workspace's installation is stored: resume what its removal paused. */
  installed(team: string): Promise<void>;
}

/** Gives back the token of an install pyjs refuses (org-wide), so nothing is left granted. */
async function revoke(token: string | undefined, hooks: InstallHooks): Promise<void> {
  if (!token) return;
  try {
    const client = new webApi.WebClient(token, hooks.clientOptions);
    await client.auth.revoke();
  } catch (err) {
    hooks.log.warn({ err: String(err) }, "could not revoke the refused org-wide install's token");
  }
}

/** Bolt's callbackOptions: refuse org-wide installs, resume on success, explain failures. */
export function installCallbacks(hooks: InstallHooks) {
  return {
    afterInstallation: async (
      installation: Installation,
      _options: InstallURLOptions,
      _req: IncomingMessage,
      res: ServerResponse,
    ): Promise<boolean> => {
      if (!isOrgInstall(installation)) return true;
      await revoke(installation.bot?.token, hooks);
      hooks.log.warn({ enterprise: installation.enterprise?.id }, "refused an org-wide install");
      sendPage(
        res,
        403,
        "pyjs installs per workspace",
        "Org-wide (Enterprise Grid) installs are not supported: learners, leaderboards and answers stay inside one workspace. Install pyjs into each workspace instead.",
      );
      return false;
    },
    successAsync: async (
      installation: Installation,
      _options: InstallURLOptions,
      _req: IncomingMessage,
      res: ServerResponse,
    ): Promise<void> => {
      const team = installation.team?.id ?? "";
      await hooks.installed(team);
      hooks.log.info(
        { team, installedBy: installation.user.id },
        "pyjs installed in a Slack workspace",
      );
      const name = escapeHtml(installation.team?.name ?? team);
      const open = `slack://app?team=${encodeURIComponent(team)}&id=${encodeURIComponent(installation.appId ?? "")}`;
      sendPage(
        res,
        200,
        "pyjs is installed",
        `pyjs is now in <b>${name}</b>. <a href="${escapeHtml(open)}">Open it in Slack</a> and type <code>/pyjs help</code>, or <code>/pyjs subscribe</code> for a daily quiz.`,
      );
    },
    failureAsync: async (
      err: { code?: string; data?: { error?: string } },
      _options: InstallURLOptions,
      _req: IncomingMessage,
      res: ServerResponse,
    ): Promise<void> => {
      const { status, reason } = installFailure(err);
      hooks.log.warn({ code: err.code, slack: err.data?.error, status }, "Slack install failed");
      sendPage(
        res,
        status,
        "pyjs was not installed",
        `${escapeHtml(reason)}. <a href="/slack/install">Start again</a>.`,
      );
    },
  };
}
