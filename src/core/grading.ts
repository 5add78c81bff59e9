import { Rating } from "ts-fsrs";
import {
  digitsOf,
  looseKey,
  looserForms,
  operatorsOf,
  readAnswer,
  readTarget,
  sepKey,
} from "./answer-text.js";
import type { Card, Deck } from "./deck.js";
import { KNOWN_TOOLS } from "./known-tools.js";
import { bound, editDistance } from "./text.js";

export type Verdict = "correct" | "typo" | "wrong" | "empty";

export interface Grade {
  verdict: Verdict;
  /** The FSRS rating the verdict maps to (undefined for an empty answer: nothing to grade). */
  rating?: Rating.Again | Rating.Hard | Rating.Good | undefined;
  /** What the learner typed, bounded. */
  given: string;
  /** What a right or almost-right answer was matched with (absent when wrong). */
  match?: Matched | undefined;
}

/** The accepted answer a typed one was matched with, to explain the grade. */
export interface Matched {
  /** The card's answer or one of its `accept` entries, as the deck writes it. */
  answer: string;
  /** What was typed, when it differs from `answer` beyond case, spacing and quoting. */
  typed?: string | undefined;
  /** Accepted by the learner's team ("I was right"), not by the deck. */
  byTeam?: boolean | undefined;
}

/** Longest typed text a match carries back (renderers show it beside the answer). */
export const MATCH_TYPED_MAX = 60;

