import type { App as BoltApp } from "@slack/bolt";
import { slackErrorCode } from "../errors.js";
import { fromSlackText } from "../mrkdwn.js";
import type { ListenerDeps } from "./deps.js";
import { safely, sorryFor } from "./respond.js";

/**
 * Typed messages in the bot's DM: answers and commands, answered in the DM. Bot
 * messages, edits and other subtypes are ignored.
 */
export function registerMessages(bolt: BoltApp, deps: ListenerDeps): void {
  const { app, log, now, people, sender } = deps;
  bolt.event("message", async ({ event, body }) => {
    if (event.subtype !== undefined || event.bot_id || event.channel_type !== "im") return;
    const text = fromSlackText(event.text ?? "");
    if (!text.trim() || !event.user) return;
    const team = (body as { team_id?: string }).team_id ?? event.team ?? "";
    const context = { team, user: event.user, where: "dm" };
    try {
      const w = await people.who(team, event.user, { channel: event.channel });
      const r = await app.handleMessage(w.actor, text, now(), {
        messageId: event.client_msg_id ?? `${event.channel}:${event.ts}`,
      });
      const parts = r.parts.filter((p) => p.kind !== "sent-to-dm");
      await sender.deliver(w.actor, event.channel, [...parts, ...(r.dm ?? [])]);
    } catch (err) {
      log.error({ ...context, err, code: slackErrorCode(err) }, "DM message failed");
      await safely(log, "apology", () =>
        sender.post(team, event.channel, { blocks: [], text: sorryFor(err) }),
      );
    }
  });
}
