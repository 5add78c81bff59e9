import type { types } from "@slack/bolt";
import { clipMrkdwn, clipPlain } from "../mrkdwn.js";
import { type Block, type Button, context, LIMITS, type TextObject } from "./kit.js";

/** Holding finished blocks to Block Kit's limits, and the notification text beside them. */

function fixText<T extends TextObject>(t: T, max: number): T {
  const text = t.type === "mrkdwn" ? clipMrkdwn(t.text, max) : clipPlain(t.text, max);
  return text === t.text ? t : { ...t, text };
}

function fixButton(b: Button, seen: Set<string>): Button {
  let id = b.action_id ?? "";
  if (seen.has(id)) {
    let n = 2;
    while (seen.has(`${id}_${n}`)) n++;
    id = `${id}_${n}`;
  }
  seen.add(id);
  return {
    ...b,
    text: fixText(b.text, LIMITS.buttonText),
    action_id: id.slice(0, LIMITS.actionId),
    ...(b.value !== undefined ? { value: b.value.slice(0, LIMITS.buttonValue) } : {}),
  };
}

function fixBlock(block: Block, seen: Set<string>): Block {
  switch (block.type) {
    case "section": {
      const out: types.SectionBlock = { ...block };
      if (block.text) out.text = fixText(block.text, LIMITS.sectionText);
      if (block.fields)
        out.fields = block.fields.slice(0, LIMITS.fields).map((f) => fixText(f, LIMITS.fieldText));
      if (block.accessory?.type === "button") out.accessory = fixButton(block.accessory, seen);
      return out;
    }
    case "actions":
      return {
        ...block,
        elements: block.elements
          .slice(0, LIMITS.actionsElements)
          .map((e) => (e.type === "button" ? fixButton(e, seen) : e)),
      };
    case "context":
      return {
        ...block,
        elements: block.elements
          .slice(0, LIMITS.contextElements)
          .map((e) =>
            e.type === "mrkdwn" || e.type === "plain_text" ? fixText(e, LIMITS.contextText) : e,
          ),
      };
    case "header":
      return { ...block, text: fixText(block.text, LIMITS.headerText) };
    default:
      return block;
  }
}

/**
 * Holds blocks to Block Kit's limits whatever went in: at most `max` blocks (the last
 * one then says how many were left out), section text ≤ 3000, button text ≤ 75, unique
 * action_ids (a repeat gets a `_2` suffix), every over-long text ending in an ellipsis.
 */
export function enforceLimits(blocks: Block[], max: number = LIMITS.messageBlocks): Block[] {
  const seen = new Set<string>();
  const fixed = blocks.map((b) => fixBlock(b, seen));
  if (fixed.length <= max) return fixed;
  const kept = fixed.slice(0, max - 1);
  return [...kept, context(`…and ${fixed.length - kept.length} more not shown.`)];
}

/** Notification text for a message: its section texts, already escaped, bounded. */
export function fallbackText(blocks: Block[]): string {
  const texts: string[] = [];
  for (const b of blocks) {
    if (b.type === "section") {
      if (b.text) texts.push(b.text.text);
      for (const f of b.fields ?? []) texts.push(f.text.replace("\n", ": "));
    }
  }
  return clipMrkdwn(texts.join("\n") || "pyjs", LIMITS.fallbackText);
}
