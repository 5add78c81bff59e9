import type { AutocompleteInteraction, ChatInputCommandInteraction } from "discord.js";
import type { Part } from "../../../src/app/reply.js";
import type { App } from "../../../src/app/service.js";
import type { Actor } from "../../../src/app/types.js";
import type { Clock } from "../../../src/core/clock.js";
import { parseCommand } from "../../../src/core/grammar.js";
import { MAX_INPUT } from "../../../src/core/text.js";
import type { Logger } from "../../../src/logger.js";
import { actorOf, inBotDm } from "../actor.js";
import { autocomplete } from "../autocomplete.js";
import { dmClosedText, subscribeDmClosedText } from "../dm.js";
import { isDmClosed } from "../errors.js";
import type { DiscordMessenger } from "../messenger.js";
import { payload, renderParts } from "../render.js";
import { settlesWithin } from "./ack.js";
import { EPHEMERAL } from "./reply.js";

/** Commands whose answer may take more than a moment: acknowledged at once, answered later. */
const SLOW = new Set(["quiz", "stats", "leaderboard", "leaderboard-here", "forget-me"]);

export interface CommandDeps {
  app: App;
  messenger: DiscordMessenger;
  log: Logger;
  now: Clock;
  /** How long a fast command may take before the reply is deferred (Discord allows 3 s). */
  deferAfterMs: number;
}

/**
 * `/pyjs query:…`: answered ephemerally, at once when the app is quick, deferred then
 * edited when it is slow; what belongs in the DM (a quiz) is sent there.
 */
export class CommandListener {
  constructor(private readonly deps: CommandDeps) {}

  async onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const { app, now, deferAfterMs } = this.deps;
    const query = (i.options.getString("query") ?? "").slice(0, MAX_INPUT);
    const actor = actorOf(i);
    const work = app.handleCommand(actor, query, now());
    // Keep a rejection from being reported as unhandled while we acknowledge.
    work.catch(() => undefined);
    let deferred = false;
    const kind = parseCommand(query).kind;
    if (SLOW.has(kind) || !(await settlesWithin(work, deferAfterMs))) {
      await i.deferReply({ flags: EPHEMERAL });
      deferred = true;
    }
    const r = await work;
    let parts = r.parts;
    if (r.dm?.length) {
      try {
        await this.deps.messenger.sendToUser(i.user.id, actor, r.dm);
      } catch (err) {
        if (!isDmClosed(err)) throw err;
        this.deps.log.info({ user: i.user.id }, "DMs closed; told the user how to open them");
        parts = await this.dmRefused(kind, actor, i);
      }
    }
    const body = payload(renderParts(parts, { inDm: inBotDm(i) }));
    if (deferred) await i.editReply(body);
    else await i.reply({ ...body, flags: EPHEMERAL });
  }

  /** What to say when the DM a command needed was refused; a subscription is undone. */
  private async dmRefused(
    kind: string,
    actor: Actor,
    i: ChatInputCommandInteraction,
  ): Promise<Part[]> {
    if (kind !== "subscribe") return [dmClosedText(i.guild?.name)];
    await this.deps.app.handleCommand(actor, "unsubscribe", this.deps.now());
    return [subscribeDmClosedText()];
  }

  async onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const typed = typeof focused.value === "string" ? focused.value : "";
    await i.respond(autocomplete(this.deps.app.glossary, typed));
  }
}
