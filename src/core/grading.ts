import { Rating } from "ts-fsrs";
import type { Card, Deck } from "./deck.js";
import { bound, editDistance } from "./text.js";

export type Verdict = "correct" | "typo" | "wrong" | "empty";

export interface Grade {
  verdict: Verdict;
  /** The FSRS rating the verdict maps to (undefined for an empty answer: nothing to grade). */
  rating?: Rating.Again | Rating.Hard | Rating.Good | undefined;
  /** What the learner typed, bounded. */
  given: string;
}

const FILLER = new Set([
  "the",
  "a",
  "an",
  "its",
  "it",
  "is",
  "it's",
  "thats",
  "that's",
  "like",
  "just",
]);

/** A comparison key: lowercase, `.`/`-`/`_` and punctuation as spaces, filler words dropped, no spaces. */
export function answerKey(input: string): string {
  const words = bound(input)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  while (words.length > 1 && FILLER.has(words[0] ?? "")) words.shift();
  while (words.length > 1 && FILLER.has(words[words.length - 1] ?? "")) words.pop();
  return words.join("").replace(/'/g, "");
}

/** How many edits still count as a typo for an answer of this length. */
export function typoAllowance(length: number): number {
  if (length < 3) return 0;
  if (length <= 8) return 1;
  return 2;
}

export const RATING_FOR: Record<
  Exclude<Verdict, "empty">,
  Rating.Again | Rating.Hard | Rating.Good
> = {
  correct: Rating.Good,
  typo: Rating.Hard,
  wrong: Rating.Again,
};

/**
 * Grades a typed answer. `otherAnswers` are keys of the deck's other terms: an answer
 * that is itself another known term ("npx" for "npm") is wrong, never a typo.
 */
export function gradeAnswer(
  card: Pick<Card, "answer" | "accept">,
  typed: string,
  otherAnswers: ReadonlySet<string> = new Set(),
): Grade {
  const given = bound(typed).trim();
  const key = answerKey(given);
  if (!key) return { verdict: "empty", given };
  const targets = [card.answer, ...card.accept].map(answerKey).filter(Boolean);
  if (targets.includes(key)) return { verdict: "correct", rating: RATING_FOR.correct, given };
  if (!otherAnswers.has(key)) {
    for (const target of targets) {
      const allowance = typoAllowance(target.length);
      if (allowance > 0 && editDistance(key, target, allowance) <= allowance) {
        return { verdict: "typo", rating: RATING_FOR.typo, given };
      }
    }
  }
  return { verdict: "wrong", rating: RATING_FOR.wrong, given };
}

/** The keys of every answer and term in a deck, for `gradeAnswer`'s `otherAnswers`. */
export function knownAnswers(cards: readonly Card[], except: Card): Set<string> {
  const own = new Set([except.answer, ...except.accept].map(answerKey));
  const out = new Set<string>();
  for (const c of cards) {
    for (const s of [c.answer, c.term, ...(c.js ? [c.js] : []), ...c.accept]) {
      const k = answerKey(s);
      if (k && !own.has(k)) out.add(k);
    }
  }
  return out;
}

const RATING_WORDS: Record<string, Rating.Again | Rating.Hard | Rating.Good | Rating.Easy> = {
  again: Rating.Again,
  hard: Rating.Hard,
  good: Rating.Good,
  easy: Rating.Easy,
  "1": Rating.Again,
  "2": Rating.Hard,
  "3": Rating.Good,
  "4": Rating.Easy,
};

/** "good", "Good", "3" -> Rating.Good (Anki's words and keys). */
export function parseRating(
  word: string,
): Rating.Again | Rating.Hard | Rating.Good | Rating.Easy | undefined {
  return RATING_WORDS[word.trim().toLowerCase()];
}

export const RATING_NAMES = ["Again", "Hard", "Good", "Easy"] as const;
export type RatingName = (typeof RATING_NAMES)[number];

export function ratingName(r: Rating): RatingName {
  const name = RATING_NAMES[r - 1];
  if (!name) throw new Error(`not a grade: ${r}`);
  return name;
}

/** The grader for one deck: each card's "other known answers" computed once. */
export class Grader {
  private readonly known = new Map<string, Set<string>>();

  constructor(private readonly deck: Deck) {}

  grade(card: Card, typed: string): Grade {
    let others = this.known.get(card.id);
    if (!others) {
      others = knownAnswers(this.deck.cards, card);
      this.known.set(card.id, others);
    }
    return gradeAnswer(card, typed, others);
  }

  /** The verdict as the labelled set spells it (an empty answer is a wrong one). */
  label(cardId: string, typed: string): "right" | "typo" | "wrong" {
    const card = this.deck.byId.get(cardId);
    if (!card) return "wrong";
    const v = this.grade(card, typed).verdict;
    return v === "correct" ? "right" : v === "typo" ? "typo" : "wrong";
  }
}
