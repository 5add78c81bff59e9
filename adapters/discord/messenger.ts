import { DeliveryError, type Messenger } from "../../src/app/messenger.js";
import type { Part } from "../../src/app/reply.js";
import type { App } from "../../src/app/service.js";
import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";
import type { Logger } from "../../src/logger.js";
import type { Metrics } from "../../src/metrics.js";
import type { DmChannels } from "./dm.js";
import { errInfo, toDeliveryError } from "./errors.js";
import type { Outbox } from "./outbox.js";
import { type RenderContext, type Rendered, renderParts, splitMessages } from "./render.js";

export interface MessengerDeps {
  app: App;
  outbox: Outbox;
  dms: DmChannels;
  log: Logger;
  metrics?: Metrics | undefined;
}

/**
 * Messages the bot sends on its own: replies as new messages (one per question, whose
 * place is remembered so a typed answer can edit it), and the Messenger port the jobs use
 * (daily deliveries, weekly boards). REST only, so it works without the gateway.
 */
export class DiscordMessenger implements Messenger {
  readonly platform = "discord" as const;

  constructor(private readonly deps: MessengerDeps) {}

  /** Sends parts as messages (one per question), remembering where each question is. */
  async sendParts(
    channelId: string,
    actor: Actor | undefined,
    parts: Part[],
    ctx: RenderContext = {},
  ): Promise<void> {
    const { app, outbox, metrics } = this.deps;
    for (const msg of splitMessages(parts)) {
      const sent = await outbox.send(channelId, renderParts(msg.parts, ctx));
      if (msg.promptId && actor) {
        await app.rememberPromptRef(actor, msg.promptId, `${sent.channel_id}:${sent.id}`);
        if (msg.parts.some((x) => x.kind === "question")) {
          metrics?.promptsSent.inc({ platform: "discord" });
        }
      }
    }
  }

  /** Sends parts to a user's DMs (nothing at all when there are none). */
  async sendToUser(userId: string, actor: Actor, parts: Part[]): Promise<void> {
    if (parts.length === 0) return;
    await this.deps.dms.send(userId, actor.learner, (channel) =>
      this.sendParts(channel, actor, parts, { inDm: true }),
    );
  }

  /** Edits the message showing a prompt (found by the ref saved when it was sent). */
  async editPrompt(actor: Actor, promptId: string, rendered: Rendered): Promise<boolean> {
    const ref = await this.deps.app.promptRef(actor, promptId);
    const [channelId, messageId] = ref?.split(":") ?? [];
    if (!channelId || !messageId) return false;
    try {
      await this.deps.outbox.edit(channelId, messageId, rendered);
      return true;
    } catch (err) {
      this.deps.log.warn({ err: errInfo(err), promptId }, "could not edit the question message");
      return false;
    }
  }

  // --- the Messenger port (daily deliveries, weekly leaderboards) -----------------------

  async sendDm(id: string, parts: Part[]): Promise<void> {
    const who = learner.parse(id);
    if (who?.platform !== "discord")
      throw new DeliveryError(`not a Discord learner: ${id}`, true, "learner");
    try {
      await this.sendToUser(who.user, { learner: id, platform: "discord" }, parts);
    } catch (err) {
      throw toDeliveryError(err);
    }
  }

  async postToChannel(tenant: string, channelId: string, parts: Part[]): Promise<void> {
    try {
      const channel = await this.deps.outbox.channel(channelId);
      if (!("guild_id" in channel) || channel.guild_id !== tenant)
        throw new DeliveryError(`channel ${channelId} is not in server ${tenant}`, true, "tenant");
      await this.sendParts(channelId, undefined, parts);
    } catch (err) {
      throw toDeliveryError(err);
    }
  }
}
