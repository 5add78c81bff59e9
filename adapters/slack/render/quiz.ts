import type { types } from "@slack/bolt";
import { matchWords, type RatingWord, type Result } from "../../../src/app/reply.js";
import type { Grade } from "../../../src/core/scheduler.js";
import { esc, link, slackDate } from "../mrkdwn.js";
import {
  ACTIONS,
  actions,
  type Block,
  button,
  context,
  plural,
  type Renderer,
  section,
} from "./kit.js";

/** The quiz: questions, revealed answers with the grade buttons, results and summaries. */

const RATINGS: readonly [RatingWord, Grade][] = [
  ["Again", 1],
  ["Hard", 2],
  ["Good", 3],
  ["Easy", 4],
];

/** The four self-grade buttons (Anki's words), each naming when the card comes back. */
function rateButtons(
  promptId: string,
  intervals?: Record<RatingWord, string>,
  chosen?: RatingWord,
): types.ActionsBlock {
  return actions(
    ...RATINGS.map(([word, grade]) =>
      button(
        intervals ? `${word} · ${intervals[word]}` : chosen === word ? `✓ ${word}` : word,
        ACTIONS.rate(grade),
        promptId,
        chosen
          ? chosen === word
            ? "primary"
            : undefined
          : word === "Good"
            ? "primary"
            : undefined,
      ),
    ),
  );
}

function promptText(q: { prompt: string; isNew: boolean }): string {
  return `${q.isNew ? ":new: " : ""}*${esc(q.prompt)}*`;
}

export const question: Renderer<"question"> = (part) => {
  const q = part.question;
  return [
    section(promptText(q)),
    context(`Type your answer here, or press *Show answer* · ${q.remaining} left today`),
    actions(
      button("Show answer", ACTIONS.show, q.promptId, "primary"),
      button("Skip", ACTIONS.skip, q.promptId),
      button("Don't ask again", ACTIONS.suspend, q.promptId),
    ),
  ];
};

export const reveal: Renderer<"reveal"> = (part) => {
  const a = part.answer;
  const also = a.accept.length ? ` _(also: ${a.accept.map(esc).join(", ")})_` : "";
  return [
    section(promptText(part.question)),
    section(`*Answer:* ${esc(a.answer)}${also}\n${esc(a.explain)}`),
    context(`Docs: ${link(a.link)}`, "How well did you know it?"),
    rateButtons(part.question.promptId, part.intervals),
  ];
};

/** " (you wrote `npm i`)": what a right typed answer matched; the learner's text escaped. */
function matchNote(r: Result): string {
  const says = matchWords(r, {
    as: (a) => `“${esc(a)}”`,
    // A backtick would end the code span early; Slack still wants &, <, > escaped in it.
    wrote: (t) => `\`${esc(t.replaceAll("`", "ˋ"))}\``,
  });
  return says ? ` (${says})` : "";
}

/** The first line of a result: how the answer was judged, then the right answer. */
function resultHead(r: Result): string {
  const answer = `*${esc(r.answer.answer)}*`;
  const given = r.given ? ` (you typed “${esc(r.given)}”)` : "";
  if (r.amended) return `*Changed to ${r.rating}.* The answer: ${answer}`;
  switch (r.verdict) {
    case "correct":
      return `:white_check_mark: *Correct!* ${answer}${matchNote(r)}`;
    case "typo":
      return `:large_orange_circle: *Almost* — it's ${answer}${given}, counted as Hard.`;
    case "wrong":
      return `:x: *Not quite* — it's ${answer}${given}.`;
    default:
      return `*Rated ${r.rating}.* The answer: ${answer}`;
  }
}

export const result: Renderer<"result"> = (part, ctx) => {
  const r = part.result;
  const blocks: Block[] = [
    section(promptText(r.question)),
    section(`${resultHead(r)}\n${esc(r.answer.explain)}`),
    context(
      `Next review ${esc(r.nextIn)} (${slackDate(r.nextDue, ctx.tz)})`,
      `Docs: ${link(r.answer.link)}`,
    ),
  ];
  if (r.claimable)
    blocks.push(actions(button("I was right", ACTIONS.right, r.promptId, "primary")));
  if (r.amendable) {
    blocks.push(rateButtons(r.promptId, undefined, r.rating));
    blocks.push(context("Rated wrong? Press another button to change it."));
  }
  blocks.push(actions(button("Undo", ACTIONS.undo, r.promptId)));
  return blocks;
};

/** A leech: the card once more, and Don't ask again (suspends it) or keep going. */
export const leech: Renderer<"leech"> = (part) => {
  const l = part.leech;
  return [
    section(
      `:adhesive_bandage: *You've forgotten this card ${l.lapses} times*: *${esc(l.prompt)}* → *${esc(l.answer.answer)}*\n${esc(l.answer.explain)}`,
    ),
    context(
      `Docs: ${link(l.answer.link)}`,
      `Card ${esc(l.cardId)} is a leech: it costs review time without sticking. Reword it for yourself, read the docs once more, or stop asking it. Keep going and nothing changes; next reminder at ${l.nextReminder} lapses.`,
    ),
    actions(button("Don't ask again", ACTIONS.suspend, l.promptId)),
  ];
};

export const summary: Renderer<"summary"> = (part, ctx) => {
  const s = part.summary;
  const next = s.nextDue
    ? ` Next card ${esc(s.nextIn ?? "")} (${slackDate(s.nextDue, ctx.tz)}).`
    : "";
  const head =
    s.reviewedToday > 0
      ? `:tada: *All done for today:* ${s.reviewedToday} reviewed, ${s.correctToday} correct.`
      : "*Nothing due right now.*";
  const extra = [
    s.streak > 0 ? `Streak: ${plural(s.streak, "day")} :fire:` : "",
    s.nextDelivery ? `Next daily quiz: ${esc(s.nextDelivery)}` : "",
  ].filter(Boolean);
  return [section(`${head}${next}`), ...(extra.length ? [context(...extra)] : [])];
};

export const greeting: Renderer<"greeting"> = (part) => {
  const g = part.greeting;
  const again = g.unfinishedYesterday
    ? " Yesterday's quiz was left unfinished; let's pick it up."
    : "";
  return [
    section(
      `:wave: Good morning! ${plural(g.due, "review")} and ${plural(g.fresh, "new card")} today.${again}`,
    ),
  ];
};

export const expired: Renderer<"expired"> = () => [
  section("This card has expired. Type `quiz` (or `/pyjs quiz`) for a fresh one."),
];
