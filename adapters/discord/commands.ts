import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  REST,
  type RESTPutAPIApplicationCommandsJSONBody,
  Routes,
} from "discord.js";
import type { Env } from "../../src/config.js";
import { MAX_INPUT } from "../../src/core/text.js";

/** The one chat-input command: `/pyjs query:<anything the grammar takes>`. */
export const PYJS_COMMAND = {
  type: ApplicationCommandType.ChatInput,
  name: "pyjs",
  description: "Python for JS developers: look a term up, take the quiz, see your stats",
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: "query",
      description:
        "A term (pip, venv, npx…) or a command: quiz, stats, subscribe 09:00 Europe/Berlin…",
      required: false,
      autocomplete: true,
      max_length: MAX_INPUT,
    },
  ],
  // Installed to servers (the bot joins; boards and the weekly post live there) or to a
  // person's account (lookups and the quiz anywhere, no bot in the server). Usable in
  // servers, in the DM with the bot, and in other DMs and group DMs, where the bot cannot
  // post, so every answer there is ephemeral.
  contexts: [
    InteractionContextType.Guild,
    InteractionContextType.BotDM,
    InteractionContextType.PrivateChannel,
  ],
  integration_types: [
    ApplicationIntegrationType.GuildInstall,
    ApplicationIntegrationType.UserInstall,
  ],
} satisfies RESTPutAPIApplicationCommandsJSONBody[number];

/**
 * A server-scoped command exists only in that server, so installation types and contexts
 * (global-command fields, per Discord's docs) are left out of it.
 */
function commandFor(guildId: string | undefined): RESTPutAPIApplicationCommandsJSONBody[number] {
  if (!guildId) return PYJS_COMMAND;
  const { contexts: _c, integration_types: _t, ...inServer } = PYJS_COMMAND;
  return inServer;
}

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** REST base (DISCORD_API_URL), for proxies and tests. */
  apiUrl?: string | undefined;
  /** Register in one server (instant, for trying it out) instead of globally. */
  guildId?: string | undefined;
}

/**
 * Registers `/pyjs` with a bulk overwrite (PUT), so running it again changes nothing and
 * any command pyjs no longer has is removed.
 */
export async function registerCommands(
  opts: RegisterOptions,
): Promise<{ id: string; name: string }[]> {
  const rest = new REST({ ...(opts.apiUrl ? { api: opts.apiUrl } : {}) }).setToken(opts.token);
  const route = opts.guildId
    ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
    : Routes.applicationCommands(opts.applicationId);
  const body: RESTPutAPIApplicationCommandsJSONBody = [commandFor(opts.guildId)];
  const created = (await rest.put(route, { body })) as { id: string; name: string }[];
  return created.map((c) => ({ id: c.id, name: c.name }));
}

const SNOWFLAKE = /^\d{17,20}$/;

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliOutput = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/** `pyjs discord register [--guild ID]`; returns the exit code. */
export async function discordRegister(
  args: string[],
  env: Pick<Env, "DISCORD_TOKEN" | "DISCORD_APPLICATION_ID" | "DISCORD_API_URL">,
  io: CliOutput = stdio,
): Promise<number> {
  const usage = "usage: pyjs discord register [--guild ID]";
  let guildId: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "--guild") guildId = args[++i];
    else if (arg.startsWith("--guild=")) guildId = arg.slice("--guild=".length);
    else if (arg === "-h" || arg === "--help") {
      io.out(usage);
      return 0;
    } else {
      io.err(`unknown argument: ${arg}\n${usage}`);
      return 2;
    }
    if (guildId !== undefined && !SNOWFLAKE.test(guildId)) {
      io.err(`--guild needs a server id (a number like 123456789012345678)\n${usage}`);
      return 2;
    }
  }
  if (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID) {
    io.err(
      "DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set (see README, Configuring Discord).",
    );
    return 2;
  }
  try {
    const created = await registerCommands({
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      apiUrl: env.DISCORD_API_URL,
      guildId,
    });
    const names = created.map((c) => `/${c.name}`).join(", ");
    io.out(
      guildId
        ? `Registered ${names} in server ${guildId}.`
        : `Registered ${names} globally: in every server the bot is in, and for everyone who installs pyjs to their account.`,
    );
    return 0;
  } catch (err) {
    const e = err as { status?: number; message?: string };
    const hint =
      e.status === 401
        ? " Check DISCORD_TOKEN."
        : e.status === 403 || e.status === 404
          ? " Check DISCORD_APPLICATION_ID and that the bot was invited to that server with the applications.commands scope."
          : "";
    io.err(`Registering the command failed: ${e.message ?? String(err)}.${hint}`);
    return 1;
  }
}
