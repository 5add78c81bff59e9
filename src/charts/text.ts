/** Display names as inert plain text for charts and alt text. */

const MAX_NAME = 32;

/**
 * One line of printable text: control/format characters (newlines, bidi overrides,
 * zero-width) become spaces, whitespace collapses, long names end in "…".
 */
export function plainName(raw: unknown): string {
  const text = String(raw ?? "")
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...text];
  if (chars.length === 0) return "(no name)";
  return chars.length > MAX_NAME ? `${chars.slice(0, MAX_NAME - 1).join("")}…` : text;
}

/**
 * For alt text that an adapter might echo into a message: "@everyone" → "@\u200beveryone",
 * so a chat client never reads it as a mention. (Adapters should still disable mentions.)
 */
export function inertMentions(text: string): string {
  return text.replace(/@/g, "@\u200b");
}
