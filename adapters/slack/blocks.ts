import type { Part } from "../../src/app/reply.js";
import type { Action } from "../../src/app/types.js";
import type { Grade } from "../../src/core/scheduler.js";
import { ACTIONS, type Block, type RenderContext } from "./render/kit.js";
import { enforceLimits, fallbackText } from "./render/limits.js";
import { renderPart } from "./render/parts.js";

/**
 * Block Kit for the adapter: replies rendered as messages and the Home tab, and button
 * presses parsed back into App actions. The renderers themselves live in render/.
 */

export { renderHome } from "./render/home.js";
export {
  ACTION_ID_PATTERN,
  ACTIONS,
  type Block,
  LIMITS,
  type RenderContext,
} from "./render/kit.js";
export { enforceLimits, fallbackText } from "./render/limits.js";
export { renderPart } from "./render/parts.js";

/** A button press turned back into an App action (undefined for anything not ours). */
export function parseAction(actionId: string, value: string | undefined): Action | undefined {
  const rate = /^pyjs_rate_([1-4])(?:_\d+)?$/.exec(actionId);
  if (rate)
    return value ? { type: "rate", promptId: value, rating: Number(rate[1]) as Grade } : undefined;
  const id = actionId.replace(/_\d+$/, "");
  if (id === ACTIONS.show) return value ? { type: "show", promptId: value } : undefined;
  if (id === ACTIONS.forgetConfirm) return { type: "forget-confirm" };
  if (id === ACTIONS.right) return value ? { type: "right", promptId: value } : undefined;
  if (id === ACTIONS.undo || id === ACTIONS.skip || id === ACTIONS.suspend)
    return value
      ? {
          type: id === ACTIONS.undo ? "undo" : id === ACTIONS.skip ? "skip" : "suspend",
          promptId: value,
        }
      : undefined;
  if (id.startsWith("pyjs_cmd_") && value) return { type: "command", text: value };
  return undefined;
}

export interface SlackMessage {
  blocks: Block[];
  text: string;
}

/** Parts as one message within Block Kit's limits, or undefined when there is nothing to say. */
export function renderMessage(parts: Part[], ctx: RenderContext): SlackMessage | undefined {
  if (parts.length === 0) return undefined;
  const blocks = enforceLimits(parts.flatMap((p) => renderPart(p, ctx)));
  return { blocks, text: fallbackText(blocks) };
}
