import {
  type Leaderboard,
  matchWords,
  type Part,
  type Reply,
  type Result,
} from "../../src/app/reply.js";
import { formatLocal } from "../../src/core/localtime.js";
import { parameterLines } from "../../src/core/parameters.js";
import { printable } from "../../src/core/text.js";
import { activityLines } from "./activity.js";

const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);

/** The part of the reply with this kind. */
type PartOf<K extends Part["kind"]> = Extract<Part, { kind: K }>;

/** One renderer per reply-part kind; `tz` is the zone dates are shown in. */
type Renderers = { [K in Part["kind"]]: (part: PartOf<K>, tz: string) => string };

function lookupEntry(e: PartOf<"lookup">["entries"][number]): string {
  return [
    `${e.term}${e.js ? `  ≈ ${e.js} (JS)` : ""}`,
    `  ${e.explain}`,
    `  Docs: ${e.link}`,
    e.related.length ? `  Related: ${e.related.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

/** " npm (you wrote `npm i`)": what a right typed answer matched, when not as written. */
function matchNote(r: Result): string {
  const says = matchWords(r, { as: (a) => `"${a}"`, wrote: (t) => `\`${t}\`` });
  return says ? ` ${r.answer.answer} (${says})` : "";
}

function resultHead(r: Result): string {
  if (r.amended) return `Changed to ${r.rating}.`;
  if (r.verdict === "correct") return `Correct!${matchNote(r)}`;
  if (r.verdict === "typo") return `Almost — it's "${r.answer.answer}" (counted as Hard).`;
  if (r.verdict === "wrong") return `Not quite — it's "${r.answer.answer}".`;
  return `Rated ${r.rating}.`;
}

