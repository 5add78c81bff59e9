import { decodeState, State } from "./scheduler.js";
import { bound } from "./text.js";

/**
 * Team leeches: cards most of a team keeps missing, a signal that the card may need
 * rewording (or more accepted answers), not that the people are slow. Pure; `now` is an
 * argument.
 *
 * Over the last `days` (28) before `now`, for each card: the team's learners who reviewed
 * it, and those who *missed* it at least `misses` (2) times — an Again on a card they had
 * seen before (learning, review or relearning: not knowing a brand-new card is no
 * signal). A card is listed when at least `minLearners` (3) reviewed it and at least
 * `share` (half) of them missed it that often; most-missed first, at most `max` (10).
 * Each comes with the wrong answers typed for it, most frequent first.
 */
export const TEAM_LEECH_RULES = {
  days: 28,
  misses: 2,
  minLearners: 3,
  share: 0.5,
  max: 10,
  /** Wrong answers shown per card, and their longest text. */
  answers: 5,
  answerChars: 80,
} as const;

export type TeamLeechRules = { readonly [K in keyof typeof TEAM_LEECH_RULES]: number };

/** What the selection reads of a review-log entry (amends folded, undos dropped). */
export interface TeamLogEntry {
  card: string;
  rating: number;
  /** Review time, epoch ms. */
  review: number;
  /** Encoded state before the review ("" for a new card). */
  before: string;
  /** The typed answer, when there was one. */
  given?: string | undefined;
}

export interface TeamLeech {
  card: string;
  /** Learners who reviewed it in the window, and those who missed it `misses`+ times. */
  learners: number;
  missing: number;
  /** Wrong answers typed for it, most frequent first. */
  wrong: { text: string; count: number }[];
}

const DAY_MS = 86_400_000;

/** An Again on a card the learner had already seen. */
function isMiss(e: TeamLogEntry): boolean {
  if (e.rating !== 1 || !e.before) return false;
  try {
    return decodeState(e.before).state !== State.New;
  } catch {
    return false;
  }
}

interface CardTally {
  learners: number;
  missing: number;
  wrong: Map<string, { text: string; count: number }>;
}

/** Per card: who reviewed it, who missed it often, and the wrong answers typed. */
function tally(
  logs: ReadonlyMap<string, readonly TeamLogEntry[]>,
  since: number,
  until: number,
  rules: TeamLeechRules,
): Map<string, CardTally> {
  const cards = new Map<string, CardTally>();
  for (const entries of logs.values()) {
    const misses = new Map<string, number>();
    for (const e of entries) {
      if (e.review < since || e.review >= until) continue;
      const t = cards.get(e.card) ?? { learners: 0, missing: 0, wrong: new Map() };
      cards.set(e.card, t);
      if (!misses.has(e.card)) {
        misses.set(e.card, 0);
        t.learners += 1;
      }
      if (isMiss(e)) misses.set(e.card, (misses.get(e.card) ?? 0) + 1);
      const typed = e.rating === 1 && e.given ? bound(e.given, rules.answerChars).trim() : "";
      if (typed) {
        const key = typed.toLowerCase();
        const w = t.wrong.get(key) ?? { text: typed, count: 0 };
        w.count += 1;
        t.wrong.set(key, w);
      }
    }
    for (const [card, n] of misses) {
      const t = cards.get(card);
      if (t && n >= rules.misses) t.missing += 1;
    }
  }
  return cards;
}

export function teamLeeches(
  logs: ReadonlyMap<string, readonly TeamLogEntry[]>,
  now: Date,
  rules: TeamLeechRules = TEAM_LEECH_RULES,
): TeamLeech[] {
  const until = now.getTime();
  const cards = tally(logs, until - rules.days * DAY_MS, until, rules);
  const out: TeamLeech[] = [];
  for (const [card, t] of cards) {
    if (t.learners < rules.minLearners || t.missing < t.learners * rules.share) continue;
    const wrong = [...t.wrong.values()]
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
      .slice(0, rules.answers);
    out.push({ card, learners: t.learners, missing: t.missing, wrong });
  }
  return out
    .sort(
      (a, b) =>
        b.missing / b.learners - a.missing / a.learners ||
        b.missing - a.missing ||
        a.card.localeCompare(b.card),
    )
    .slice(0, rules.max);
}
