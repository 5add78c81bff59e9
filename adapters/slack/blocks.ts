import type { types } from "@slack/bolt";
import type { Part, RatingWord } from "../../src/app/reply.js";
import type { Action } from "../../src/app/types.js";
import type { Grade } from "../../src/core/scheduler.js";
import { clipMrkdwn, clipPlain, esc, link, slackDate } from "./mrkdwn.js";

export type Block = types.KnownBlock;
type Button = types.Button;
type TextObject = types.PlainTextElement | types.MrkdwnElement;

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
  command: (name: string) => `pyjs_cmd_${name}`,
} as const;

/** Matches every action_id above (also after a uniqueness suffix `_2`). */
export const ACTION_ID_PATTERN = /^pyjs_/;

const RATINGS: readonly [RatingWord, Grade][] = [
  ["Again", 1],
  ["Hard", 2],
  ["Good", 3],
  ["Easy", 4],
];

export interface RenderContext {
  /** The learner's zone, for the fallback text of dates (Slack shows each reader's own). */
  tz: string;
}

/** A button press turned back into an App action (undefined for anything not ours). */
export function parseAction(actionId: string, value: string | undefined): Action | undefined {
  const rate = /^pyjs_rate_([1-4])(?:_\d+)?$/.exec(actionId);
  if (rate)
    return value ? { type: "rate", promptId: value, rating: Number(rate[1]) as Grade } : undefined;
  const id = actionId.replace(/_\d+$/, "");
  if (id === ACTIONS.show) return value ? { type: "show", promptId: value } : undefined;
  if (id === ACTIONS.forgetConfirm) return { type: "forget-confirm" };
  if (id.startsWith("pyjs_cmd_") && value) return { type: "command", text: value };
  return undefined;
}

const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text });
const plain = (text: string): types.PlainTextElement => ({
  type: "plain_text",
  text: clipPlain(text, LIMITS.buttonText),
  emoji: true,
});
const section = (text: string): types.SectionBlock => ({
  type: "section",
  text: mrkdwn(clipMrkdwn(text, LIMITS.sectionText)),
});
const context = (...texts: string[]): types.ContextBlock => ({
  type: "context",
  elements: texts.map((t) => mrkdwn(clipMrkdwn(t, LIMITS.contextText))),
});
const button = (
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
const actions = (...elements: Button[]): types.ActionsBlock => ({ type: "actions", elements });
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);

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

