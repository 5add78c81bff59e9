import type { webApi } from "@slack/bolt";
import { DeliveryError } from "../../src/app/messenger.js";

/** Most DM channels remembered at once; past it the cache starts over. */
const MAX_CACHED = 10_000;

/** Each person's DM channel with the bot, opened once with conversations.open. */
export class DmChannels {
  private readonly channels = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  async open(user: string): Promise<string> {
    const known = this.channels.get(user);
    if (known) return known;
    const res = await this.client.conversations.open({ users: user });
    const id = res.channel?.id;
    if (!id) throw new DeliveryError("conversations.open returned no channel", false, "no_channel");
    if (this.channels.size >= MAX_CACHED) this.channels.clear();
    this.channels.set(user, id);
    return id;
  }
}

/** DM channel ids start with D (public C, private G). */
export const isImChannel = (id: string | undefined): id is string => Boolean(id?.startsWith("D"));