function boardLines(b: Leaderboard): string[] {
  const rows = b.rows.length
    ? b.rows.map(
        (r) => `  ${r.rank}. ${r.name} — ${r.points} pts${r.streak > 0 ? ` 🔥${r.streak}` : ""}`,
      )
    : ["  Nobody has scored yet."];
  const me = b.me
    ? b.me.hidden
      ? ["You are hidden from the boards (`leaderboard on` to rejoin)."]
      : [`You: ${b.me.rank ? `#${b.me.rank}, ` : ""}${b.me.points} pts`]
    : [];
  const extra = [
    ...(b.mostImproved ? [`Most improved: ${b.mostImproved.name} (+${b.mostImproved.gain})`] : []),
    ...(b.totals ? [`Team: ${b.totals.reviews} reviews by ${b.totals.learners} learners`] : []),
  ];
  return [`${b.title} (${b.period})`, ...rows, ...me, ...extra];
}

/** A day counts for the streak once that day's quiz is finished: say so until it is. */
export function streakLine(streak: number, best: number, dayDone: boolean): string {
  const line = `Streak: ${streak} day${streak === 1 ? "" : "s"} (best ${best})`;
  if (dayDone) return line;
  return `${line} — ${streak === 0 ? "finish today's quiz to start one" : "finish today's quiz to keep it going"}`;
}

/** Decks with progress; the terminal has no buttons, so it names the commands. */
function topicsText(part: PartOf<"topics">): string {
  const rows = part.topics.map(
    (t) =>
      `  [${t.active ? "x" : " "}] ${t.name.padEnd(20)} ${t.title} — ${t.seen}/${t.total} seen, ${t.mature} mature`,
  );
  const perDay = part.newPerDay
    ? `${part.newPerDay} new cards a day`
    : "The default number of new cards a day";
  return [
    ...(part.note ? [part.note] : []),
    "Your topics:",
    ...rows,
    `${perDay}. topics add|remove <deck>, topics all, set new <N>.`,
  ].join("\n");
}

const renderers: Renderers = {
  topics: topicsText,
  text: (part) => part.text,
  help: (part) =>
    [
      "pyjs — Python for JavaScript developers. Commands:",
      ...part.lines.map((l) => `  ${l.replaceAll("`", "")}`),
    ].join("\n"),
  usage: (part) => part.message.replaceAll("`", ""),
  lookup: (part) => part.entries.map(lookupEntry).join("\n\n"),
  unknown: (part) =>
    part.suggestions.length
      ? `I don't know "${part.query}". Did you mean: ${part.suggestions.join(", ")}?`
      : `I don't know "${part.query}". Try \`help\`, or a term such as pip, venv or pipx.`.replaceAll(
          "`",
          "",
        ),
  question: ({ question: q }) =>
    `${q.isNew ? "[new] " : ""}${q.prompt}\n  (type your answer, or "show"; ${q.remaining} left today)`,
  reveal: (part) =>
    [
      `Answer: ${part.answer.answer}${part.answer.accept.length ? ` (also: ${part.answer.accept.join(", ")})` : ""}`,
      `  ${part.answer.explain}`,
      `How well did you know it? again (${part.intervals.Again}) · hard (${part.intervals.Hard}) · good (${part.intervals.Good}) · easy (${part.intervals.Easy})`,
    ].join("\n"),
  result: ({ result: r }, tz) => {
    const explain = r.verdict && r.verdict !== "correct" ? `\n  ${r.answer.explain}` : "";
    const claim = r.claimable ? "\n  Were you right? Type right and it counts as Good." : "";
    return `${resultHead(r)}${explain}\n  Next review ${r.nextIn} (${formatLocal(r.nextDue, tz)}).${claim}`;
  },
  leech: ({ leech: l }) =>
    [
      `Leech: you've forgotten this card ${l.lapses} times — ${l.prompt} → ${l.answer.answer}`,
      `  ${l.answer.explain}`,
      `  Docs: ${l.answer.link}`,
      `  It costs review time without sticking. Type suspend ${l.cardId} to stop asking it, or keep going (next reminder at ${l.nextReminder} lapses).`,
    ].join("\n"),
  summary: ({ summary: s }) => {
    const next = s.nextIn ? ` Next card ${s.nextIn}.` : "";
    return s.reviewedToday > 0
      ? `All done for today: ${s.reviewedToday} reviewed, ${s.correctToday} correct.${next}`
      : `Nothing due right now.${next}`;
  },
  stats: (part) => {
    const s = part.stats;
    return [
      `Reviews: ${s.reviewsToday} today, ${s.reviewsThisWeek} this week, ${s.reviewsTotal} in total`,
      `Retention (30 days): ${pct(s.retention30d)}`,
      `Cards: ${s.cards.new} new, ${s.cards.learning} learning, ${s.cards.young} young, ${s.cards.mature} mature`,
      `Due now: ${s.dueNow}${s.nextDue ? `; next ${formatLocal(s.nextDue, part.tz)}` : ""}`,
      `Next 7 days: ${s.forecast.map((f) => f.due).join(" ")}`,
      streakLine(s.streak, s.bestStreak, part.dayDone ?? false),
      `Daily quiz: ${part.subscription ?? "not subscribed"}`,
      ...parameterLines(part.parameters),
      ...(part.activity ? activityLines(part.activity) : []),
    ].join("\n");
  },
  greeting: ({ greeting: g }) => {
    const again = g.unfinishedYesterday
      ? " Yesterday's quiz was left unfinished; let's pick it up."
      : "";
    return `Good morning! ${g.due} review${g.due === 1 ? "" : "s"} and ${g.fresh} new card${g.fresh === 1 ? "" : "s"} today.${again}`;
  },
  leaderboard: (part) => boardLines(part.board).join("\n").replaceAll("`", ""),
  "confirm-forget": () =>
    "This erases your settings, progress, review history and leaderboard points. Type yes to erase everything; anything else keeps it.",
  forgotten: (part) => `Erased: ${part.erased.join(", ")}. pyjs keeps nothing about you now.`,
  "sent-to-dm": () => "Sent to your direct messages.",
  "team-leeches": ({ note }) =>
    [
      `Cards your team keeps missing (last ${note.days} days):`,
      ...note.cards.map(
        (c) =>
          `  ${c.prompt || c.term} → ${c.answer} (${c.cardId}): missed by ${c.missing} of ${c.learners} learners${c.wrong.length ? `; typed instead: ${c.wrong.map((w) => `"${w.text}"${w.count > 1 ? ` ×${w.count}` : ""}`).join(", ")}` : ""}`,
      ),
      "A signal the card may need rewording, not that people are slow.",
    ].join("\n"),
  export: ({ file }) =>
    `Your review log: ${file.reviews} review${file.reviews === 1 ? "" : "s"} of ${file.cards} card${file.cards === 1 ? "" : "s"} (${file.name}, the CSV layout the FSRS optimizer tools read).`,
  expired: () => "This card has expired. Type `quiz` for a fresh one.".replaceAll("`", ""),
};

/** Parts whose text is deck content, where a backtick may be part of what is taught. */
const DECK_TEXT: ReadonlySet<Part["kind"]> = new Set([
  "lookup",
  "question",
  "reveal",
  "result",
  "leech",
]);

/**
 * Plain-text rendering of a reply, for the terminal and for `pyjs lookup`: markdown code
 * marks dropped from pyjs's own messages, and never a control sequence or bidi override.
 */
export function renderPart(part: Part, tz = "UTC"): string {
  // TypeScript cannot correlate `part.kind` with the table's key; the table's type does.
  const render = renderers[part.kind] as (part: Part, tz: string) => string;
  const shown = render(part, tz);
  return printable(DECK_TEXT.has(part.kind) ? shown : shown.replaceAll("`", ""));
}

export function renderReply(r: Reply, tz = "UTC"): string {
  return [...r.parts, ...(r.dm ?? [])]
    .filter((p) => p.kind !== "sent-to-dm")
    .map((p) => renderPart(p, tz))
    .join("\n");
}
