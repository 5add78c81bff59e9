import {
  type Interaction,
  InteractionContextType,
  type Message,
  PermissionFlagsBits,
} from "discord.js";
import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";

/**
 * The server whose team an interaction counts in: the one it came from, unless only the
 * person's own install of pyjs authorised it (a user install used in a server the bot is
 * not in) — then there is no team there: no board, no weekly post, no admin.
 */
export function installedServer(i: Interaction): string | undefined {
  if (!i.guildId) return undefined;
  const owners = i.authorizingIntegrationOwners;
  if (owners?.userId && !owners.guildId) return undefined;
  return i.guildId;
}

/**
 * Whether an interaction came from the person's DM with the bot (where quizzes arrive),
 * not from a server or from someone else's DM (a user install used there).
 */
export function inBotDm(i: Interaction): boolean {
  if (i.context !== null) return i.context === InteractionContextType.BotDM;
  return !i.inGuild();
}

/** The person behind an interaction, as the app knows them. */
export function actorOf(i: Interaction): Actor {
  const tenant = installedServer(i);
  const member = i.member;
  let name = i.user.displayName;
  if (member && "displayName" in member) name = member.displayName;
  else if (member && "nick" in member && member.nick) name = member.nick;
  return {
    learner: learner.discord(i.user.id),
    platform: "discord",
    tenant,
    channel: i.channelId ?? undefined,
    name,
    // Manage Server (Administrator implies it), as computed by Discord for this channel.
    isAdmin:
      tenant !== undefined && (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false),
  };
}

/** The author of a DM to the bot (DMs carry no server, so no tenant and no admin). */
export function actorOfMessage(message: Message): Actor {
  return {
    learner: learner.discord(message.author.id),
    platform: "discord",
    channel: message.channelId,
    name: message.author.displayName,
  };
}
