import type { APIEmbed } from "discord.js";
import type { Part } from "../../src/app/reply.js";
import {
  ATTACHMENT_LIMITS,
  clip,
  LIMITS,
  NO_MENTIONS,
  type RenderContext,
  type Rendered,
} from "./render/format.js";
import { renderers } from "./render/parts.js";

export {
  type Attachment,
  attachments,
  clip,
  deckText,
  defuse,
  escapeMd,
  LIMITS,
  NO_MENTIONS,
  type RenderContext,
  type Rendered,
  type Row,
  userText,
} from "./render/format.js";

/** One part as a Discord message (each kind has its own renderer in render/parts.ts). */
export function renderPart(part: Part, ctx: RenderContext = {}): Rendered {
  // TypeScript cannot correlate `part.kind` with the table's key; the table's type does.
  const render = renderers[part.kind] as (part: Part, ctx: RenderContext) => Rendered;
  return render(part, ctx);
}

function embedSize(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
  n += e.author?.name.length ?? 0;
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/** Applies every per-field and per-message limit Discord enforces. */
export function bounded(msg: Rendered): Rendered {
  const embeds: APIEmbed[] = [];
  let total = 0;
  for (const raw of msg.embeds) {
    if (embeds.length === LIMITS.embeds) break;
    const e: APIEmbed = { ...raw };
    if (e.title !== undefined) e.title = clip(e.title, LIMITS.title);
    if (e.description !== undefined) e.description = clip(e.description, LIMITS.description);
    if (e.footer) e.footer = { ...e.footer, text: clip(e.footer.text, LIMITS.footer) };
    if (e.fields) e.fields = e.fields.slice(0, LIMITS.fields);
    const room = LIMITS.embedTotal - total;
    // Too big for what is left: drop fields from the end, then shorten the description.
    while (embedSize(e) > room && e.fields?.length) e.fields = e.fields.slice(0, -1);
    if (embedSize(e) > room && e.description) {
      const over = embedSize(e) - room;
      e.description = clip(e.description, Math.max(0, e.description.length - over));
      if (!e.description) delete e.description;
    }
    const size = embedSize(e);
    if (size > room || (embeds.length > 0 && size === 0)) break;
    total += size;
    embeds.push(e);
  }
  const content = msg.content ? clip(msg.content, LIMITS.content) : undefined;
  const components = msg.components.slice(0, LIMITS.rows);
  const files = msg.files?.slice(0, ATTACHMENT_LIMITS.files) ?? [];
  if (!content && embeds.length === 0 && components.length === 0) {
    return { content: "Done.", embeds: [], components: [] };
  }
  return { content, embeds, components, ...(files.length ? { files } : {}) };
}

/** Several parts as one message (an interaction reply), within Discord's limits. */
export function renderParts(parts: Part[], ctx: RenderContext = {}): Rendered {
  const all = parts.map((p) => renderPart(p, ctx));
  return bounded({
    content:
      all
        .map((r) => r.content)
        .filter(Boolean)
        .join("\n\n") || undefined,
    embeds: all.flatMap((r) => r.embeds),
    components: all.flatMap((r) => r.components),
    files: all.flatMap((r) => r.files ?? []),
  });
}

/** The prompt a part shows (questions, reveals and results live in one message each). */
export function promptOf(part: Part): string | undefined {
  switch (part.kind) {
    case "question":
    case "reveal":
      return part.question.promptId;
    case "result":
      return part.result.promptId;
    default:
      return undefined;
  }
}

/**
 * Parts to send as DM messages: each question, reveal or result is a message of its own
 * (so it can be edited when answered); the parts between them are grouped.
 */
export function splitMessages(parts: Part[]): { parts: Part[]; promptId?: string | undefined }[] {
  const out: { parts: Part[]; promptId?: string | undefined }[] = [];
  let group: Part[] = [];
  const flush = () => {
    if (group.length) out.push({ parts: group });
    group = [];
  };
  for (const p of parts) {
    const promptId = promptOf(p);
    if (promptId) {
      // Whatever leads up to a question (a daily greeting) goes in the question's own
      // message, so a delivery is one message: a retry can never repeat half of it.
      const lead = p.kind === "question" ? group : [];
      if (lead.length === 0) flush();
      group = [];
      out.push({ parts: [...lead, p], promptId });
    } else {
      group.push(p);
      // A leech note keeps its own message: the next question's is edited when answered.
      if (p.kind === "leech") flush();
    }
  }
  flush();
  return out;
}

/** A message body for discord.js: always with mentions disabled. */
export function payload(msg: Rendered, opts: { edit?: boolean } = {}) {
  return {
    // An edit replaces the old text (a result replacing a question).
    ...(msg.content !== undefined ? { content: msg.content } : opts.edit ? { content: "" } : {}),
    embeds: msg.embeds,
    components: msg.components,
    // Charts as attachments, each with its alt text as the description.
    ...(msg.files?.length
      ? {
          files: msg.files.map((f) => ({
            attachment: f.data,
            name: f.name,
            description: f.description,
          })),
        }
      : {}),
    allowedMentions: NO_MENTIONS,
  };
}
