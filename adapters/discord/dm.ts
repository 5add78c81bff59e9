import {
  type APIChannel,
  DiscordAPIError,
  type REST,
  RESTJSONErrorCodes,
  Routes,
} from "discord.js";
import type { Part } from "../../src/app/reply.js";
import { escapeMd } from "./render.js";

/** How many user -> DM channel ids are kept (the call that finds one is idempotent). */
const DM_CACHE = 10_000;

/** Where DM channel ids outlive the process: the learner's settings (`dmChannel`). */
export interface DmChannelStore {
  dmChannel(learner: string): Promise<string | undefined>;
  rememberDmChannel(learner: string, channel: string): Promise<void>;
}

/** Discord's answer for a channel that is gone (10003 Unknown Channel). */
const isGone = (err: unknown) =>
  err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownChannel;

/**
 * DM channels with users, opened over REST and remembered in memory (oldest forgotten
 * first) and in the learner's settings, so a delivery to someone seen before costs one
 * request, not two, after a restart too.
 */
export class DmChannels {
  private readonly byUser = new Map<string, string>();

  constructor(
    private readonly rest: REST,
    private readonly store?: DmChannelStore,
  ) {}

  /** The DM channel with a user: remembered, stored for the learner, else opened. */
  async open(userId: string, learner?: string): Promise<string> {
    return (await this.remembered(userId, learner)) ?? this.reopen(userId, learner);
  }

  /** Runs `send` on the DM channel; a remembered channel that is gone is opened again once. */
  async send<T>(
    userId: string,
    learner: string,
    send: (channel: string) => Promise<T>,
  ): Promise<T> {
    const known = await this.remembered(userId, learner);
    if (!known) return send(await this.reopen(userId, learner));
    try {
      return await send(known);
    } catch (err) {
      if (!isGone(err)) throw err;
      this.byUser.delete(userId);
      return send(await this.reopen(userId, learner));
    }
  }

  private async remembered(userId: string, learner?: string): Promise<string | undefined> {
    const hit = this.byUser.get(userId);
    if (hit) return hit;
    const stored = learner ? await this.store?.dmChannel(learner) : undefined;
    return stored ? this.remember(userId, stored) : undefined;
  }

  /** POST /users/@me/channels (returns the existing DM channel when there is one). */
  private async reopen(userId: string, learner?: string): Promise<string> {
    const ch = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    if (learner) await this.store?.rememberDmChannel(learner, ch.id);
    return this.remember(userId, ch.id);
  }

  private remember(userId: string, id: string): string {
    if (this.byUser.size >= DM_CACHE) {
      const oldest = this.byUser.keys().next().value;
      if (oldest !== undefined) this.byUser.delete(oldest);
    }
    this.byUser.set(userId, id);
    return id;
  }
}
/** What a user whose DMs are closed to the bot is told instead of their quiz. */
export function dmClosedText(server: string | undefined): Part {
  const where = server ? `**${escapeMd(server)}**` : "the server";
  return {
    kind: "text",
    text: `I can't send you direct messages, so the quiz could not start. To allow them, open ${where} → **Privacy Settings** and turn on **Direct Messages**, then run \`/pyjs quiz\` again.`,
  };
}

/** What a Discord user who subscribed is told when the bot cannot DM them (not subscribed). */
export function subscribeDmClosedText(): Part {
  return {
    kind: "text",
    text: "I can't send you direct messages, so I haven't subscribed you: Discord lets me DM you only when you share a server with me or installed pyjs to your account, and allow direct messages from it (**User Settings → Content & Social → Direct Messages**, or the server's **Privacy Settings**). Allow them, then `/pyjs subscribe` again. Lookups and `/pyjs quiz` work here meanwhile.",
  };
}
