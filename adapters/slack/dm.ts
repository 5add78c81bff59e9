import { DeliveryError } from "../../src/app/messenger.js";
import type { SlackClients } from "./clients.js";
import { slackErrorCode } from "./errors.js";

/** Most DM channels remembered at once; past it the cache starts over. */
const MAX_CACHED = 10_000;

/** Errors that say a remembered DM channel has gone away: open it again, once. */
const GONE = new Set(["channel_not_found", "is_archived"]);

/** Where DM channel ids outlive the process: the learner's settings (`dmChannel`). */
export interface DmChannelStore {
  dmChannel(learner: string): Promise<string | undefined>;
  rememberDmChannel(learner: string, channel: string): Promise<void>;
}

/**
 * Each person's DM channel with the bot, opened once with conversations.open (Tier 3,
 * about 50 a minute per workspace, with that workspace's token) and then remembered: in
 * memory per workspace and person, and with a learner id also in the learner's settings,
 * so a delivery after a restart is one chat.postMessage.
 */
export class DmChannels {
  private readonly channels = new Map<string, string>();

  constructor(
    private readonly clients: SlackClients,
    private readonly store?: DmChannelStore,
  ) {}

  /** The DM channel: remembered, else stored for the learner, else opened (and stored). */
  async open(team: string, user: string, learner?: string): Promise<string> {
    return (await this.remembered(team, user, learner)) ?? this.reopen(team, user, learner);
  }

  /**
   * Runs `send` with the person's DM channel; when a remembered channel has gone away
   * (`channel_not_found`, `is_archived`) it is opened again, once, and `send` retried.
   */
  async send<T>(
    team: string,
    user: string,
    learner: string,
    send: (channel: string) => Promise<T>,
  ): Promise<T> {
    const known = await this.remembered(team, user, learner);
    if (!known) return send(await this.reopen(team, user, learner));
    try {
      return await send(known);
    } catch (err) {
      if (!GONE.has(slackErrorCode(err))) throw err;
      this.channels.delete(`${team}:${user}`);
      return send(await this.reopen(team, user, learner));
    }
  }

  private async remembered(
    team: string,
    user: string,
    learner: string | undefined,
  ): Promise<string | undefined> {
    const known = this.channels.get(`${team}:${user}`);
    if (known) return known;
    const stored = learner ? await this.store?.dmChannel(learner) : undefined;
    return stored ? this.cache(team, user, stored) : undefined;
  }

  private async reopen(team: string, user: string, learner: string | undefined): Promise<string> {
    const client = await this.clients.forTeam(team);
    const res = await client.conversations.open({ users: user });
    const id = res.channel?.id;
    if (!id) throw new DeliveryError("conversations.open returned no channel", false, "no_channel");
    if (learner) await this.store?.rememberDmChannel(learner, id);
    return this.cache(team, user, id);
  }

  private cache(team: string, user: string, id: string): string {
    if (this.channels.size >= MAX_CACHED) this.channels.clear();
    this.channels.set(`${team}:${user}`, id);
    return id;
  }
}

/** DM channel ids start with D (public C, private G). */
export const isImChannel = (id: string | undefined): id is string => Boolean(id?.startsWith("D"));
