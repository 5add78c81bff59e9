import { type Client, Events, type Interaction, type Message } from "discord.js";
import type { Logger } from "../../../src/logger.js";
import { errInfo } from "../errors.js";
import { NO_MENTIONS } from "../render.js";
import type { CommandListener } from "./commands.js";
import type { ComponentListener } from "./components.js";
import { apologyFor, guard } from "./guard.js";
import type { MessageListener } from "./messages.js";
import { expired } from "./reply.js";

export interface Listeners {
  commands: CommandListener;
  components: ComponentListener;
  messages: MessageListener;
  log: Logger;
}

const ours = (customId: string) => customId.startsWith("pyjs:");

/**
 * Typing in an option: pyjs's suggestions, or none (for another command, or when
 * building them failed), so Discord never waits out its 3 s.
 */
async function suggest(i: Interaction, commands: CommandListener, log: Logger): Promise<void> {
  if (!i.isAutocomplete()) return;
  try {
    if (i.commandName === "pyjs") return await commands.onAutocomplete(i);
  } catch (err) {
    log.warn({ err: errInfo(err), interaction: i.id }, "autocomplete failed");
  }
  if (!i.responded)
    await i.respond([]).catch((err: unknown) => {
      log.warn({ err: errInfo(err), interaction: i.id }, "could not answer autocomplete");
    });
}

/**
 * Any other interaction (an old or forged button, a select menu, a modal or command that
 * is not pyjs's): the ephemeral "expired" answer instead of Discord's "interaction failed".
 */
async function notOurs(i: Interaction, log: Logger): Promise<void> {
  if (!i.isRepliable()) return;
  const what = i.isMessageComponent() || i.isModalSubmit() ? i.customId.slice(0, 100) : i.type;
  log.info({ interaction: i.id, user: i.user.id, what }, "unknown interaction: told it expired");
  await i.reply(expired());
}

/** A typed DM that failed gets an apology in the DM (never silence). */
async function apologiseInDm(message: Message, err: unknown, log: Logger): Promise<void> {
  log.error(
    { err: errInfo(err), message: message.id, user: message.author.id },
    "discord DM failed",
  );
  try {
    if (message.channel.isSendable())
      await message.channel.send({ content: apologyFor(err), allowedMentions: NO_MENTIONS });
  } catch (again) {
    log.warn({ err: errInfo(again), message: message.id }, "could not report the failure");
  }
}

/** Routes every interaction to its listener (each one answered) and DMs to theirs. */
export function listen(client: Client, { commands, components, messages, log }: Listeners): void {
  client.on(Events.InteractionCreate, (i) => {
    if (i.isAutocomplete()) {
      void suggest(i, commands, log);
      return;
    }
    if (i.isChatInputCommand() && i.commandName === "pyjs")
      void guard(log, i, () => commands.onCommand(i));
    else if (i.isButton() && ours(i.customId)) void guard(log, i, () => components.onButton(i));
    else if (i.isModalSubmit() && ours(i.customId)) void guard(log, i, () => components.onModal(i));
    else void guard(log, i, () => notOurs(i, log));
  });

  client.on(Events.MessageCreate, (message) => {
    void messages.onMessage(message).catch((err: unknown) => apologiseInDm(message, err, log));
  });
}
