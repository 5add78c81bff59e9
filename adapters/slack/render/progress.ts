import type { Leaderboard } from "../../../src/app/reply.js";
import { parameterLines } from "../../../src/core/parameters.js";
import { esc, slackDate } from "../mrkdwn.js";
import {
  ACTIONS,
  type Block,
  button,
  chunkLines,
  context,
  LIMITS,
  mrkdwn,
  pct,
  plural,
  type Renderer,
  section,
} from "./kit.js";

/** A learner's progress: their stats, and the team's leaderboards. */

export const stats: Renderer<"stats"> = (part) => {
  const s = part.stats;
  const fields = [
    `*Due today*\n${s.forecast[0]?.due ?? s.dueNow}`,
    `*Streak*\n${plural(s.streak, "day")} (best ${s.bestStreak})`,
    `*Retention (30 days)*\n${pct(s.retention30d)}`,
    `*Reviews*\n${s.reviewsToday} today · ${s.reviewsThisWeek} this week · ${s.reviewsTotal} total`,
    `*Cards*\n${s.cards.new} new · ${s.cards.learning} learning · ${s.cards.young} young · ${s.cards.mature} mature`,
    `*Daily quiz*\n${esc(part.subscription ?? "not subscribed")}`,
  ];
  const next = s.nextDue ? `Next card due ${slackDate(s.nextDue, part.tz)}` : "";
  const fsrs = parameterLines(part.parameters).map(esc);
  return [
    { type: "section", fields: fields.map((f) => mrkdwn(f)) },
    context(`Next 7 days: ${s.forecast.map((f) => f.due).join(" · ")}`, ...(next ? [next] : [])),
    ...(fsrs.length ? [context(...fsrs)] : []),
  ];
};

const medal = (rank: number) =>
  rank === 1
    ? ":first_place_medal:"
    : rank === 2
      ? ":second_place_medal:"
      : rank === 3
        ? ":third_place_medal:"
        : `${rank}.`;

/** The lines under a board: where the reader stands, who improved most, team totals. */
function boardNotes(b: Leaderboard): string[] {
  const notes: string[] = [];
  if (b.me)
    notes.push(
      b.me.hidden
        ? "You are hidden from the boards (`/pyjs leaderboard on` to rejoin)."
        : `You: ${b.me.rank ? `#${b.me.rank}, ` : ""}${b.me.points} pts`,
    );
  if (b.mostImproved)
    notes.push(`Most improved: ${esc(b.mostImproved.name)} (+${b.mostImproved.gain})`);
  if (b.totals)
    notes.push(
      `Team: ${plural(b.totals.reviews, "review")} by ${plural(b.totals.learners, "learner")}`,
    );
  return notes;
}

export const leaderboard: Renderer<"leaderboard"> = (part) => {
  const b = part.board;
  const rows = b.rows.length
    ? b.rows.map(
        (r) =>
          `${medal(r.rank)} ${esc(r.name)} — ${r.points} pts${r.streak > 0 ? ` :fire:${r.streak}` : ""}`,
      )
    : ["Nobody has scored yet."];
  const notes = boardNotes(b);
  return [
    section(`:trophy: *${esc(b.title)}* (${esc(b.period)})`),
    ...chunkLines(rows, LIMITS.sectionText).map(section),
    ...(notes.length ? [context(...notes)] : []),
  ];
};

/** The learner's topics: one line per deck with its progress and a button to toggle it. */
export const topics: Renderer<"topics"> = (part) => {
  const rows = part.topics.map(
    (t): Block => ({
      type: "section",
      text: mrkdwn(
        `${t.active ? ":white_check_mark:" : ":white_circle:"} *${esc(t.title)}* (\`${esc(t.name)}\`)\n${t.seen}/${t.total} seen · ${t.mature} mature`,
      ),
      accessory: button(
        t.active ? "Remove" : "Add",
        ACTIONS.command("topic"),
        `topics ${t.active ? "remove" : "add"} ${t.name}`,
      ),
    }),
  );
  const perDay = part.newPerDay
    ? `${part.newPerDay} new cards a day`
    : "The default number of new cards a day";
  return [
    ...(part.note ? [section(esc(part.note))] : []),
    ...rows,
    context(
      `${perDay} · \`/pyjs set new <N>\` changes it · \`/pyjs topics all\` studies every deck`,
    ),
  ];
};

/** The weekly note to a team's admin: cards most of the team keeps missing. */
export const teamLeeches: Renderer<"team-leeches"> = ({ note }) => [
  section(
    `:mag: *Cards your team keeps missing* (last ${note.days} days): each was missed twice or more by at least half of the learners who reviewed it.`,
  ),
  ...note.cards.map((c) => {
    const typed = c.wrong.length
      ? `\nTyped instead: ${c.wrong.map((w) => `“${esc(w.text)}”${w.count > 1 ? ` ×${w.count}` : ""}`).join(", ")}`
      : "";
    return section(
      `*${esc(c.prompt || c.term)}* → *${esc(c.answer)}* (\`${esc(c.cardId)}\`)\nMissed by ${c.missing} of ${plural(c.learners, "learner")}.${typed}`,
    );
  }),
  context(
    "A signal the card may need rewording (or another accepted answer in its deck's `accept:` list), not that people are slow. No names are kept in this note.",
  ),
];
