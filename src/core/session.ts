import type { Card } from "./deck.js";
import { type CardState, State } from "./scheduler.js";

export interface SessionLimits {
  /** New cards introduced per local day (Anki's "new cards/day", default 5 here). */
  newPerDay: number;
  /** Reviews per local day (Anki's "maximum reviews/day", default 50 here). */
  maxReviewsPerDay: number;
}

export const DEFAULT_LIMITS: SessionLimits = { newPerDay: 5, maxReviewsPerDay: 50 };

/** What the learner already did today, in their own time zone. */
export interface DayCounts {
  newCards: number;
  reviews: number;
}

export interface SessionPlan {
  /** Card ids in the order they will be asked: due reviews first, then new cards. */
  due: string[];
  fresh: string[];
  /** Cards in (re)learning that come back later today, with the earliest time. */
  nextLearningAt?: Date | undefined;
}

/**
 * Picks today's cards: due reviews first (most overdue first), capped by the daily
 * review limit, then new cards in deck order up to the daily new-card limit.
 * Cards removed from the deck, and `hidden` ones, are ignored (their history stays in
 * the store). After a vacation the overdue pile is spread over the following days:
 * each day takes at most the review limit, oldest due first, and no new cards while
 * reviews fill the day.
 */
export function planSession(
  cards: readonly Card[],
  states: ReadonlyMap<string, CardState>,
  now: Date,
  limits: SessionLimits,
  today: DayCounts,
  /** Cards left out today: suspended, or skipped until a later day (core/controls). */
  hidden?: ReadonlySet<string>,
): SessionPlan {
  const dueCards: { id: string; due: number }[] = [];
  const fresh: string[] = [];
  // More new cards than the day allows are never taken: stop collecting them there.
  const freshWanted = Math.max(0, limits.newPerDay - today.newCards);
  let nextLearningAt: Date | undefined;
  const endOfLearningWindow = now.getTime() + 24 * 3600_000;
  for (const card of cards) {
    if (hidden?.has(card.id)) continue;
    const st = states.get(card.id);
    if (!st || st.state === State.New) {
      if (fresh.length < freshWanted) fresh.push(card.id);
      continue;
    }
    const due = st.due.getTime();
    if (due <= now.getTime()) dueCards.push({ id: card.id, due });
    else if (st.state !== State.Review && due < endOfLearningWindow) {
      if (!nextLearningAt || due < nextLearningAt.getTime()) nextLearningAt = st.due;
    }
  }
  dueCards.sort((a, b) => a.due - b.due || a.id.localeCompare(b.id));
  const reviewRoom = Math.max(0, limits.maxReviewsPerDay - today.reviews);
  const newRoom = Math.max(
    0,
    Math.min(limits.newPerDay - today.newCards, reviewRoom - dueCards.length),
  );
  return {
    due: dueCards.slice(0, reviewRoom).map((d) => d.id),
    fresh: fresh.slice(0, newRoom),
    nextLearningAt,
  };
}

/** The next card to ask, if any. */
export function nextCardId(plan: SessionPlan): string | undefined {
  return plan.due[0] ?? plan.fresh[0];
}

/** How many cards are left in the plan. */
export function planSize(plan: SessionPlan): number {
  return plan.due.length + plan.fresh.length;
}
