import {
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from "discord.js";
import type { Reply } from "../../../src/app/reply.js";
import type { App } from "../../../src/app/service.js";
import type { Action, Actor } from "../../../src/app/types.js";
import type { Clock } from "../../../src/core/clock.js";
import { MAX_INPUT } from "../../../src/core/text.js";
import type { Logger } from "../../../src/logger.js";
import { actorOf, inBotDm } from "../actor.js";
import { dmClosedText } from "../dm.js";
import { isDmClosed } from "../errors.js";
import { ANSWER_FIELD, type CustomId, customId, parseCustomId } from "../ids.js";
import type { DiscordMessenger } from "../messenger.js";
import { payload, promptOf, renderPart, renderParts } from "../render.js";
import { ComponentAck } from "./ack.js";
import { ephemeral, expired } from "./reply.js";

/** The modal the Answer button opens: one short text field. */
function answerModal(promptId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId.modal(promptId),
    title: "Your answer",
    components: [
      {
        type: ComponentType.Label,
        label: "Answer",
        description: "Right → Good, a small typo → Hard, wrong → Again.",
        component: {
          type: ComponentType.TextInput,
          custom_id: ANSWER_FIELD,
          style: TextInputStyle.Short,
          required: true,
          max_length: MAX_INPUT,
        },
      },
    ],
  };
}

/** What a Show / Rate / Erase / topic button asks the app to do. */
function actionOf(id: Exclude<CustomId, { kind: "modal" | "answer" }>): Action {
  if (id.kind === "forget") return { type: "forget-confirm" };
  if (id.kind === "right") return { type: "right", promptId: id.promptId };
  if (id.kind === "topic")
    return { type: "command", text: `topics ${id.on ? "add" : "remove"} ${id.deck}` };
  if (id.kind === "show") return { type: "show", promptId: id.promptId };
  if (id.kind === "undo" || id.kind === "skip" || id.kind === "suspend")
    return { type: id.kind, promptId: id.promptId };
  return { type: "rate", promptId: id.promptId, rating: id.rating };
}

export interface ComponentDeps {
  app: App;
  messenger: DiscordMessenger;
  log: Logger;
  now: Clock;
  /** How long the app may take before the acknowledgement is deferred (Discord: 3 s). */
  deferAfterMs: number;
}

/** Buttons (Answer, Show answer, ratings, Erase my data) and the answer modal. */
export class ComponentListener {
  constructor(private readonly deps: ComponentDeps) {}

  async onButton(i: ButtonInteraction): Promise<void> {
    const id = parseCustomId(i.customId);
    const actor = actorOf(i);
    if (!id || id.kind === "modal") {
      this.deps.log.info({ customId: i.customId.slice(0, 100), user: i.user.id }, "unknown button");
      await i.reply(expired());
      return;
    }
    if (id.kind === "answer") {
      await i.showModal(answerModal(id.promptId));
      return;
    }
    const work = this.deps.app.handleAction(actor, actionOf(id), this.deps.now());
    // Erase and a topic toggle answer in place: the list (or the erased notice) replaces
    // the message pressed, as Slack does; a refusal ("your last topic") comes ephemerally.
    const inPlace = (r: Reply) =>
      id.kind === "forget" || (id.kind === "topic" && r.parts.some((p) => p.kind === "topics"));
    await this.respond(i, actor, work, { inPlace });
  }

  async onModal(i: ModalSubmitInteraction): Promise<void> {
    const id = parseCustomId(i.customId);
    const actor = actorOf(i);
    if (id?.kind !== "modal") {
      await i.reply(expired());
      return;
    }
    let text = "";
    try {
      text = i.fields.getTextInputValue(ANSWER_FIELD);
    } catch {
      // A forged submission without the field reads as an empty answer.
    }
    const work = this.deps.app.handleAction(
      actor,
      { type: "answer", promptId: id.promptId, text: text.slice(0, MAX_INPUT) },
      this.deps.now(),
    );
    await this.respond(i, actor, work);
  }

  /**
   * Answers a button press or modal submission: a reveal or result replaces the message
   * the button was on; what is only for the asker goes ephemerally; the next card (or the
   * summary) is sent as new DMs; nothing at all is just acknowledged.
   */
  private async respond(
    i: ButtonInteraction | ModalSubmitInteraction,
    actor: Actor,
    work: Promise<Reply>,
    opts: { inPlace?: (r: Reply) => boolean } = {},
  ): Promise<void> {
    // Keep a rejection from being reported as unhandled while we acknowledge.
    work.catch(() => undefined);
    const ack = new ComponentAck(i);
    await ack.deferIfSlow(work, this.deps.deferAfterMs);
    const r = await work;
    const dm = r.dm ?? [];
    const first = dm[0];
    const head = first && promptOf(first) && first.kind !== "question" ? first : undefined;
    const rest = head ? dm.slice(1) : dm;
    const inDm = inBotDm(i);
    if (head && ack.canUpdate) {
      await ack.update(payload(renderPart(head), { edit: true }));
      if (r.parts.length) await i.followUp(ephemeral(renderParts(r.parts, { inDm })));
    } else if (opts.inPlace?.(r) && ack.canUpdate && r.parts.length) {
      await ack.update(payload(renderParts(r.parts, { inDm }), { edit: true }));
    } else if (r.parts.length || head) {
      const shown = head ? [...r.parts, head] : r.parts;
      await ack.reply(ephemeral(renderParts(shown, { inDm })));
    } else if (ack.canUpdate) {
      await ack.none();
    } else {
      await ack.reply(expired());
    }
    if (rest.length) await this.sendRest(i, actor, rest);
  }

  /** The next card (or summary) as new DMs; a follow-up explains when DMs are closed. */
  private async sendRest(
    i: ButtonInteraction | ModalSubmitInteraction,
    actor: Actor,
    rest: NonNullable<Reply["dm"]>,
  ): Promise<void> {
    try {
      await this.deps.messenger.sendToUser(i.user.id, actor, rest);
    } catch (err) {
      if (!isDmClosed(err)) throw err;
      await i.followUp(ephemeral(renderParts([dmClosedText(i.guild?.name)])));
    }
  }
}
