import { type Interaction, type Message, PermissionFlagsBits } from "discord.js";
import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";

/** The person behind an interaction, as the app knows them. */
export function actorOf(i: Interaction): Actor {
  const member = i.member;
  let name = i.user.displayName;
  if (member && "displayName" in member) name = member.displayName;
  else if (member && "nick" in member && member.nick) name = member.nick;
  return {
    learner: learner.discord(i.user.id),
    platform: "discord",
    tenant: i.guildId ?? undefined,
    channel: i.channelId ?? undefined,
    name,
    // Manage Server (Administrator implies it), as computed by Discord for this channel.
    isAdmin: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
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
