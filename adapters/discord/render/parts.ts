import { type APIEmbed, type APIEmbedField, ButtonStyle, TimestampStyles } from "discord.js";
import { type Leaderboard, matchWords, type Part, type Result } from "../../../src/app/reply.js";
import { fitLine, type ParameterReport, parametersLine } from "../../../src/core/parameters.js";
import { customId } from "../ids.js";
import { button, ratingRow, row } from "./buttons.js";
import {
  attachments,
  COLOR,
  clip,
  code,
  deckText,
  defuse,
  docs,
  field,
  httpUrl,
  LIMITS,
  plural,
  type RenderContext,
  type Rendered,
  type Row,
  stamp,
  userText,
  when,
} from "./format.js";

/** The part of the reply with this kind. */
type PartOf<K extends Part["kind"]> = Extract<Part, { kind: K }>;

/** One renderer per reply-part kind: the compiler insists every kind has one. */
export type Renderers = {
  [K in Part["kind"]]: (part: PartOf<K>, ctx: RenderContext) => Rendered;
};

/** A message with text only. */
const says = (content: string): Rendered => ({ content, embeds: [], components: [] });

function answerLine(answer: { answer: string; accept: string[] }): string {
  const also = answer.accept.length ? ` (also: ${answer.accept.map(deckText).join(", ")})` : "";
  return `**${deckText(answer.answer)}**${also}`;
}

/** " **npm** (you wrote `npm i`)": what a right typed answer matched; `code` defuses the learner's text. */
function matchNote(r: Result): string {
  const says = matchWords(r, { as: (a) => `“${deckText(a)}”`, wrote: code });
  return says ? ` **${deckText(r.answer.answer)}** (${says})` : "";
}

function resultHead(r: Result): string {
  if (r.amended) return `✏️ Changed to **${r.rating}**.`;
  switch (r.verdict) {
    case "correct":
      return `✅ Correct!${matchNote(r)}`;
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

type Entry = PartOf<"lookup">["entries"][number];

function lookupEmbed(e: Entry): APIEmbed {
  const fields: APIEmbedField[] = [];
  if (e.js) fields.push(field("JavaScript", deckText(e.js), true));
  if (e.aliases.length)
    fields.push(field("Also known as", e.aliases.map(deckText).join(", "), true));
  fields.push(field("Docs", httpUrl(e.link) ?? deckText(e.link)));
  if (e.related.length) fields.push(field("Related", e.related.map((r) => code(r)).join(" · ")));
  const url = httpUrl(e.link);
  return {
    title: `${e.term}${e.js ? ` ≈ ${e.js}` : ""}`,
    ...(url ? { url } : {}),
    description: deckText(e.explain),
    color: COLOR.brand,
    fields,
  };
}

function boardRows(b: Leaderboard): string[] {
  if (!b.rows.length) return ["Nobody has scored yet."];
  return b.rows.map(
    (r) =>
      `**${r.rank}.** ${userText(r.name)} — ${plural(r.points, "pt")}${r.streak > 0 ? ` 🔥${r.streak}` : ""}`,
  );
}

function boardFields(b: Leaderboard): APIEmbedField[] {
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
      field("Most improved", `${userText(b.mostImproved.name)} (+${b.mostImproved.gain})`, true),
    );
  if (b.totals)
    fields.push(
      field(
        "Team",
        `${plural(b.totals.reviews, "review")} by ${plural(b.totals.learners, "learner")}`,
        true,
      ),
    );
  return fields;
}

function statsFields(part: PartOf<"stats">): APIEmbedField[] {
  const s = part.stats;
  const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);
  return [
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
    ...fsrsFields(part.parameters),
  ];
}

/** The FSRS parameters in use and their fit (`/pyjs optimize` fits them now). */
function fsrsFields(r: ParameterReport | undefined): APIEmbedField[] {
  if (!r) return [];
  const fit = fitLine(r);
  return [field("FSRS parameters", parametersLine(r)), ...(fit ? [field("FSRS fit", fit)] : [])];
}

