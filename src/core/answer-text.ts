/**
 * How typed answers are read before grading. Pure. A typed answer becomes tokens with
 * a loose key each (case, quotes, markdown and separators folded), plus the parts a
 * fair teacher never folds: the digits (numbers are exact) and the operator symbols
 * (`~=` is not `==`).
 */
import { bound } from "./text.js";

/** Words that never change what an answer says: hedges, filler, articles, politeness. */
const FILLER_PHRASES = [
  "i'm pretty sure it's",
  "pretty sure it's",
  "pretty sure",
  "i'm not sure but",
  "i think it's",
  "i think",
  "i guess",
  "i believe",
  "i'd say",
  "id say",
  "i would say",
  "it should be",
  "should be",
  "must be",
  "it must be",
  "it's called",
  "it is called",
  "called",
  "probably",
  "maybe",
  "perhaps",
  "likely",
  "definitely",
  "surely",
  "obviously",
  "of course",
  "it's",
  "it is",
  "its",
  "that's",
  "that is",
  "you'd use",
  "you use",
  "you would use",
  "right",
  "is it",
  "isn't it",
  "the answer is",
  "answer:",
  "hmm",
  "um",
  "uh",
  "ok",
  "so",
  "the",
  "a",
  "an",
];

/** Answers that say "I don't know" (graded Again, the answer shown). */
const NON_ANSWERS = new Set([
  "idk",
  "i dont know",
  "i don't know",
  "dont know",
  "don't know",
  "no idea",
  "dunno",
  "not sure",
  "no clue",
  "nothing",
  "none of them",
]);

const OPERATORS = /[=<>~^*[\]!%+|:]/g;

export interface AnswerText {
  /** Lowercased, folded, parentheticals removed, fillers removed. */
  tokens: string[];
  /** Tokens before fillers were removed (to find the answer inside a sentence). */
  raw: string[];
  /** True when the learner said they don't know. */
  nonAnswer: boolean;
  /** True when the answer hedges between candidates ("npm or npx", "pip/pipx"). */
  listsAlternatives: boolean;
}

/** Lowercase, accents folded, quotes/backticks/markdown emphasis removed. */
export function fold(input: string): string {
  return bound(input)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[‘’´`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/`+/g, "")
    .replace(/(^|\s)(\*\*|\*|~~)(?=\S)([^*~]*?\S)\2(?=\s|$|[.,!?;:])/g, "$1$3");
}

/** URL spellings: scheme, `www.` and a trailing slash don't matter. */
function canonUrl(token: string): string {
  return token
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/+$/, "");
}

/** Command spellings that mean the same: `python3 -m pip` = `py -m pip`, `npm i` = `npm install`. */
export function canonCommand(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? "";
    const prev = out[out.length - 1];
    if (/^(python3(\.\d+)?|py|python\d?(\.\d+)?)$/.test(t)) out.push("python");
    else if (/^-3(\.\d+)?$/.test(t) && prev === "python") continue;
    else if (t === "pip3") out.push("pip");
    else if ((t === "i" || t === "add") && prev === "npm") out.push("install");
    else if (t === "un" && prev === "npm") out.push("uninstall");
    else out.push(canonUrl(t));
  }
  return out;
}

/** Versions and decimals: `v3.4` = `3.4` = `3.4.0`; `0.50` = `.5`. */
function canonNumbers(s: string): string {
  return s
    .replace(/\bv(?=\d)/g, "")
    .replace(/(^|[^\d.])\.(\d)/g, "$10.$2")
    .replace(/(~=\s*)?(\d+(?:\.\d+)+)/g, (all, compat: string | undefined, v: string) =>
      // `~=1.4.0` and `~=1.4` are different ranges: trailing zeros count there.
      compat ? all : v.replace(/(\.0+)+$/, "").replace(/(\.\d*?[1-9])0+$/, "$1"),
    );
}

/** The loose comparison key of some text: letters and digits only. */
export function looseKey(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, "");
}

/**
 * The strict comparison key: the loose key plus underscores at the edge of a word
 * (`__iter__` is not `__iter_` nor `iter`), which separators inside a word don't have.
 */
export function sepKey(text: string): string {
  return text.replace(
    /((?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])|[\p{L}\p{N}]+)|[\s\S]/gu,
    (_m, kept: string | undefined) => kept ?? "",
  );
}

/** The digits of a text, in order, grouped (numbers must match exactly). */
export function digitsOf(text: string): string {
  return (canonNumbers(text).match(/\d+/g) ?? []).join(".");
}

/** The operator symbols of a text, in order. */
export function operatorsOf(text: string): string {
  return (text.match(OPERATORS) ?? []).join("");
}

function stripFillers(text: string): string {
  let s = ` ${text} `;
  for (const f of FILLER_PHRASES) {
    const re = new RegExp(
      `(^|[\\s,;:])${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?=[\\s,;:?!.]|$)`,
      "g",
    );
    s = s.replace(re, "$1 ");
  }
  return s;
}

/** Quotes and sentence punctuation around a word; a `)` only when it closes nothing. */
function trimToken(token: string): string {
  let t = token.replace(/^["']+|["'?!.:]+$/g, "").replace(/'s$/, "");
  const opens = (t.match(/\(/g) ?? []).length;
  if (t.startsWith("(") && !t.includes(")")) t = t.slice(1);
  while (t.endsWith(")") && (t.match(/\)/g) ?? []).length > opens) t = t.slice(0, -1);
  return t.replace(/["'?!.:]+$/g, "");
}

function tokenize(text: string): string[] {
  return canonCommand(
    text
      .split(/[\s,;]+/)
      .map(trimToken)
      .filter(Boolean),
  );
}

/**
 * Other readings of a token that name the same thing: a call without its arguments
 * (`time.sleep(1)` → `time.sleep`), a method without its receiver (`lst.append` →
 * `append`). Used only against answers that have no digits or dots of their own.
 */
export function looserForms(token: string, given = ""): string[] {
  const forms: string[] = [];
  // Arguments with numbers matter (`sys.exit(1)` is not `sys.exit(2)`) unless the
  // prompt gave them (`asyncio.Semaphore(10)` where the prompt says 10).
  const args = /\(([^()]*)\)$/.exec(token)?.[1] ?? "";
  const numbers = args.match(/\d+/g) ?? [];
  if (numbers.some((n) => !new RegExp(`(^|\\D)${n}(\\D|$)`).test(given))) return forms;
  const bare = token.replace(/\([^()]*\)$/, "");
  if (bare !== token && bare) forms.push(bare);
  const dot = bare.lastIndexOf(".");
  if (dot > 0 && dot < bare.length - 1) forms.push(bare.slice(dot + 1));
  return forms;
}

/** Reads a typed answer. */
export function readAnswer(input: string): AnswerText {
  const folded = canonNumbers(fold(input).trim());
  const noParens = folded.replace(/\([^()]*\s[^()]*\)/g, " ");
  const bare = noParens.replace(/[?!.\s]+$/, "").trim();
  const nonAnswer = NON_ANSWERS.has(bare.replace(/[^a-z' ]/g, "").trim()) || looseKey(bare) === "";
  const listsAlternatives = /\s(or|vs\.?|versus)\s|\s\/\s|^either\s/.test(` ${bare} `);
  return {
    tokens: tokenize(stripFillers(bare)),
    raw: tokenize(bare),
    nonAnswer,
    listsAlternatives,
  };
}

/** A canonical answer (or accepted one) as the same kind of tokens. */
export function readTarget(answer: string): string[] {
  return tokenize(canonNumbers(fold(answer).trim()));
}
