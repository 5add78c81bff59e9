import type {
  ButtonInteraction,
  InteractionEditReplyOptions,
  InteractionReplyOptions,
  InteractionUpdateOptions,
  ModalSubmitInteraction,
} from "discord.js";
import { EPHEMERAL } from "./reply.js";

/** Resolves true when `p` settles within `ms`, false otherwise (never rejects). */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    p.then(done, done);
  });
}

type Component = ButtonInteraction | ModalSubmitInteraction;

/**
 * How a button press or modal submission is answered: at once when the app is quick, or
 * deferred first when it is slow (Discord allows 3 s) — then the same three calls (edit
 * the message the component is on, answer only the asker, or nothing) either way.
 */
export class ComponentAck {
  private deferred: "update" | "reply" | undefined;

  constructor(private readonly i: Component) {}

  /** Defers the acknowledgement unless `work` settles within `ms`. */
  async deferIfSlow(work: Promise<unknown>, ms: number): Promise<void> {
    if (await settlesWithin(work, ms)) return;
    if (this.i.isButton() || this.i.isFromMessage()) {
      await this.i.deferUpdate();
      this.deferred = "update";
    } else {
      await this.i.deferReply({ flags: EPHEMERAL });
      this.deferred = "reply";
    }
  }

  /** Replaces the message the component is on. */
  async update(body: InteractionUpdateOptions & InteractionEditReplyOptions): Promise<void> {
    const i = this.i;
    if (this.deferred) await i.editReply(body);
    else if (i.isButton() || i.isFromMessage()) await i.update(body);
    else throw new Error("only a component on a message can replace it (check canUpdate)");
  }

  /** Answers only the asker (the body carries the ephemeral flag). */
  async reply(body: InteractionReplyOptions): Promise<void> {
    if (this.deferred === "reply") await this.i.editReply(body as InteractionEditReplyOptions);
    else if (this.deferred) await this.i.followUp(body);
    else await this.i.reply(body);
  }

  /** Acknowledges without changing anything. */
  async none(): Promise<void> {
    if (!this.deferred) await this.i.deferUpdate();
  }

  get canUpdate(): boolean {
    return this.i.isButton() || this.i.isFromMessage();
  }
}
