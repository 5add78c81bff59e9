import type { Part, Reply } from "../../src/app/reply.js";
import { formatLocal } from "../../src/core/localtime.js";

const pct = (x: number | undefined) => (x === undefined ? "–" : `${Math.round(x * 100)}%`);

/** Plain-text rendering of a reply, for the terminal and for `pyjs lookup`. */
export function renderPart(part: Part, tz = "UTC"): string {
  switch (part.kind) {
    case "text":
      return part.text;
    case "help":
      return [
        "pyjs — Python for JavaScript developers. Commands:",
        ...part.lines.map((l) => `  ${l.replaceAll("`", "")}`),
      ].join("\n");
    case "usage":
      return part.message.replaceAll("`", "");
    case "lookup":
      return part.entries
        .map((e) =>
          [
            `${e.term}${e.js ? `  ≈ ${e.js} (JS)` : ""}`,
            `  ${e.explain}`,
            `  Docs: ${e.link}`,
            e.related.length ? `  Related: ${e.related.join(", ")}` : "",
          ]
            .filter(Boolean)
            .join("\n"),
        )
        .join("\n\n");
    case "unknown":
      return part.suggestions.length
        ? `I don't know "${part.query}". Did you mean: ${part.suggestions.join(", ")}?`
        : `I don't know "${part.query}". Try \`help\`, or a term such as pip, venv or pipx.`.replaceAll(
            "`",
            "",
          );
    case "question": {
      const q = part.question;
      return `${q.isNew ? "[new] " : ""}${q.prompt}\n  (type your answer, or "show"; ${q.remaining} left today)`;
    }
    case "reveal":
      return [
        `Answer: ${part.answer.answer}${part.answer.accept.length ? ` (also: ${part.answer.accept.join(", ")})` : ""}`,
        `  ${part.answer.explain}`,
        `How well did you know it? again (${part.intervals.Again}) · hard (${part.intervals.Hard}) · good (${part.intervals.Good}) · easy (${part.intervals.Easy})`,
      ].join("\n");
    case "result": {
      const r = part.result;
      const head = r.amended
        ? `Changed to ${r.rating}.`
        : r.verdict === "correct"
          ? "Correct!"
          : r.verdict === "typo"
            ? `Almost — it's "${r.answer.answer}" (counted as Hard).`
            : r.verdict === "wrong"
              ? `Not quite — it's "${r.answer.answer}".`
              : `Rated ${r.rating}.`;
      const explain = r.verdict && r.verdict !== "correct" ? `\n  ${r.answer.explain}` : "";
      return `${head}${explain}\n  Next review ${r.nextIn} (${formatLocal(r.nextDue, tz)}).`;
    }
    case "summary": {
      const s = part.summary;
      const next = s.nextIn ? ` Next card ${s.nextIn}.` : "";
      return s.reviewedToday > 0
        ? `All done for today: ${s.reviewedToday} reviewed, ${s.correctToday} correct.${next}`
        : `Nothing due right now.${next}`;
    }
    case "stats": {
      const s = part.stats;
      return [
        `Reviews: ${s.reviewsToday} today, ${s.reviewsThisWeek} this week, ${s.reviewsTotal} in total`,
        `Retention (30 days): ${pct(s.retention30d)}`,
        `Cards: ${s.cards.new} new, ${s.cards.learning} learning, ${s.cards.young} young, ${s.cards.mature} mature`,
        `Due now: ${s.dueNow}${s.nextDue ? `; next ${formatLocal(s.nextDue, part.tz)}` : ""}`,
        `Next 7 days: ${s.forecast.map((f) => f.due).join(" ")}`,
        `Streak: ${s.streak} day${s.streak === 1 ? "" : "s"} (best ${s.bestStreak})`,
        `Daily quiz: ${part.subscription ?? "not subscribed"}`,
      ].join("\n");
    }
    case "greeting": {
      const g = part.greeting;
      const again = g.unfinishedYesterday
        ? " Yesterday's quiz was left unfinished; let's pick it up."
        : "";
      return `Good morning! ${g.due} review${g.due === 1 ? "" : "s"} and ${g.fresh} new card${g.fresh === 1 ? "" : "s"} today.${again}`;
    }
    case "leaderboard": {
      const b = part.board;
      const rows = b.rows.length
        ? b.rows.map(
            (r) =>
              `  ${r.rank}. ${r.name} — ${r.points} pts${r.streak > 0 ? ` 🔥${r.streak}` : ""}`,
          )
        : ["  Nobody has scored yet."];
      const me = b.me
        ? b.me.hidden
          ? ["You are hidden from the boards (`leaderboard on` to rejoin)."]
          : [`You: ${b.me.rank ? `#${b.me.rank}, ` : ""}${b.me.points} pts`]
        : [];
      const extra = [
        ...(b.mostImproved
          ? [`Most improved: ${b.mostImproved.name} (+${b.mostImproved.gain})`]
          : []),
        ...(b.totals ? [`Team: ${b.totals.reviews} reviews by ${b.totals.learners} learners`] : []),
      ];
      return [`${b.title} (${b.period})`, ...rows, ...me, ...extra].join("\n").replaceAll("`", "");
    }
    case "confirm-forget":
      return "This erases your settings, progress, review history and leaderboard points. Type yes to erase everything; anything else keeps it.";
    case "forgotten":
      return `Erased: ${part.erased.join(", ")}. pyjs keeps nothing about you now.`;
    case "sent-to-dm":
      return "Sent to your direct messages.";
    case "expired":
      return "This card has expired. Type `quiz` for a fresh one.".replaceAll("`", "");
  }
}

export function renderReply(r: Reply, tz = "UTC"): string {
  return [...r.parts, ...(r.dm ?? [])]
    .filter((p) => p.kind !== "sent-to-dm")
    .map((p) => renderPart(p, tz))
    .join("\n");
}
