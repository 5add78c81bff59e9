import { webApi } from "@slack/bolt";
import { DeliveryError } from "../../src/app/messenger.js";

/** The code of the failure "this workspace has no pyjs installation (any more)". */
export const NOT_INSTALLED = "not_installed";

/**
 * The Web API client to use for a workspace. One bot token (SLACK_BOT_TOKEN): the same
 * client for every team. OAuth installs: a client holding the installing workspace's bot
 * token, so no request, DM or weekly post of one workspace ever carries another's token.
 */
export interface SlackClients {
  /** Throws a permanent DeliveryError ({@link NOT_INSTALLED}) when the team has no install. */
  forTeam(team: string): Promise<webApi.WebClient>;
  /** Drops what is remembered about a team (after an uninstall or a reinstall). */
  forget(team: string): void;
  /** The token the team's remembered client uses (OAuth), to tell a renewed install. */
  tokenInUse?(team: string): string | undefined;
}

/** Single-workspace mode: one client for everything. */
export function singleClient(client: webApi.WebClient): SlackClients {
  return { forTeam: async () => client, forget: () => {} };
}

/** Most workspaces whose client is remembered at once; past it the cache starts over. */
const MAX_CACHED = 10_000;

/**
 * Per-workspace clients for OAuth installs. A team's token is read from the installation
 * store at most every `ttlMs` (other processes may uninstall or reinstall meanwhile);
 * the client is reused while the token stays the same.
 */
export class InstalledClients implements SlackClients {
  private readonly cache = new Map<
    string,
    { token: string; client: webApi.WebClient; until: number }
  >();

  constructor(
    /** The team's bot token, or undefined when it has no installation. */
    private readonly botToken: (team: string) => Promise<string | undefined>,
    options: webApi.WebClientOptions,
    private readonly ttlMs = 30_000,
    /** Makes a workspace's client (the jobs' take from the shared rate budget). */
    private readonly make: (token: string, team: string) => webApi.WebClient = (token) =>
      new webApi.WebClient(token, options),
  ) {}

  async forTeam(team: string): Promise<webApi.WebClient> {
    const hit = this.cache.get(team);
    if (hit && hit.until > Date.now()) return hit.client;
    const token = await this.botToken(team);
    if (!token) {
      this.cache.delete(team);
      throw new DeliveryError(
        `pyjs is not installed in Slack workspace ${team}`,
        true,
        NOT_INSTALLED,
      );
    }
    const client = hit?.token === token ? hit.client : this.make(token, team);
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(team, { token, client, until: Date.now() + this.ttlMs });
    return client;
  }

  forget(team: string): void {
    this.cache.delete(team);
  }

  tokenInUse(team: string): string | undefined {
    return this.cache.get(team)?.token;
  }
}