/** The learner's decks, each with its progress and a button to add or remove it. */
function topics(part: PartOf<"topics">): Rendered {
  const lines = part.topics.map(
    (t) =>
      `${t.active ? "✅" : "⚪"} **${deckText(t.title)}** (\`${t.name}\`) — ${t.seen}/${t.total} seen · ${t.mature} mature`,
  );
  const perDay = part.newPerDay
    ? `${plural(part.newPerDay, "new card")} a day`
    : "The default number of new cards a day";
  const buttons = part.topics.map((t) =>
    button(
      customId.topic(t.name, !t.active),
      `${t.active ? "Remove" : "Add"} ${t.title}`,
      t.active ? ButtonStyle.Secondary : ButtonStyle.Success,
    ),
  );
  const rows: Row[] = [];
  for (let at = 0; at < buttons.length && rows.length < 5; at += LIMITS.buttonsPerRow)
    rows.push(row(...buttons.slice(at, at + LIMITS.buttonsPerRow)));
  return {
    content: part.note ? defuse(part.note) : undefined,
    embeds: [
      {
        title: "Your topics",
        description: clip(lines.join("\n"), LIMITS.description),
        color: COLOR.brand,
        footer: {
          text: `${perDay} · /pyjs set new <N> changes it · /pyjs topics all studies every deck`,
        },
      },
    ],
    components: rows,
  };
}

