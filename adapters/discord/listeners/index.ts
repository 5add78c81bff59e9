import { type Client, Events } from "discord.js";
import type { Logger } from "../../../src/logger.js";
import { errInfo } from "../errors.js";
import type { CommandListener } from "./commands.js";
import type { ComponentListener } from "./components.js";
import { guard } from "./guard.js";
import type { MessageListener } from "./messages.js";

export interface Listeners {
  commands: CommandListener;
  components: ComponentListener;
  messages: MessageListener;
  log: Logger;
}

/** Routes pyjs's interactions and DMs to their listeners; everything else is ignored. */
export function listen(client: Client, { commands, components, messages, log }: Listeners): void {
  client.on(Events.InteractionCreate, (i) => {
    if (i.isAutocomplete()) {
      if (i.commandName !== "pyjs") return;
      void commands
        .onAutocomplete(i)
        .catch((err: unknown) =>
          log.warn({ err: errInfo(err), interaction: i.id }, "autocomplete failed"),
        );
      return;
    }
    if (i.isChatInputCommand()) {
      if (i.commandName === "pyjs") void guard(log, i, () => commands.onCommand(i));
      return;
    }
    if (i.isButton()) {
      if (i.customId.startsWith("pyjs:")) void guard(log, i, () => components.onButton(i));
      return;
    }
    if (i.isModalSubmit() && i.customId.startsWith("pyjs:"))
      void guard(log, i, () => components.onModal(i));
  });

  client.on(Events.MessageCreate, (message) => {
    void messages.onMessage(message).catch((err: unknown) => {
      log.error(
        { err: errInfo(err), message: message.id, user: message.author.id },
        "discord DM failed",
      );
    });
  });
}
