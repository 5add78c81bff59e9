import type { Verdict } from "../core/grading.js";
import type { GlossaryEntry } from "../core/lookup.js";
import type { Stats } from "../core/stats.js";

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
  | { kind: "summary"; summary: Summary }
  | { kind: "stats"; stats: Stats; tz: string; subscription?: string | undefined }
  | { kind: "expired" }
  /** Said where a command came from when its real answer went to the DMs. */
  | { kind: "sent-to-dm" };

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
  rating: RatingWord;
  /** Human "in 3 days" and the exact time. */
  nextIn: string;
  nextDue: Date;
  /** The learner may still change the rating with the four buttons. */
  amendable: boolean;
  amended?: boolean | undefined;
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

export interface Reply {
  /** Shown where the request came from, only to the asker. */
  parts: Part[];
  /** Sent to the learner's direct messages (quiz questions and their results). */
  dm?: Part[] | undefined;
}

export const reply = (...parts: Part[]): Reply => ({ parts });
export const text = (t: string): Reply => reply({ kind: "text", text: t });
