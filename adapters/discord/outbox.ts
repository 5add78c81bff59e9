import {
  type APIChannel,
  type APIMessage,
  type REST,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from "discord.js";
import type { Rendered } from "./render.js";

/** A message body for the REST API, mentions always off. */
export function messageBody(
  msg: Rendered,
  opts: { edit?: boolean } = {},
): RESTPostAPIChannelMessageJSONBody & RESTPatchAPIChannelMessageJSONBody {
  return {
    ...(msg.content !== undefined ? { content: msg.content } : opts.edit ? { content: "" } : {}),
    embeds: msg.embeds,
    components: msg.components,
    allowed_mentions: { parse: [] },
  };
}

/**
 * Messages the bot sends on its own (DMs, channel posts, edits of earlier messages), over
 * discord.js's REST client: shared rate limits, no gateway or cache needed, so it works the
 * same in `pyjs start` and in a `pyjs worker` that never logs in to the gateway.
 */
export class Outbox {
  constructor(private readonly rest: REST) {}

  async send(channelId: string, msg: Rendered): Promise<APIMessage> {
    return (await this.rest.post(Routes.channelMessages(channelId), {
      body: messageBody(msg),
    })) as APIMessage;
  }

  async edit(channelId: string, messageId: string, msg: Rendered): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channelId, messageId), {
      body: messageBody(msg, { edit: true }),
    });
  }

  async channel(channelId: string): Promise<APIChannel> {
    return (await this.rest.get(Routes.channel(channelId))) as APIChannel;
  }
}
