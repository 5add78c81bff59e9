import type { App as BoltApp } from "@slack/bolt";
import type { Reply } from "../../../src/app/reply.js";
import { parseCommand } from "../../../src/core/grammar.js";
import { renderMessage } from "../blocks.js";
import { politeError, slackErrorCode } from "../errors.js";
import { SLASH_COMMAND } from "../manifest.js";
import { fromSlackText } from "../mrkdwn.js";
import { renderContext } from "../people.js";
import type { ListenerDeps } from "./deps.js";
import { ephemeral, safely, sorryFor, tell } from "./respond.js";
import { statsChartsToDm } from "./stats-charts.js";

/**
 * `/pyjs`: acked with the ephemeral answer (within Slack's 3 s, so lookups and help skip
 * users.info), then anything meant for the DM is delivered there.
 */
export function registerCommands(bolt: BoltApp, deps: ListenerDeps): void {
  const { app, log, now, people, dms, sender } = deps;
  bolt.command(SLASH_COMMAND, async ({ command, ack, respond }) => {
    let acked = false;
    const context = { team: command.team_id, user: command.user_id, where: "command" };
    try {
      const input = fromSlackText(command.text ?? "");
      const kind = parseCommand(input).kind;
      const w = await people.who(command.team_id, command.user_id, {
        channel: command.channel_id,
        name: command.user_name,
        profile: kind !== "lookup" && kind !== "help" && kind !== "usage",
      });
      // Stats charts are rendered after the ack (statsChartsToDm), never before it.
      const opts = kind === "stats" ? { charts: false } : {};
      const r: Reply = await app.handleCommand(w.actor, input, now(), opts);
      const msg = renderMessage(r.parts, renderContext(w.actor));
      await ack(msg ? ephemeral(msg) : undefined);
      acked = true;
      if (r.dm?.length) {
        const dm = r.dm;
        try {
          await sender.deliver(w.actor, await dms.open(w.team, w.user), dm);
        } catch (err) {
          log.warn({ ...context, err, code: slackErrorCode(err) }, "could not send the DM");
          await tell(log, respond, politeError(err, "send you a direct message"));
        }
      }
      if (kind === "stats") await statsChartsToDm(deps, w);
      if (kind === "export") {
        try {
          await sender.uploadExports(w.team, await dms.open(w.team, w.user), r.parts);
        } catch (err) {
          log.warn({ ...context, err, code: slackErrorCode(err) }, "could not upload the export");
          await tell(log, respond, politeError(err, "upload your review log to your DM"));
        }
      }
    } catch (err) {
      log.error({ ...context, err, code: slackErrorCode(err) }, "slash command failed");
      const text = sorryFor(err);
      if (!acked) await safely(log, "ack", () => ack({ response_type: "ephemeral", text }));
      else await tell(log, respond, text);
    }
  });
}
