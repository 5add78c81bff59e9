import { esc, link } from "../mrkdwn.js";
import { type Block, chunkLines, context, LIMITS, type Renderer, section } from "./kit.js";

/** Plain answers to `/pyjs`: text, help, usage errors and glossary lookups. */

export const text: Renderer<"text"> = (part) => [section(esc(part.text))];

export const help: Renderer<"help"> = (part) => [
  section("*pyjs* — Python for JavaScript developers. Commands:"),
  ...chunkLines(
    part.lines.map((l) => `• ${esc(l)}`),
    LIMITS.sectionText,
  ).map(section),
];

export const usage: Renderer<"usage"> = (part) => [section(esc(part.message))];

/** At most ten entries, each its term, JS counterpart, explanation, docs and related terms. */
export const lookup: Renderer<"lookup"> = (part) => {
  const shown = part.entries.slice(0, 10);
  const blocks: Block[] = [];
  shown.forEach((e, i) => {
    if (i > 0) blocks.push({ type: "divider" });
    blocks.push(
      section(`*${esc(e.term)}*${e.js ? `  ≈  \`${esc(e.js)}\` (JS)` : ""}\n${esc(e.explain)}`),
    );
    const meta = [`Docs: ${link(e.link)}`];
    if (e.related.length) meta.push(`Related: ${e.related.map(esc).join(", ")}`);
    blocks.push(context(...meta));
  });
  if (part.entries.length > shown.length)
    blocks.push(context(`…and ${part.entries.length - shown.length} more.`));
  return blocks;
};

export const unknown: Renderer<"unknown"> = (part) => [
  section(
    part.suggestions.length
      ? `I don't know “${esc(part.query)}”. Did you mean: ${part.suggestions
          .map((s) => `*${esc(s)}*`)
          .join(", ")}?`
      : `I don't know “${esc(part.query)}”. Try \`/pyjs help\`, or a term such as pip, venv or pipx.`,
  ),
];
