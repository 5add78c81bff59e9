/**
 * Leeches, as Anki has them: a card the learner keeps forgetting. A lapse is an Again
 * on a card in Review state (FSRS counts them in the card's `lapses`). At the threshold
 * (Anki's default 8) the card becomes a leech and the learner is told; then again every
 * half-threshold further lapses (12, 16, … for 8). A threshold of 0 turns leeches off.
 * Pure: the review path asks `leechAt` with the lapses before and after a review.
 */

export const DEFAULT_LEECH_THRESHOLD = 8;

/** Lapses between two reminders after the threshold: half of it, at least 1 (Anki). */
export function leechStep(threshold: number): number {
  return Math.max(1, Math.floor(threshold / 2));
}

/**
 * The lapse count to announce when a review took a card's lapses from `before` to
 * `after`, or 0 when this review crossed no leech threshold.
 */
export function leechAt(before: number, after: number, threshold: number): number {
  if (threshold <= 0 || after <= before || after < threshold) return 0;
  return (after - threshold) % leechStep(threshold) === 0 ? after : 0;
}

/** True when a card with this many lapses is a leech. */
export function isLeech(lapses: number, threshold: number): boolean {
  return threshold > 0 && lapses >= threshold;
}

/** The next lapse count that will bring a reminder, for a card at `lapses`. */
export function nextLeechReminder(lapses: number, threshold: number): number {
  if (lapses < threshold) return threshold;
  const step = leechStep(threshold);
  return threshold + (Math.floor((lapses - threshold) / step) + 1) * step;
}