/** `typed` differs from `answer` beyond case, whitespace, surrounding quotes/markdown and a final stop. */
function writtenDifferently(typed: string, answer: string): boolean {
  const plain = (t: string) =>
    t
      .trim()
      .replace(/^[`*_"'“”‘’]+|[`*_"'“”‘’.!]+$/g, "")
      .replace(/\s+/g, " ")
      .toLowerCase();
  return plain(typed) !== plain(answer);
}

/** What a grade says it matched: the answer as written, and the typed text if it differs. */
export function matchOf(answer: string, typed: string): Matched {
  if (!writtenDifferently(typed, answer)) return { answer };
  const short = typed.length > MATCH_TYPED_MAX ? `${typed.slice(0, MATCH_TYPED_MAX - 1)}…` : typed;
  return { answer, typed: short };
}

/** One accepted answer, read the way typed answers are read. */
interface Target {
  /** The answer as the deck writes it. */
  text: string;
  key: string;
  sep: string;
  digits: string;
  ops: string;
}

function targetOf(text: string): Target {
  const tokens = readTarget(text);
  const joined = tokens.join(" ");
  return {
    text,
    key: looseKey(joined),
    sep: sepKey(joined),
    digits: digitsOf(joined),
    ops: operatorsOf(joined),
  };
}

/**
 * Two answers are the same answer as the grader reads a whole typed answer: same loose
 * key, same separators inside words, same numbers and operators (`http.server` and
 * `http-server`, `annotations` and `__annotations__` are different answers).
 */
export function sameAnswer(a: string, b: string): boolean {
  const x = targetOf(a);
  const y = targetOf(b);
  return (
    x.key !== "" && x.key === y.key && x.sep === y.sep && x.digits === y.digits && x.ops === y.ops
  );
}

/** A comparison key: lowercase, quotes/markdown/separators folded (kept for callers). */
export function answerKey(input: string): string {
  return looseKey(readAnswer(input).tokens.join(" "));
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

/** Numbers are exact; operators (`~=`, `==`, `*`) too when the answer has any. */
function sameExactParts(text: string, t: Target): boolean {
  return digitsOf(text) === t.digits && (t.ops === "" || operatorsOf(text) === t.ops);
}

type Match = { verdict: "correct" | "typo"; start: number; end: number; target: Target };

/** The best contiguous run of tokens that is a target (or a typo of one). */
function findIn(tokens: string[], targets: Target[], others: KnownTerms): Match | undefined {
  let typo: Match | undefined;
  for (let start = 0; start < tokens.length; start++) {
    for (let end = start + 1; end <= tokens.length && end - start <= 8; end++) {
      const text = tokens.slice(start, end).join(" ");
      const key = looseKey(text);
      if (!key) continue;
      for (const t of targets) {
        if (!sameExactParts(text, t)) continue;
        if (key === t.key && sepKey(text) === t.sep)
          return { verdict: "correct", start, end, target: t };
        if (key === t.key) {
          typo ??= { verdict: "typo", start, end, target: t };
          continue;
        }
        if (typo || others.has(key) || !t.key) continue;
        const allowance = NUMBER_WORDS.has(t.key) ? 0 : typoAllowance(t.key.length);
        if (allowance > 0 && editDistance(key, t.key, allowance) <= allowance)
          typo = { verdict: "typo", start, end, target: t };
      }
    }
  }
  return typo;
}

/** Numbers spelled out are numbers: never a typo. */
const NUMBER_WORDS = new Set(
  "zero one two three four five six seven eight nine ten eleven twelve twenty hundred thousand".split(
    " ",
  ),
);

const NEGATION = new Set(["not", "no", "never", "isn't", "isnt", "without", "nor"]);

/**
 * Words around a found answer that change it: a negation ("not npm"), arithmetic on it
 * ("time.time() * 1000"), or other numbers beside a numeric answer ("0, 1, 2" for 2).
 */
function changesTheAnswer(tokens: string[], found: Match, targets: Target[]): boolean {
  const before = tokens.slice(0, found.start);
  const rest = [...before, ...tokens.slice(found.end)];
  const numeric = targets.some((t) => t.digits !== "" && /^\d+$/.test(t.key));
  return (
    before.some((w) => NEGATION.has(w)) ||
    rest.some((w) => /^[-+*/%]$/.test(w) || (numeric && /\d/.test(w)))
  );
}

/**
 * The answer inside the typed tokens: as written, then with calls' arguments dropped
 * (`time.sleep(1)`) against answers without numbers, then with a receiver dropped
 * (`lst.append`) against answers without a dot of their own.
 */
function findAnswer(
  tokens: string[],
  targets: Target[],
  others: KnownTerms,
  prompt: string,
): Match | undefined {
  const looser = tokens.map((t) => looserForms(t, prompt));
  const noDigits = targets.filter((t) => !t.digits);
  const noDots = noDigits.filter((t) => !t.key.includes("."));
  return (
    findIn(tokens, targets, others) ??
    findIn(
      tokens.map((t, i) => looser[i]?.[0] ?? t),
      noDigits,
      others,
    ) ??
    findIn(
      tokens.map((t, i) => looser[i]?.at(-1) ?? t),
      noDots,
      others,
    )
  );
}

/**
 * Grades a typed answer the way a fair teacher would: case, markdown, hedges and words
 * around the answer don't matter; numbers and operators are exact; a slip is a typo
 * unless it spells another real term (`otherAnswers`, loose keys); hedging between
 * candidates ("npm or npx") or saying "idk" is wrong.
 */
export function gradeAnswer(
  card: Pick<Card, "answer" | "accept"> & Partial<Pick<Card, "term" | "js" | "aliases" | "prompt">>,
  typed: string,
  otherAnswers: KnownTerms = new Set<string>(),
): Grade {
  // The card's own term, JS side and aliases are never "another tool" (no typo is
  // blocked by them), but typed as they are they are not its answer either.
  const ownTerms = new Set(
    [card.term, card.js, ...(card.aliases ?? [])]
      .filter((t): t is string => Boolean(t))
      .map((t) => looseKey(readTarget(t).join(" "))),
  );
  for (const a of [card.answer, ...card.accept]) ownTerms.delete(looseKey(readTarget(a).join(" ")));
  const given = bound(typed).trim();
  const read = readAnswer(given);
  const wrong: Grade = { verdict: "wrong", rating: RATING_FOR.wrong, given };
  if (!given) return { verdict: "empty", given };
  const symbol = symbolAnswer([card.answer, ...card.accept], given);
  if (symbol)
    return { verdict: "correct", rating: RATING_FOR.correct, given, match: matchOf(symbol, given) };
  const targets = [card.answer, ...card.accept].map(targetOf).filter((t) => t.key);
  const whole = wholeMatch(read.raw, targets) ?? wholeMatch(read.tokens, targets);
  if (whole)
    return {
      verdict: "correct",
      rating: RATING_FOR.correct,
      given,
      match: matchOf(whole.text, given),
    };
  if (read.nonAnswer || read.tokens.length === 0 || read.listsAlternatives) return wrong;
  const found = findAnswer(read.tokens, targets, otherAnswers, card.prompt ?? "");
  const wholeKey = looseKey(read.tokens.join(" "));
  if (!found) return wrong;
  if (found.verdict === "typo" && (otherAnswers.has(wholeKey) || ownTerms.has(wholeKey)))
    return wrong;
  if (changesTheAnswer(read.tokens, found, targets)) return wrong;
  return {
    verdict: found.verdict,
    rating: RATING_FOR[found.verdict],
    given,
    match: matchOf(found.target.text, given),
  };
}

/** Without surrounding spaces, quotes and backticks. */
const bare = (s: string) => s.replace(/^[\s`'"]+|[\s`'"]+$/g, "");

/**
 * An answer made only of symbols (`:=`, `...`, `,`) has no words to read, so it is
 * matched exactly as written (quotes and backticks aside); the word rules never see it.
 */
function symbolAnswer(answers: string[], given: string): string | undefined {
  const typed = bare(given);
  return answers.find((a) => !keyOf(a) && bare(a) !== "" && bare(a) === typed);
}

/** The target the whole answer is, separators as written. */
function wholeMatch(tokens: string[], targets: Target[]): Target | undefined {
  const text = tokens.join(" ");
  const key = looseKey(text);
  const sep = sepKey(text);
  if (key === "") return undefined;
  return targets.find((t) => key === t.key && sep === t.sep && sameExactParts(text, t));
}

/** Something that knows whether a loose key names another real term. */
export interface KnownTerms {
  has(key: string): boolean;
}

const keyOf = (text: string) => looseKey(readTarget(text).join(" "));

/** The loose keys of every answer, term and JS side in a deck, plus the known tools. */
export function deckTerms(cards: readonly Card[]): Set<string> {
  const all = new Set<string>();
  for (const c of cards)
    for (const s of [c.answer, c.term, ...(c.js ? [c.js] : []), ...c.accept]) all.add(keyOf(s));
  for (const s of KNOWN_TOOLS) all.add(keyOf(s));
  all.delete("");
  return all;
}

/** The terms that are not this card's own (its answer, term, JS side, accepts, aliases). */
export function othersFor(all: ReadonlySet<string>, card: Card): KnownTerms {
  const own = new Set(
    [card.answer, card.term, ...(card.js ? [card.js] : []), ...card.accept, ...card.aliases].map(
      keyOf,
    ),
  );
  return { has: (key) => all.has(key) && !own.has(key) };
}

/** The loose keys of every answer, term and known tool but this card's own. */
export function knownAnswers(cards: readonly Card[], except: Card): KnownTerms {
  return othersFor(deckTerms(cards), except);
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

/** The grader for one deck: the deck's known terms read once, at construction. */
export class Grader {
  private readonly all: Set<string>;

  constructor(private readonly deck: Deck) {
    this.all = deckTerms(deck.cards);
  }

  grade(card: Card, typed: string): Grade {
    return gradeAnswer(card, typed, othersFor(this.all, card));
  }

  /** The verdict as the labelled set spells it (an empty answer is a wrong one). */
  label(cardId: string, typed: string): "right" | "typo" | "wrong" {
    const card = this.deck.byId.get(cardId);
    if (!card) return "wrong";
    const v = this.grade(card, typed).verdict;
    return v === "correct" ? "right" : v === "typo" ? "typo" : "wrong";
  }
}
