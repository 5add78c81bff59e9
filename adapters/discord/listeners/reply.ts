import { MessageFlags } from "discord.js";
import { payload, type Rendered, renderParts } from "../render.js";

/** Replies only the asker sees. */
export const EPHEMERAL: MessageFlags.Ephemeral = MessageFlags.Ephemeral;

/** A rendered message as an ephemeral interaction reply (mentions off). */
export function ephemeral(msg: Rendered) {
  return { ...payload(msg), flags: EPHEMERAL };
}

/** The polite answer to a forged or stale button or modal. */
export const expired = () => ephemeral(renderParts([{ kind: "expired" }]));
