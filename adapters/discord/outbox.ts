import {
  type APIChannel,
  type APIMessage,
  type RawFile,
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
  const files = msg.files ?? [];
  return {
    ...(msg.content !== undefined ? { content: msg.content } : opts.edit ? { content: "" } : {}),
    embeds: msg.embeds,
    components: msg.components,
    // Attachment i is the multipart part files[i] (see restFiles); alt text as description.
    ...(files.length
      ? {
          attachments: files.map((f, id) => ({ id, filename: f.name, description: f.description })),
        }
      : {}),
    allowed_mentions: { parse: [] },
  };
}

/** A message's files as multipart parts for discord.js's REST client (`files[i]`). */
export function restFiles(msg: Rendered): { files?: RawFile[] } {
  const files = msg.files ?? [];
  return files.length
    ? {
        files: files.map((f) => ({
          name: f.name,
          data: f.data,
          contentType: f.contentType ?? "image/png",
        })),
      }
    : {};
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
      ...restFiles(msg),
    })) as APIMessage;
  }

  async edit(channelId: string, messageId: string, msg: Rendered): Promise<void> {
    await this.rest.patch(Routes.channelMessage(channelId, messageId), {
      body: messageBody(msg, { edit: true }),
      ...restFiles(msg),
    });
  }

  async channel(channelId: string): Promise<APIChannel> {
    return (await this.rest.get(Routes.channel(channelId))) as APIChannel;
  }
}