export const renderers: Renderers = {
  topics,
  text: (part) => says(defuse(part.text)),
  usage: (part) => says(defuse(part.message)),
  help: (part) => ({
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
  }),
  lookup: (part) => ({ embeds: part.entries.map(lookupEmbed), components: [] }),
  unknown: (part) => {
    const did = part.suggestions.length
      ? ` Did you mean ${part.suggestions.map((s) => `**${deckText(s)}**`).join(", ")}?`
      : " Try `/pyjs help`, or a term such as pip, venv or pipx.";
    return says(`I don't know ${code(part.query)}.${did}`);
  },
  question: (part) => {
    const q = part.question;
    const head = `${q.isNew ? "🆕 New card" : "🔁 Review"} · ${plural(q.remaining, "card")} left today`;
    return {
      content: `${head}\n### ${deckText(q.prompt)}\n-# Type your answer here, or use the buttons.`,
      embeds: [],
      components: [
        row(
          button(customId.answer(q.promptId), "Answer", ButtonStyle.Primary),
          button(customId.show(q.promptId), "Show answer", ButtonStyle.Secondary),
          button(customId.skip(q.promptId), "Skip", ButtonStyle.Secondary),
          button(customId.suspend(q.promptId), "Don't ask again", ButtonStyle.Secondary),
        ),
      ],
    };
  },
  reveal: (part) => ({
    content: `### ${deckText(part.question.prompt)}\nHow well did you know it?`,
    embeds: [
      {
        description: `Answer: ${answerLine(part.answer)}\n\n${deckText(part.answer.explain)}${docs(part.answer.link)}`,
        color: COLOR.brand,
      },
    ],
    components: [ratingRow(part.question.promptId, { intervals: part.intervals })],
  }),
  result: (part) => {
    const r = part.result;
    const lines = [`Answer: ${answerLine(r.answer)}`];
    if (r.given !== undefined && r.verdict !== "correct") lines.push(`You typed ${code(r.given)}`);
    lines.push(
      "",
      `${deckText(r.answer.explain)}${docs(r.answer.link)}`,
      "",
      `Next review ${when(r.nextDue)}.`,
    );
    return {
      content: `### ${deckText(r.question.prompt)}\n${resultHead(r)}`,
      embeds: [{ description: lines.join("\n"), color: resultColor(r) }],
      components: [
        ...(r.claimable
          ? [row(button(customId.right(r.promptId), "I was right", ButtonStyle.Primary))]
          : []),
        ...(r.amendable ? [ratingRow(r.promptId, { current: r.rating })] : []),
        row(button(customId.undo(r.promptId), "Undo", ButtonStyle.Secondary)),
      ],
    };
  },
  leech: ({ leech: l }) => ({
    content: `🩹 **You've forgotten this card ${l.lapses} times**: ${deckText(l.prompt)} → ${answerLine(l.answer)}`,
    embeds: [
      {
        description: `${deckText(l.answer.explain)}${docs(l.answer.link)}\n\nCard ${code(l.cardId)} is a leech: it costs review time without sticking. Reword it for yourself, read the docs once more, or stop asking it. Keep going and nothing changes; next reminder at ${l.nextReminder} lapses.`,
        color: COLOR.typo,
      },
    ],
    components: [
      row(button(customId.suspend(l.promptId), "Don't ask again", ButtonStyle.Secondary)),
    ],
  }),
  summary: (part) => {
    const s = part.summary;
    const done =
      s.reviewedToday > 0
        ? `🎉 All done for today: ${s.reviewedToday} reviewed, ${s.correctToday} correct.`
        : "Nothing due right now.";
    const next = s.nextDue ? ` Next card ${stamp(s.nextDue, TimestampStyles.RelativeTime)}.` : "";
    const delivery = s.nextDelivery ? `\nNext daily quiz: ${s.nextDelivery}.` : "";
    const streak = s.streak > 0 ? `\n🔥 ${plural(s.streak, "day")} streak` : "";
    return says(`${done}${next}${delivery}${streak}`);
  },
  stats: (part) => ({
    embeds: [
      {
        title: "Your pyjs progress",
        color: COLOR.brand,
        fields: statsFields(part),
        footer: { text: `Days counted in ${part.tz}` },
      },
    ],
    components: [],
    files: attachments(part.images),
  }),
  expired: () => says("⌛ This card has expired. Use `/pyjs quiz` for a fresh one."),
  "team-leeches": ({ note }) => ({
    content: `🔎 **Cards your team keeps missing** (last ${note.days} days): each was missed twice or more by at least half of the learners who reviewed it.`,
    embeds: note.cards.slice(0, LIMITS.embeds).map((c) => ({
      title: clip(`${c.prompt || c.term} → ${c.answer}`, LIMITS.title),
      description: [
        `${code(c.cardId)} · missed by ${c.missing} of ${plural(c.learners, "learner")}`,
        ...(c.wrong.length
          ? [
              `Typed instead: ${c.wrong.map((w) => `“${userText(w.text)}”${w.count > 1 ? ` ×${w.count}` : ""}`).join(", ")}`,
            ]
          : []),
      ].join("\n"),
      color: COLOR.typo,
    })),
    components: [],
  }),
  export: ({ file }) => ({
    content: `📄 Your review log: **${plural(file.reviews, "review")}** of ${plural(file.cards, "card")}, attached as ${code(file.name)} in the CSV layout the FSRS optimizer tools read (card_id, review_time, review_rating, review_state, review_duration).`,
    embeds: [],
    components: [],
    files: [
      {
        name: file.name,
        data: Buffer.from(file.csv, "utf8"),
        description: `pyjs review log, ${plural(file.reviews, "review")}`,
        contentType: "text/csv",
      },
    ],
  }),
  greeting: (part) => {
    const g = part.greeting;
    const again = g.unfinishedYesterday
      ? " Yesterday's quiz was left unfinished; let's pick it up."
      : "";
    return says(
      `☀️ Good morning! ${plural(g.due, "review")} and ${plural(g.fresh, "new card")} today.${again}`,
    );
  },
  leaderboard: ({ board: b, ...part }) => ({
    embeds: [
      {
        title: `🏆 ${b.title} · ${b.period}`,
        description: boardRows(b).join("\n"),
        color: COLOR.brand,
        fields: boardFields(b),
      },
    ],
    components: [],
    files: attachments(part.images),
  }),
  "confirm-forget": () => ({
    content:
      "This erases your settings, progress, review history and leaderboard points. It cannot be undone.",
    embeds: [],
    components: [row(button(customId.forget(), "Erase my data", ButtonStyle.Danger))],
  }),
  forgotten: (part) =>
    says(
      `🗑️ Erased: ${part.erased.map(userText).join(", ") || "nothing was stored"}. pyjs keeps nothing about you now.`,
    ),
  "sent-to-dm": (_part, ctx) =>
    says(ctx.inDm ? "📬 Here it comes." : "📬 Sent to your direct messages."),
};
