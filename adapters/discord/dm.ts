import { type APIChannel, type REST, Routes } from "discord.js";
import type { Part } from "../../src/app/reply.js";
import { escapeMd } from "./render.js";

/** How many user -> DM channel ids are kept (the call that finds one is idempotent). */
const DM_CACHE = 10_000;

/**
 * DM channels with users, opened over REST and remembered (oldest forgotten first), so a
 * delivery to someone seen before costs one request, not two.
 */
export class DmChannels {
  private readonly byUser = new Map<string, string>();

  constructor(private readonly rest: REST) {}

  /** The DM channel with a user (POST /users/@me/channels returns the existing one). */
  async open(userId: string): Promise<string> {
    const hit = this.byUser.get(userId);
    if (hit) return hit;
    const ch = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as APIChannel;
    if (this.byUser.size >= DM_CACHE) {
      const oldest = this.byUser.keys().next().value;
      if (oldest !== undefined) this.byUser.delete(oldest);
    }
    this.byUser.set(userId, ch.id);
    return ch.id;
  }
}

/** What a user whose DMs are closed to the bot is told instead of their quiz. */
export function dmClosedText(server: string | undefined): Part {
  const where = server ? `**${escapeMd(server)}**` : "the server";
  return {
    kind: "text",
    text: `I can't send you direct messages, so the quiz could not start. To allow them, open ${where} → **Privacy Settings** and turn on **Direct Messages**, then run \`/pyjs quiz\` again.`,
  };
}
