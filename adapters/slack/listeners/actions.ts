import type { BlockAction, App as BoltApp, RespondFn } from "@slack/bolt";
import type { Reply } from "../../../src/app/reply.js";
import type { Action } from "../../../src/app/types.js";
import { ACTION_ID_PATTERN, parseAction, renderMessage } from "../blocks.js";
import { isImChannel } from "../dm.js";
import { politeError, slackErrorCode } from "../errors.js";
import { renderContext, type Who } from "../people.js";
import type { ListenerDeps } from "./deps.js";
import { ephemeral, SORRY, safely, sorryFor, tell } from "./respond.js";

/** Where a button was pressed: a message (DM, channel, ephemeral) or the Home tab. */
interface Press {
  team: string;
  user: string;
  fromHome: boolean;
  /** The conversation the message is in. */
  channel: string | undefined;
  messageTs: string | undefined;
  ephemeral: boolean;
}

function pressOf(body: BlockAction): Press {
  const container = body.container as {
    type?: string;
    channel_id?: string;
    message_ts?: string;
    is_ephemeral?: boolean;
  };
  return {
    team: body.team?.id ?? body.user.team_id ?? "",
    user: body.user.id,
    fromHome: container.type === "view" || body.view?.type === "home",
    channel: container.channel_id ?? body.channel?.id,
    messageTs: container.message_ts,
    ephemeral: Boolean(container.is_ephemeral),
  };
}

/** A press on the Home tab: the answer becomes the tab's notice, DM parts go to the DM. */
async function answerOnHome(deps: ListenerDeps, w: Who, r: Reply): Promise<void> {
  if (r.dm?.length) await deps.sender.deliver(w.actor, await deps.dms.open(w.team, w.user), r.dm);
  await deps.home.publish(w, r.parts);
}

/**
 * A press on a message: the answer is ephemeral, DM parts go to the DM, where a reveal
 * or result replaces the message pressed on.
 */
async function answerOnMessage(
  deps: ListenerDeps,
  w: Who,
  r: Reply,
  press: Press,
  respond: RespondFn,
): Promise<void> {
  const channel = press.channel;
  const inIm = isImChannel(channel);
  const parts = inIm ? r.parts.filter((p) => p.kind !== "sent-to-dm") : r.parts;
  const msg = renderMessage(parts, renderContext(w.actor));
  if (msg) await respond(ephemeral(msg, press.ephemeral));
  if (r.dm?.length) {
    const origin = inIm && press.messageTs ? { channel, ts: press.messageTs } : undefined;
    const dm = inIm ? channel : await deps.dms.open(w.team, w.user);
    await deps.sender.deliver(w.actor, dm, r.dm, origin);
  }
}

/** Tells the person a press failed: on the Home tab when it came from there. */
async function apologize(
  deps: ListenerDeps,
  press: Press,
  w: Who | undefined,
  respond: RespondFn,
  err: unknown,
): Promise<void> {
  const ours = sorryFor(err);
  const text = ours !== SORRY ? ours : politeError(err, "do that");
  if (press.fromHome && w)
    await safely(deps.log, "home notice", () => deps.home.publish(w, [{ kind: "text", text }]));
  else await tell(deps.log, respond, text);
}

/** pyjs's buttons (Show answer, the grades, Erase, the Home tab's commands). */
export function registerActions(bolt: BoltApp, deps: ListenerDeps): void {
  bolt.action(
    { type: "block_actions", action_id: ACTION_ID_PATTERN },
    async ({ ack, body, action, respond }) => {
      await ack();
      if (action.type !== "button") return;
      const parsed: Action | undefined = parseAction(action.action_id, action.value);
      if (!parsed) return;
      const press = pressOf(body);
      const context = { team: press.team, user: press.user, where: "action", action: parsed.type };
      let w: Who | undefined;
      try {
        w = await deps.people.who(press.team, press.user, {
          channel: body.channel?.id,
          name: body.user.name,
        });
        const r = await deps.app.handleAction(w.actor, parsed, deps.now());
        if (press.fromHome) await answerOnHome(deps, w, r);
        else await answerOnMessage(deps, w, r, press, respond);
      } catch (err) {
        deps.log.error({ ...context, err, code: slackErrorCode(err) }, "button press failed");
        await apologize(deps, press, w, respond, err);
      }
    },
  );
}
