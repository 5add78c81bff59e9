import type { Message } from "discord.js";
import type { App } from "../../../src/app/service.js";
import type { Clock } from "../../../src/core/clock.js";
import { actorOfMessage } from "../actor.js";
import type { DiscordMessenger } from "../messenger.js";
import { promptOf, renderPart } from "../render.js";

export interface MessageDeps {
  app: App;
  messenger: DiscordMessenger;
  now: Clock;
}

/**
 * Typed messages in the DM with the bot: an answer to the open question edits that
 * question's message into its result; anything else is answered in the DM.
 */
export class MessageListener {
  constructor(private readonly deps: MessageDeps) {}

  async onMessage(message: Message): Promise<void> {
    if (message.author.bot || message.system || message.webhookId || message.inGuild()) return;
    if (!message.content.trim()) return;
    const { app, messenger, now } = this.deps;
    const actor = actorOfMessage(message);
    const r = await app.handleMessage(actor, message.content, now(), { messageId: message.id });
    const dm = r.dm ?? [];
    let rest = dm;
    const first = dm[0];
    const promptId = first && first.kind !== "question" ? promptOf(first) : undefined;
    if (first && promptId && (await messenger.editPrompt(actor, promptId, renderPart(first)))) {
      rest = dm.slice(1);
    }
    const parts = [...r.parts.filter((p) => p.kind !== "sent-to-dm"), ...rest];
    if (parts.length) await messenger.sendParts(message.channelId, actor, parts, { inDm: true });
  }
}
