import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  ButtonStyle,
  ComponentType,
  TimestampStyles,
  type TimestampStylesString,
  time,
} from "discord.js";
import type { Part, RatingWord, Result } from "../../src/app/reply.js";
import type { Grade } from "../../src/core/scheduler.js";
import { customId } from "./ids.js";

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

/** One Discord message, before it is sent (content, embeds, button rows). */
export interface Rendered {
  content?: string | undefined;
  embeds: APIEmbed[];
  components: Row[];
}

export interface RenderContext {
  /** The request came from the DM with the bot (a "sent to your DMs" note is moot). */
  inDm?: boolean | undefined;
}

const COLOR = {
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
function code(text: string): string {
  return `\`${defuse(text.replaceAll("`", "ˋ")) || " "}\``;
}

function httpUrl(link: string): string | undefined {
  try {
    const u = new URL(link);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** " [Docs](url)" for a valid link, else nothing. */
function docs(link: string): string {
  const url = httpUrl(link);
  return url ? ` [Docs](${url.replaceAll(")", "%29")})` : "";
}

function field(name: string, value: string, inline = false): APIEmbedField {
  return {
    name: clip(name, LIMITS.fieldName),
    value: clip(value || "–", LIMITS.fieldValue),
    inline,
  };
}

/** A Discord timestamp (shown in the reader's own zone); tolerates dates that went through JSON. */
const stamp = (d: Date | string | number, style: TimestampStylesString) =>
  time(Math.floor(new Date(d).getTime() / 1000), style);

const when = (d: Date) =>
  `${stamp(d, TimestampStyles.RelativeTime)} (${stamp(d, TimestampStyles.ShortDateTime)})`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const RATINGS: { word: RatingWord; grade: Grade; style: ButtonStyle }[] = [
  { word: "Again", grade: 1, style: ButtonStyle.Danger },
  { word: "Hard", grade: 2, style: ButtonStyle.Secondary },
  { word: "Good", grade: 3, style: ButtonStyle.Success },
  { word: "Easy", grade: 4, style: ButtonStyle.Primary },
];

function button(
  id: string,
  label: string,
  style: ButtonStyle,
  disabled = false,
): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id: id,
    label: clip(label, LIMITS.buttonLabel),
    style: style as ButtonStyle.Primary,
    ...(disabled ? { disabled: true } : {}),
  };
}

function row(...buttons: APIButtonComponent[]): Row {
  return { type: ComponentType.ActionRow, components: buttons.slice(0, LIMITS.buttonsPerRow) };
}

/** Again / Hard / Good / Easy, with the interval each leads to (or the applied one ticked). */
function ratingRow(
  promptId: string,
  opts: { intervals?: Record<RatingWord, string>; current?: RatingWord },
): Row {
  return row(
    ...RATINGS.map((r) => {
      const label = opts.intervals
        ? `${r.word} · ${opts.intervals[r.word]}`
        : r.word === opts.current
          ? `✓ ${r.word}`
          : r.word;
      return button(customId.rate(r.grade, promptId), label, r.style, r.word === opts.current);
    }),
  );
}

function answerLine(answer: { answer: string; accept: string[] }): string {
  const also = answer.accept.length ? ` (also: ${answer.accept.map(deckText).join(", ")})` : "";
  return `**${deckText(answer.answer)}**${also}`;
}

function resultHead(r: Result): string {
  if (r.amended) return `✏️ Changed to **${r.rating}**.`;
  switch (r.verdict) {
    case "correct":
      return "✅ Correct!";
    case "typo":
      return `🟡 Almost — it's **${deckText(r.answer.answer)}** (counted as Hard).`;
    case "wrong":
      return `❌ Not quite — it's **${deckText(r.answer.answer)}**.`;
    default:
      return `Rated **${r.rating}**.`;
  }
}

function resultColor(r: Result): number {
  if (r.verdict === "wrong" || (!r.verdict && r.rating === "Again")) return COLOR.wrong;
  if (r.verdict === "typo" || (!r.verdict && r.rating === "Hard")) return COLOR.typo;
  return COLOR.good;
}

/** One part as a Discord message. */
export function renderPart(part: Part, ctx: RenderContext = {}): Rendered {
  switch (part.kind) {
    case "text":
      return { content: defuse(part.text), embeds: [], components: [] };
    case "usage":
      return { content: defuse(part.message), embeds: [], components: [] };
    case "help":
      return {
        embeds: [
          {
            title: "pyjs — Python for JavaScript developers",
            description: part.lines.map((l) => `• ${l}`).join("\n"),
            color: COLOR.brand,
            footer: {
              text: "Lookups answer only you. Quizzes arrive by DM; answer by typing or with the buttons.",
            },
          },
        ],
        components: [],
      };
    case "lookup":
      return {
        embeds: part.entries.map((e) => {
          const fields: APIEmbedField[] = [];
          if (e.js) fields.push(field("JavaScript", deckText(e.js), true));
          if (e.aliases.length)
            fields.push(field("Also known as", e.aliases.map(deckText).join(", "), true));
          fields.push(field("Docs", httpUrl(e.link) ?? deckText(e.link)));
          if (e.related.length)
            fields.push(field("Related", e.related.map((r) => code(r)).join(" · ")));
          const url = httpUrl(e.link);
          return {
            title: `${e.term}${e.js ? ` ≈ ${e.js}` : ""}`,
            ...(url ? { url } : {}),
            description: deckText(e.explain),
            color: COLOR.brand,
            fields,
          };
        }),
        components: [],
      };
    case "unknown": {
      const did = part.suggestions.length
        ? ` Did you mean ${part.suggestions.map((s) => `**${deckText(s)}**`).join(", ")}?`
        : " Try `/pyjs help`, or a term such as pip, venv or pipx.";
      return {
        content: `I don't know ${code(part.query)}.${did}`,
        embeds: [],
        components: [],
      };
    }
    case "question": {
      const q = part.question;
      const head = `${q.isNew ? "🆕 New card" : "🔁 Review"} · ${plural(q.remaining, "card")} left today`;
      return {
        content: `${head}\n### ${deckText(q.prompt)}\n-# Type your answer here, or use the buttons.`,
        embeds: [],
        components: [
          row(
            button(customId.answer(q.promptId), "Answer", ButtonStyle.Primary),
            button(customId.show(q.promptId), "Show answer", ButtonStyle.Secondary),
          ),
        ],
      };
    }
    case "reveal": {
      const q = part.question;
      return {
        content: `### ${deckText(q.prompt)}\nHow well did you know it?`,
        embeds: [
          {
            description: `Answer: ${answerLine(part.answer)}\n\n${deckText(part.answer.explain)}${docs(part.answer.link)}`,
            color: COLOR.brand,
          },
        ],
        components: [ratingRow(q.promptId, { intervals: part.intervals })],
      };
    }
    case "result": {
      const r = part.result;
      const lines = [`Answer: ${answerLine(r.answer)}`];
      if (r.given !== undefined && r.verdict !== "correct")
        lines.push(`You typed ${code(r.given)}`);
      lines.push(
        "",
        `${deckText(r.answer.explain)}${docs(r.answer.link)}`,
        "",
        `Next review ${when(r.nextDue)}.`,
      );
      return {
        content: `### ${deckText(r.question.prompt)}\n${resultHead(r)}`,
        embeds: [{ description: lines.join("\n"), color: resultColor(r) }],
        components: r.amendable ? [ratingRow(r.promptId, { current: r.rating })] : [],
      };
    }
    case "summary": {
      const s = part.summary;
      const done =
        s.reviewedToday > 0
          ? `🎉 All done for today: ${s.reviewedToday} reviewed, ${s.correctToday} correct.`
          : "Nothing due right now.";
      const next = s.nextDue ? ` Next card ${stamp(s.nextDue, TimestampStyles.RelativeTime)}.` : "";
      const delivery = s.nextDelivery ? `\nNext daily quiz: ${s.nextDelivery}.` : "";
      const streak = s.streak > 0 ? `\n🔥 ${plural(s.streak, "day")} streak` : "";
      return { content: `${done}${next}${delivery}${streak}`, embeds: [], components: [] };
    }
    case "stats": {
      const s = part.stats;
      const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);
      return {
        embeds: [
          {
            title: "Your pyjs progress",
            color: COLOR.brand,
            fields: [
              field(
                "Reviews",
                `${s.reviewsToday} today · ${s.reviewsThisWeek} this week · ${s.reviewsTotal} total`,
              ),
              field("Retention (30 days)", pct(s.retention30d), true),
              field("Streak", `🔥 ${plural(s.streak, "day")} (best ${s.bestStreak})`, true),
              field(
                "Cards",
                `${s.cards.new} new · ${s.cards.learning} learning · ${s.cards.young} young · ${s.cards.mature} mature`,
              ),
              field("Due", `${s.dueNow} now${s.nextDue ? `; next ${when(s.nextDue)}` : ""}`),
              field("Next 7 days", s.forecast.map((f) => String(f.due)).join(" · ")),
              field(
                "Daily quiz",
                part.subscription ?? "not subscribed — `/pyjs subscribe 09:00 Europe/Berlin`",
              ),
            ],
            footer: { text: `Days counted in ${part.tz}` },
          },
        ],
        components: [],
      };
    }
    case "expired":
      return {
        content: "⌛ This card has expired. Use `/pyjs quiz` for a fresh one.",
        embeds: [],
        components: [],
      };
    case "greeting": {
      const g = part.greeting;
      const again = g.unfinishedYesterday
        ? " Yesterday's quiz was left unfinished; let's pick it up."
        : "";
      return {
        content: `☀️ Good morning! ${plural(g.due, "review")} and ${plural(g.fresh, "new card")} today.${again}`,
        embeds: [],
        components: [],
      };
    }
    case "leaderboard": {
      const b = part.board;
      const rows = b.rows.length
        ? b.rows.map(
            (r) =>
              `**${r.rank}.** ${userText(r.name)} — ${plural(r.points, "pt")}${r.streak > 0 ? ` 🔥${r.streak}` : ""}`,
          )
        : ["Nobody has scored yet."];
      const fields: APIEmbedField[] = [];
      if (b.me)
        fields.push(
          field(
            "You",
            b.me.hidden
              ? "Hidden from the boards (`/pyjs leaderboard on` to rejoin)."
              : `${b.me.rank ? `#${b.me.rank}, ` : ""}${plural(b.me.points, "pt")}`,
            true,
          ),
        );
      if (b.mostImproved)
        fields.push(
          field(
            "Most improved",
            `${userText(b.mostImproved.name)} (+${b.mostImproved.gain})`,
            true,
          ),
        );
      if (b.totals)
        fields.push(
          field(
            "Team",
            `${plural(b.totals.reviews, "review")} by ${plural(b.totals.learners, "learner")}`,
            true,
          ),
        );
      return {
        embeds: [
          {
            title: `🏆 ${b.title} · ${b.period}`,
            description: rows.join("\n"),
            color: COLOR.brand,
            fields,
          },
        ],
        components: [],
      };
    }
    case "confirm-forget":
      return {
        content:
          "This erases your settings, progress, review history and leaderboard points. It cannot be undone.",
        embeds: [],
        components: [row(button(customId.forget(), "Erase my data", ButtonStyle.Danger))],
      };
    case "forgotten":
      return {
        content: `🗑️ Erased: ${part.erased.map(userText).join(", ") || "nothing was stored"}. pyjs keeps nothing about you now.`,
        embeds: [],
        components: [],
      };
    case "sent-to-dm":
      return {
        content: ctx.inDm ? "📬 Here it comes." : "📬 Sent to your direct messages.",
        embeds: [],
        components: [],
      };
  }
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
  if (!content && embeds.length === 0 && components.length === 0) {
    return { content: "Done.", embeds: [], components: [] };
  }
  return { content, embeds, components };
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
    allowedMentions: NO_MENTIONS,
  };
}
