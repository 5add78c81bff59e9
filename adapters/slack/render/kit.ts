import type { types } from "@slack/bolt";
import type { Part } from "../../../src/app/reply.js";
import type { Grade } from "../../../src/core/scheduler.js";
import { clipMrkdwn, clipPlain } from "../mrkdwn.js";

/** Block Kit building blocks shared by every renderer: limits, action ids, elements. */

export type Block = types.KnownBlock;
export type Button = types.Button;
export type TextObject = types.PlainTextElement | types.MrkdwnElement;

/** Block Kit limits we render within (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  headerText: 150,
  actionId: 255,
  /** The notification text beside the blocks; Slack allows more, nobody reads more. */
  fallbackText: 3000,
} as const;

/** action_ids of every button pyjs renders; the handler parses them back with parseAction. */
export const ACTIONS = {
  show: "pyjs_show",
  rate: (rating: Grade) => `pyjs_rate_${rating}`,
  forgetConfirm: "pyjs_forget_confirm",
  right: "pyjs_right",
  command: (name: string) => `pyjs_cmd_${name}`,
  /** Learner controls (app/controls.ts): the value is the prompt id. */
  undo: "pyjs_undo",
  skip: "pyjs_skip",
  suspend: "pyjs_suspend",
} as const;

/** Matches every action_id above (also after a uniqueness suffix `_2`). */
export const ACTION_ID_PATTERN = /^pyjs_/;

export interface RenderContext {
  /** The learner's zone, for the fallback text of dates (Slack shows each reader's own). */
  tz: string;
}

export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text });
export const plain = (text: string): types.PlainTextElement => ({
  type: "plain_text",
  text: clipPlain(text, LIMITS.buttonText),
  emoji: true,
});
export const section = (text: string): types.SectionBlock => ({
  type: "section",
  text: mrkdwn(clipMrkdwn(text, LIMITS.sectionText)),
});
export const context = (...texts: string[]): types.ContextBlock => ({
  type: "context",
  elements: texts.map((t) => mrkdwn(clipMrkdwn(t, LIMITS.contextText))),
});
export const button = (
  label: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): Button => ({
  type: "button",
  text: plain(label),
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});
export const actions = (...elements: Button[]): types.ActionsBlock => ({
  type: "actions",
  elements,
});
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);

/** Lines joined into as few chunks of at most `max` characters as they fit in. */
export function chunkLines(lines: string[], max: number): string[] {
  const out: string[] = [];
  let cur = "";
  for (const line of lines) {
    const l = clipMrkdwn(line, max);
    if (cur && cur.length + 1 + l.length > max) {
      out.push(cur);
      cur = l;
    } else cur = cur ? `${cur}\n${l}` : l;
  }
  if (cur) out.push(cur);
  return out;
}

/** The reply part of one kind. */
export type PartOf<K extends Part["kind"]> = Extract<Part, { kind: K }>;

/** Renders one kind of reply part as blocks; all user and card text is escaped inside. */
export type Renderer<K extends Part["kind"]> = (part: PartOf<K>, ctx: RenderContext) => Block[];
