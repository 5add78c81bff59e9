import type { Matched, Verdict } from "../core/grading.js";
import type { GlossaryEntry } from "../core/lookup.js";
import type { ParameterReport } from "../core/parameters.js";
import type { Stats } from "../core/stats.js";
import type { TopicRow } from "../core/topics.js";

/**
 * Platform-neutral replies. Adapters render them (Block Kit, embeds + components,
 * plain text); all text here is plain and unescaped, adapters escape for their medium.
 */
export type Part =
  | { kind: "text"; text: string }
  | { kind: "help"; lines: string[] }
  | { kind: "usage"; message: string }
  | { kind: "lookup"; entries: GlossaryEntry[] }
  | { kind: "unknown"; query: string; suggestions: string[] }
  | { kind: "question"; question: Question }
  | {
      kind: "reveal";
      question: Question;
      answer: AnswerInfo;
      intervals: Record<RatingWord, string>;
    }
  | { kind: "result"; result: Result }
  /** The card just lapsed for the leech threshold's time: suspend it or keep going. */
  | { kind: "leech"; leech: LeechNote }
  | { kind: "summary"; summary: Summary }
  | {
      kind: "stats";
      stats: Stats;
      tz: string;
      subscription?: string | undefined;
      /** Today's session is finished (it counts for the streak). */
      dayDone?: boolean | undefined;
      /** Reviews per local day over the last 26 weeks (terminal sparkline and calendar). */
      activity?: { today: string; days: Record<string, number> } | undefined;
      /** Rendered charts (calendar, forecast, retention) when rendering is wired and works. */
      images?: ChartImage[] | undefined;
      /** FSRS parameters in use and their fit (core/parameters.ts `parametersLine`, `fitLine`). */
      parameters?: ParameterReport | undefined;
    }
  | { kind: "expired" }
  /** The weekly note to a team's admin: cards most of the team keeps missing. */
  | { kind: "team-leeches"; note: TeamLeechNote }
  /** `export`: the review log as a CSV file, for adapters to upload, attach or write. */
  | { kind: "export"; file: ExportFile }
  | { kind: "greeting"; greeting: Greeting }
  | {
      kind: "leaderboard";
      board: Leaderboard;
      /** The board as a picture (weekly posts), when rendering is wired and works. */
      images?: ChartImage[] | undefined;
    }
  /** Asks to confirm `forget me` with a button (action `forget-confirm`). */
  | { kind: "confirm-forget" }
  | { kind: "forgotten"; erased: string[] }
  /** Said where a command came from when its real answer went to the DMs. */
  | { kind: "sent-to-dm" }
  | {
      kind: "topics";
      topics: TopicRow[];
      /** The learner's own new-cards-per-day, when set. */
      newPerDay?: number | undefined;
      /** What just changed, shown above the list. */
      note?: string | undefined;
    };

/** Team leeches (core/team-leeches.ts): a signal the cards may need rewording. */
export interface TeamLeechNote {
  /** The window, in days before the note. */
  days: number;
  cards: {
    cardId: string;
    term: string;
    prompt: string;
    answer: string;
    /** Learners who reviewed it, and those who missed it twice or more. */
    learners: number;
    missing: number;
    /** Wrong answers typed (bounded), most frequent first. */
    wrong: { text: string; count: number }[];
  }[];
}

/** The review log in the FSRS optimizer CSV layout (core/export.ts). */
export interface ExportFile {
  /** `pyjs-reviews-<learner>.csv` */
  name: string;
  csv: string;
  reviews: number;
  cards: number;
}

/** A rendered chart for adapters to attach or upload; `alt` is its numbers in words. */
export interface ChartImage {
  /** File name, e.g. "calendar.png"; the part before ".png" is the chart's kind. */
  name: string;
  png: Buffer;
  alt: string;
  width: number;
  height: number;
}

export type RatingWord = "Again" | "Hard" | "Good" | "Easy";

export interface Question {
  promptId: string;
  cardId: string;
  term: string;
  prompt: string;
  isNew: boolean;
  /** Cards left in today's session, this one included. */
  remaining: number;
}

export interface AnswerInfo {
  answer: string;
  accept: string[];
  explain: string;
  link: string;
}

export interface Result {
  promptId: string;
  question: Question;
  answer: AnswerInfo;
  /** How a typed answer was judged (undefined when self-graded). */
  verdict?: Exclude<Verdict, "empty"> | undefined;
  given?: string | undefined;
  /** The accepted answer a typed one matched, and what was typed if written differently. */
  match?: Matched | undefined;
  rating: RatingWord;
  /** Human "in 3 days" and the exact time. */
  nextIn: string;
  nextDue: Date;
  /** The learner may still change the rating with the four buttons. */
  amendable: boolean;
  amended?: boolean | undefined;
  /** A typed answer graded Again/Hard: the learner may say "I was right" (once). */
  claimable?: boolean | undefined;
}

/** A leech (Anki's word): a card the learner keeps forgetting. */
export interface LeechNote {
  /** The answered prompt: the Don't ask again button (action `suspend`) suspends its card. */
  promptId: string;
  cardId: string;
  term: string;
  prompt: string;
  /** Times forgotten (Again on a review card), and when the next reminder comes. */
  lapses: number;
  nextReminder: number;
  answer: AnswerInfo;
}

export interface Summary {
  reviewedToday: number;
  correctToday: number;
  /** When the next card comes back (learning step or next review), if any. */
  nextDue?: Date | undefined;
  nextIn?: string | undefined;
  nextDelivery?: string | undefined;
  streak: number;
}

/** The first line of a daily delivery. */
export interface Greeting {
  /** Reviews due and new cards waiting today. */
  due: number;
  fresh: number;
  /** Yesterday's session was left unfinished (said once). */
  unfinishedYesterday: boolean;
}

export interface BoardRow {
  rank: number;
  name: string;
  points: number;
  /** Current daily streak, shown as flames. */
  streak: number;
}

export interface Leaderboard {
  title: string;
  /** ISO week, e.g. 2026-W48, or "all-time". */
  period: string;
  rows: BoardRow[];
  /** The asker's own place (absent in channel posts). */
  me?: { rank?: number | undefined; points: number; hidden: boolean } | undefined;
  mostImproved?: { name: string; gain: number } | undefined;
  totals?: { reviews: number; learners: number } | undefined;
}

export interface Reply {
  /** Shown where the request came from, only to the asker. */
  parts: Part[];
  /** Sent to the learner's direct messages (quiz questions and their results). */
  dm?: Part[] | undefined;
}

export const reply = (...parts: Part[]): Reply => ({ parts });
export const text = (t: string): Reply => reply({ kind: "text", text: t });

/**
 * What to say beside a correct typed answer ("✓ npm (you wrote `npm i`)"): "accepted by
 * your team", the accepted form it matched when not the card's answer, what was typed when
 * written differently; joined by "; ". Undefined when there is nothing to say. `show`
 * quotes and escapes the two texts for the medium (the typed one is the learner's).
 */
export function matchWords(
  r: Result,
  show: { as: (answer: string) => string; wrote: (typed: string) => string },
): string | undefined {
  const m = r.match;
  if (!m || r.verdict !== "correct" || r.amended) return undefined;
  const says = m.byTeam
    ? ["accepted by your team"]
    : [
        m.answer !== r.answer.answer ? `as ${show.as(m.answer)}` : "",
        m.typed ? `you wrote ${show.wrote(m.typed)}` : "",
      ].filter(Boolean);
  return says.length ? says.join("; ") : undefined;
}