function chunkLines(lines: string[], max: number): string[] {
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

/** One reply part as Block Kit blocks. All user and card text is escaped here. */
export function renderPart(part: Part, ctx: RenderContext): Block[] {
  switch (part.kind) {
    case "text":
      return [section(esc(part.text))];
    case "help":
      return [
        section("*pyjs* — Python for JavaScript developers. Commands:"),
        ...chunkLines(
          part.lines.map((l) => `• ${esc(l)}`),
          LIMITS.sectionText,
        ).map(section),
      ];
    case "usage":
      return [section(esc(part.message))];
    case "lookup": {
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
    }
    case "unknown":
      return [
        section(
          part.suggestions.length
            ? `I don't know “${esc(part.query)}”. Did you mean: ${part.suggestions
                .map((s) => `*${esc(s)}*`)
                .join(", ")}?`
            : `I don't know “${esc(part.query)}”. Try \`/pyjs help\`, or a term such as pip, venv or pipx.`,
        ),
      ];
    case "question": {
      const q = part.question;
      return [
        section(promptText(q)),
        context(`Type your answer here, or press *Show answer* · ${q.remaining} left today`),
        actions(button("Show answer", ACTIONS.show, q.promptId, "primary")),
      ];
    }
    case "reveal": {
      const a = part.answer;
      const also = a.accept.length ? ` _(also: ${a.accept.map(esc).join(", ")})_` : "";
      return [
        section(promptText(part.question)),
        section(`*Answer:* ${esc(a.answer)}${also}\n${esc(a.explain)}`),
        context(`Docs: ${link(a.link)}`, "How well did you know it?"),
        rateButtons(part.question.promptId, part.intervals),
      ];
    }
    case "result": {
      const r = part.result;
      const answer = `*${esc(r.answer.answer)}*`;
      const given = r.given ? ` (you typed “${esc(r.given)}”)` : "";
      const head = r.amended
        ? `*Changed to ${r.rating}.* The answer: ${answer}`
        : r.verdict === "correct"
          ? `:white_check_mark: *Correct!* ${answer}`
          : r.verdict === "typo"
            ? `:large_orange_circle: *Almost* — it's ${answer}${given}, counted as Hard.`
            : r.verdict === "wrong"
              ? `:x: *Not quite* — it's ${answer}${given}.`
              : `*Rated ${r.rating}.* The answer: ${answer}`;
      const blocks: Block[] = [
        section(promptText(r.question)),
        section(`${head}\n${esc(r.answer.explain)}`),
        context(
          `Next review ${esc(r.nextIn)} (${slackDate(r.nextDue, ctx.tz)})`,
          `Docs: ${link(r.answer.link)}`,
        ),
      ];
      if (r.amendable) {
        blocks.push(rateButtons(r.promptId, undefined, r.rating));
        blocks.push(context("Rated wrong? Press another button to change it."));
      }
      return blocks;
    }
    case "summary": {
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
    }
    case "stats": {
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
      return [
        { type: "section", fields: fields.map((f) => mrkdwn(f)) },
        context(
          `Next 7 days: ${s.forecast.map((f) => f.due).join(" · ")}`,
          ...(next ? [next] : []),
        ),
      ];
    }
    case "greeting": {
      const g = part.greeting;
      const again = g.unfinishedYesterday
        ? " Yesterday's quiz was left unfinished; let's pick it up."
        : "";
      return [
        section(
          `:wave: Good morning! ${plural(g.due, "review")} and ${plural(g.fresh, "new card")} today.${again}`,
        ),
      ];
    }
    case "leaderboard": {
      const b = part.board;
      const medal = (rank: number) =>
        rank === 1
          ? ":first_place_medal:"
          : rank === 2
            ? ":second_place_medal:"
            : rank === 3
              ? ":third_place_medal:"
              : `${rank}.`;
      const rows = b.rows.length
        ? b.rows.map(
            (r) =>
              `${medal(r.rank)} ${esc(r.name)} — ${r.points} pts${r.streak > 0 ? ` :fire:${r.streak}` : ""}`,
          )
        : ["Nobody has scored yet."];
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
      return [
        section(`:trophy: *${esc(b.title)}* (${esc(b.period)})`),
        ...chunkLines(rows, LIMITS.sectionText).map(section),
        ...(notes.length ? [context(...notes)] : []),
      ];
    }
    case "confirm-forget":
      return [
        section(
          "This erases your settings, progress, review history and leaderboard points. It cannot be undone.",
        ),
        actions({
          ...button("Erase my data", ACTIONS.forgetConfirm, "forget-me", "danger"),
          confirm: {
            title: plain("Erase your pyjs data?"),
            text: plain("Your progress, history and points will be gone for good."),
            confirm: plain("Erase"),
            deny: plain("Keep it"),
            style: "danger",
          },
        }),
      ];
    case "forgotten":
      return [
        section(`Erased: ${part.erased.map(esc).join(", ")}. pyjs keeps nothing about you now.`),
      ];
    case "sent-to-dm":
      return [section(":mailbox_with_mail: Sent to your direct messages.")];
    case "expired":
      return [section("This card has expired. Type `quiz` (or `/pyjs quiz`) for a fresh one.")];
  }
}

function fixText<T extends TextObject>(t: T, max: number): T {
  const text = t.type === "mrkdwn" ? clipMrkdwn(t.text, max) : clipPlain(t.text, max);
  return text === t.text ? t : { ...t, text };
}

function fixButton(b: Button, seen: Set<string>): Button {
  let id = b.action_id ?? "";
  if (seen.has(id)) {
    let n = 2;
    while (seen.has(`${id}_${n}`)) n++;
    id = `${id}_${n}`;
  }
  seen.add(id);
  return {
    ...b,
    text: fixText(b.text, LIMITS.buttonText),
    action_id: id.slice(0, LIMITS.actionId),
    ...(b.value !== undefined ? { value: b.value.slice(0, LIMITS.buttonValue) } : {}),
  };
}

function fixBlock(block: Block, seen: Set<string>): Block {
  switch (block.type) {
    case "section": {
      const out: types.SectionBlock = { ...block };
      if (block.text) out.text = fixText(block.text, LIMITS.sectionText);
      if (block.fields)
        out.fields = block.fields.slice(0, LIMITS.fields).map((f) => fixText(f, LIMITS.fieldText));
      if (block.accessory?.type === "button") out.accessory = fixButton(block.accessory, seen);
      return out;
    }
    case "actions":
      return {
        ...block,
        elements: block.elements
          .slice(0, LIMITS.actionsElements)
          .map((e) => (e.type === "button" ? fixButton(e, seen) : e)),
      };
    case "context":
      return {
        ...block,
        elements: block.elements
          .slice(0, LIMITS.contextElements)
          .map((e) =>
            e.type === "mrkdwn" || e.type === "plain_text" ? fixText(e, LIMITS.contextText) : e,
          ),
      };
    case "header":
      return { ...block, text: fixText(block.text, LIMITS.headerText) };
    default:
      return block;
  }
}

/**
 * Holds blocks to Block Kit's limits whatever went in: at most `max` blocks (the last
 * one then says how many were left out), section text ≤ 3000, button text ≤ 75, unique
 * action_ids (a repeat gets a `_2` suffix), every over-long text ending in an ellipsis.
 */
export function enforceLimits(blocks: Block[], max: number = LIMITS.messageBlocks): Block[] {
  const seen = new Set<string>();
  const fixed = blocks.map((b) => fixBlock(b, seen));
  if (fixed.length <= max) return fixed;
  const kept = fixed.slice(0, max - 1);
  return [...kept, context(`…and ${fixed.length - kept.length} more not shown.`)];
}

/** Notification text for a message: its section texts, already escaped, bounded. */
export function fallbackText(blocks: Block[]): string {
  const texts: string[] = [];
  for (const b of blocks) {
    if (b.type === "section") {
      if (b.text) texts.push(b.text.text);
      for (const f of b.fields ?? []) texts.push(f.text.replace("\n", ": "));
    }
  }
  return clipMrkdwn(texts.join("\n") || "pyjs", LIMITS.fallbackText);
}

export interface SlackMessage {
  blocks: Block[];
  text: string;
}

/** Parts as one message within Block Kit's limits, or undefined when there is nothing to say. */
export function renderMessage(parts: Part[], ctx: RenderContext): SlackMessage | undefined {
  if (parts.length === 0) return undefined;
  const blocks = enforceLimits(parts.flatMap((p) => renderPart(p, ctx)));
  return { blocks, text: fallbackText(blocks) };
}

/**
 * The App Home tab: a notice (the answer to the button just pressed), then the learner's
 * stats and the Start a quiz / Subscribe or Unsubscribe buttons.
 */
export function renderHome(
  stats: Part | undefined,
  notice: Part[],
  ctx: RenderContext,
): types.HomeView {
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: "pyjs — Python for JavaScript developers" },
    },
  ];
  const shown = notice.filter((p) => p.kind !== "stats");
  if (shown.length) blocks.push(...shown.flatMap((p) => renderPart(p, ctx)), { type: "divider" });
  const subscribed = stats?.kind === "stats" && stats.subscription !== undefined;
  if (stats?.kind === "stats") {
    const s = stats.stats;
    blocks.push({
      type: "section",
      fields: [
        mrkdwn(`*Due today*\n${s.forecast[0]?.due ?? s.dueNow}`),
        mrkdwn(`*Streak*\n${plural(s.streak, "day")} (best ${s.bestStreak})`),
        mrkdwn(`*Retention (30 days)*\n${pct(s.retention30d)}`),
        mrkdwn(`*Daily quiz*\n${esc(stats.subscription ?? "not subscribed")}`),
      ],
    });
    blocks.push(
      context(
        `Reviews: ${s.reviewsToday} today · ${s.reviewsThisWeek} this week · ${s.reviewsTotal} total`,
        `Cards: ${s.cards.new} new · ${s.cards.learning} learning · ${s.cards.young} young · ${s.cards.mature} mature`,
      ),
    );
  }
  blocks.push(
    actions(
      button("Start a quiz", ACTIONS.command("quiz"), "quiz", "primary"),
      subscribed
        ? button("Unsubscribe", ACTIONS.command("unsubscribe"), "unsubscribe")
        : button("Subscribe", ACTIONS.command("subscribe"), "subscribe"),
    ),
    context(
      "Look a term up with `/pyjs pip`; `/pyjs help` lists every command. Quiz answers go in the Messages tab.",
    ),
  );
  return { type: "home", blocks: enforceLimits(blocks, LIMITS.homeBlocks) };
}
