import { DeliveryError } from "../../src/app/messenger.js";
import type { ChartImage, Part } from "../../src/app/reply.js";
import type { App } from "../../src/app/service.js";
import type { Actor } from "../../src/app/types.js";
import type { Metrics } from "../../src/metrics.js";
import { renderMessage, type SlackMessage } from "./blocks.js";
import { type ChartUploads, slackImages } from "./charts.js";
import type { SlackClients } from "./clients.js";
import { slackErrorCode } from "./errors.js";
import { slackExports, uploadExport } from "./export.js";
import { renderContext, teamOf } from "./people.js";

/** A posted message: its channel and timestamp. */
export interface Ref {
  channel: string;
  ts: string;
}

/** A prompt's stored ref (`{channel}:{ts}`) read back. */
function parseRef(ref: string | undefined): Ref | undefined {
  if (!ref) return undefined;
  const i = ref.indexOf(":");
  return i > 0 && i < ref.length - 1
    ? { channel: ref.slice(0, i), ts: ref.slice(i + 1) }
    : undefined;
}

/** Errors from chat.update that mean "post it anew instead". */
const UPDATE_FALLBACK = new Set([
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "channel_not_found",
]);

/**
 * Posts and updates messages (each with its workspace's client), and lays reply parts
 * out as DM messages.
 */
export class Sender {
  constructor(
    private readonly clients: SlackClients,
    private readonly app: App,
    private readonly metrics: Metrics,
    /** Uploads chart pictures (absent: text only). */
    private readonly uploads?: ChartUploads,
  ) {}

  /** Uploads `export` files (review-log CSVs) of `parts` into a conversation. */
  async uploadExports(team: string, channel: string, parts: Part[]): Promise<void> {
    const files = slackExports(parts);
    if (!files.length) return;
    const client = await this.clients.forTeam(team);
    for (const file of files) await uploadExport(client, channel, file);
  }

  /** Uploads chart pictures into a conversation; false when Slack refused (logged). */
  async uploadImages(team: string, channel: string, images: ChartImage[]): Promise<boolean> {
    return (await this.uploads?.upload(team, channel, images)) ?? false;
  }

  async post(team: string, channel: string, msg: SlackMessage): Promise<string> {
    const client = await this.clients.forTeam(team);
    const res = await client.chat.postMessage({
      channel,
      ...(msg.blocks.length ? { blocks: msg.blocks } : {}),
      text: msg.text,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts) throw new DeliveryError("chat.postMessage returned no ts", false, "no_ts");
    return res.ts;
  }

  /** Updates a message in place; false when it is gone and should be posted anew. */
  async update(team: string, ref: Ref, msg: SlackMessage): Promise<boolean> {
    const client = await this.clients.forTeam(team);
    try {
      await client.chat.update({
        channel: ref.channel,
        ts: ref.ts,
        blocks: msg.blocks,
        text: msg.text,
      });
      return true;
    } catch (err) {
      if (UPDATE_FALLBACK.has(slackErrorCode(err))) return false;
      throw err;
    }
  }

  /**
   * Parts for the learner's DM: each question is its own message (remembered as the
   * prompt's ref), a reveal or result replaces its question's message, anything else is
   * grouped into one message. `origin` is the message a button was pressed on.
   */
  async deliver(actor: Actor, channel: string, parts: Part[], origin?: Ref): Promise<void> {
    let pending: Part[] = [];
    const flush = async () => {
      const msg = renderMessage(pending, renderContext(actor));
      pending = [];
      if (msg) await this.post(teamOf(actor), channel, msg);
    };
    for (const part of parts) {
      if (part.kind === "question") {
        // A daily greeting shares the question's message: one delivery, one message, so
        // a retried delivery can never repeat half of it.
        const lead = pending;
        pending = [];
        await this.ask(actor, channel, [...lead, part], part.question.promptId);
      } else if (part.kind === "reveal" || part.kind === "result") {
        await flush();
        await this.replace(actor, channel, part, origin);
      } else {
        pending.push(part);
        // A leech note keeps its own message: the next question's is replaced when answered.
        if (part.kind === "leech") await flush();
      }
    }
    await flush();
    // Stats charts follow their text in the same conversation.
    const images = slackImages(parts);
    if (images.length) await this.uploadImages(teamOf(actor), channel, images);
    await this.uploadExports(teamOf(actor), channel, parts);
  }

  /** Posts a question (with whatever leads it) and remembers where it is. */
  private async ask(actor: Actor, channel: string, parts: Part[], promptId: string) {
    const msg = renderMessage(parts, renderContext(actor)) as SlackMessage;
    const ts = await this.post(teamOf(actor), channel, msg);
    await this.app.rememberPromptRef(actor, promptId, `${channel}:${ts}`);
    this.metrics.promptsSent.inc({ platform: "slack" });
  }

  /** Shows a reveal or result in place of its question, or anew when that message is gone. */
  private async replace(
    actor: Actor,
    channel: string,
    part: Extract<Part, { kind: "reveal" | "result" }>,
    origin: Ref | undefined,
  ) {
    const promptId = part.kind === "reveal" ? part.question.promptId : part.result.promptId;
    const msg = renderMessage([part], renderContext(actor)) as SlackMessage;
    const ref = parseRef(await this.app.promptRef(actor, promptId)) ?? origin;
    if (ref && (await this.update(teamOf(actor), ref, msg))) return;
    const ts = await this.post(teamOf(actor), channel, msg);
    await this.app.rememberPromptRef(actor, promptId, `${channel}:${ts}`);
  }
}
