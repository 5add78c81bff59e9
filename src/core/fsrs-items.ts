import { localDate } from "./localtime.js";

/**
 * Pure: a learner's folded review log -> the review histories the FSRS optimizer trains
 * on (fsrs-rs "items"). A card's history is its reviews in time order, each with the
 * rating and the days since the previous review counted in local calendar days (0 for
 * the first review and for same-day steps), as Anki does (its day starts at midnight
 * here, not 4 am). Every review after a card's first is one item: the history up to and
 * including it, the last rating being the outcome to predict; items whose history never
 * left the first day are dropped (see `isTrainable`).
 */

/** One review as the optimizer needs it. `first`: the card was new before it. */
export interface ReviewEvent {
  card: string;
  /** 1 Again … 4 Easy. */
  rating: number;
  /** Epoch ms. */
  at: number;
  /** The card was new (never reviewed) before this review. */
  fromNew: boolean;
}

/** One review inside an item: rating and whole days since the previous one. */
export interface ItemReview {
  rating: number;
  deltaT: number;
}

/** A training/evaluation item: a card's history up to one review, and that review's time. */
export interface HistoryItem {
  card: string;
  reviews: ItemReview[];
  /** Epoch ms of the last review (the one predicted), for time splits. */
  at: number;
}

const DAY_MS = 86_400_000;

/** Whole calendar days from local date `a` to `b` (YYYY-MM-DD). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * Groups reviews by card (time order kept) and builds one item per review after the
 * first. A card whose earliest review in `events` was not from new is dropped: its
 * history was cut (a bounded read) and would mislead the fit, as Anki drops such cards.
 */
export function toItems(events: readonly ReviewEvent[], tz: string): HistoryItem[] {
  const byCard = new Map<string, ReviewEvent[]>();
  for (const e of events) {
    if (!(e.rating >= 1 && e.rating <= 4) || !Number.isFinite(e.at)) continue;
    const list = byCard.get(e.card);
    if (list) list.push(e);
    else byCard.set(e.card, [e]);
  }
  const items: HistoryItem[] = [];
  for (const [card, list] of byCard) {
    list.sort((x, y) => x.at - y.at);
    if (!list[0]?.fromNew) continue;
    const reviews: ItemReview[] = [];
    let prevDate = "";
    for (const e of list) {
      const date = localDate(new Date(e.at), tz);
      reviews.push({ rating: e.rating, deltaT: prevDate ? daysBetween(prevDate, date) : 0 });
      prevDate = date;
      if (reviews.length > 1 && isTrainable(reviews))
        items.push({ card, reviews: [...reviews], at: e.at });
    }
  }
  return items.sort((x, y) => x.at - y.at);
}

/**
 * What fsrs-rs accepts (it aborts the process on anything else, so every item passed to
 * it is checked here): ratings 1–4, whole non-negative day gaps, the first gap 0, and at
 * least one review on a later day than the one before (a history spent within one day
 * says nothing about long-term memory; Anki drops those too).
 */
export function isTrainable(reviews: readonly ItemReview[]): boolean {
  if (reviews.length < 2 || reviews[0]?.deltaT !== 0) return false;
  let later = false;
  for (const r of reviews) {
    if (!Number.isInteger(r.rating) || r.rating < 1 || r.rating > 4) return false;
    if (!Number.isInteger(r.deltaT) || r.deltaT < 0) return false;
    if (r.deltaT > 0) later = true;
  }
  return later;
}

/**
 * Time split for evaluation: items whose predicted review is before `cut` train, the
 * rest are held out. `fraction` picks the cut so that share of items trains.
 */
export function timeSplit(
  items: readonly HistoryItem[],
  fraction: number,
): { train: HistoryItem[]; test: HistoryItem[] } {
  const sorted = [...items].sort((x, y) => x.at - y.at);
  const n = Math.floor(sorted.length * fraction);
  return { train: sorted.slice(0, n), test: sorted.slice(n) };
}
