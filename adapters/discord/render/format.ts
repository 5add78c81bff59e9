import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIEmbed,
  APIEmbedField,
  TimestampStylesString,
} from "discord.js";
import { TimestampStyles, time } from "discord.js";
import type { ChartImage } from "../../../src/app/reply.js";

/** Text helpers shared by the part renderers: limits, escaping, fields, timestamps. */

/** Discord's limits (https://discord.com/developers/docs/resources/message). */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Nobody is ever pinged by what pyjs sends. */
export const NO_MENTIONS = { parse: [] as never[] };

export type Row = APIActionRowComponent<APIButtonComponent>;

/** A file attached to a message (a chart PNG, a CSV); its alt text is the description. */
export interface Attachment {
  name: string;
  data: Buffer;
  description: string;
  /** MIME type (default image/png). */
  contentType?: string | undefined;
}

/** Discord's limits for attachments: per message, and an attachment's description. */
export const ATTACHMENT_LIMITS = { files: 10, description: 1024 } as const;

/** Chart images as attachments (none when rendering is off or failed). */
export function attachments(images: ChartImage[] | undefined): Attachment[] {
  return (images ?? []).slice(0, ATTACHMENT_LIMITS.files).map((i) => ({
    name: i.name,
    data: i.png,
    description: clip(i.alt, ATTACHMENT_LIMITS.description),
  }));
}

/** One Discord message, before it is sent (content, embeds, button rows, files). */
export interface Rendered {
  content?: string | undefined;
  embeds: APIEmbed[];
  components: Row[];
  /** Attached files (stats charts, the weekly board picture). */
  files?: Attachment[] | undefined;
}

export interface RenderContext {
  /** The request came from the DM with the bot (a "sent to your DMs" note is moot). */
  inDm?: boolean | undefined;
}

export const COLOR = {
  brand: 0x3776ab, // Python blue
  good: 0x2e9e5b,
  typo: 0xd4a72c,
  wrong: 0xc0392b,
};

/** Cuts text to `max` characters (an ellipsis marks the cut). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? "…" : "";
  // UTF-16 length is never below Discord's count; don't split a surrogate pair.
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Breaks @everyone/@here and <@id>/<#id> so they never render as mentions. */
export function defuse(text: string): string {
  return text.replace(/@(everyone|here)\b/g, "@\u200b$1").replace(/<(@[!&]?|#)/g, "<\u200b$1");
}

/**
 * Shows text literally in Discord markdown: emphasis, strike, spoiler, code, links,
 * headings, quotes and lists are escaped. Linear time (unlike discord.js's escapeMarkdown).
 */
export function escapeMd(text: string): string {
  return text.replace(/[\\*_~|`[\]]/g, "\\$&").replace(/^(\s*)(>|#|-|\d+\.)/gm, "$1\\$2");
}

/** Text someone typed (a query, an answer, a display name): no markdown, no mentions. */
export function userText(text: string): string {
  return defuse(escapeMd(clip(text, LIMITS.description)));
}

/** Text from a deck: `code` stays code, the rest shows literally (e.g. "___", "__init__"). */
export function deckText(text: string): string {
  return defuse(
    clip(text, LIMITS.description)
      .split(/(`[^`\n]+`)/)
      .map((chunk, n) => (n % 2 === 1 ? chunk : escapeMd(chunk)))
      .join(""),
  );
}

/** Inline code that cannot be broken out of (nor mention anyone). */
export function code(text: string): string {
  return `\`${defuse(text.replaceAll("`", "ˋ")) || " "}\``;
}

export function httpUrl(link: string): string | undefined {
  try {
    const u = new URL(link);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** " [Docs](url)" for a valid link, else nothing. */
export function docs(link: string): string {
  const url = httpUrl(link);
  return url ? ` [Docs](${url.replaceAll(")", "%29")})` : "";
}

export function field(name: string, value: string, inline = false): APIEmbedField {
  return {
    name: clip(name, LIMITS.fieldName),
    value: clip(value || "–", LIMITS.fieldValue),
    inline,
  };
}

/** A Discord timestamp (shown in the reader's own zone); tolerates dates that went through JSON. */
export const stamp = (d: Date | string | number, style: TimestampStylesString) =>
  time(Math.floor(new Date(d).getTime() / 1000), style);

export const when = (d: Date) =>
  `${stamp(d, TimestampStyles.RelativeTime)} (${stamp(d, TimestampStyles.ShortDateTime)})`;

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
