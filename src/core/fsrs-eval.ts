import { type FSRSState, fsrs, generatorParameters } from "ts-fsrs";
import type { HistoryItem } from "./fsrs-items.js";
import type { FitMetrics } from "./parameters.js";

/**
 * Pure: how well FSRS weights predict reviews, Anki's "Evaluate". For each item the
 * memory state is replayed through the reviews before its last one (ts-fsrs, the same
 * formulas the scheduler uses), the retrievability at the last review's gap is the
 * prediction, and "recalled" (any rating but Again) is the outcome. Only predictions
 * across days count (the last review on a later day than the one before), as in the
 * FSRS benchmark: a same-day step says nothing about long-term memory.
 *
 * - log loss: mean of −[y·ln p + (1−y)·ln(1−p)];
 * - RMSE (bins): predictions grouped in 20 bins of predicted retrievability, the root of
 *   the review-weighted mean squared gap between each bin's mean prediction and its
 *   recall rate (a calibration error: 0 when predictions match what happened).
 */

const BINS = 20;
const EPS = 1e-6;

/** Predicted retrievability and outcome of each long-term review in `items`. */
export function predictions(
  items: readonly HistoryItem[],
  w: readonly number[],
): { p: number; y: number }[] {
  const f = fsrs(generatorParameters({ w: [...w], enable_short_term: true }));
  const out: { p: number; y: number }[] = [];
  for (const item of items) {
    const last = item.reviews.at(-1);
    if (!last || last.deltaT <= 0 || item.reviews.length < 2) continue;
    let state: FSRSState | null = null;
    for (const r of item.reviews.slice(0, -1)) state = f.next_state(state, r.deltaT, r.rating);
    if (!state) continue;
    const p = f.forgetting_curve(last.deltaT, state.stability);
    if (Number.isFinite(p)) out.push({ p, y: last.rating > 1 ? 1 : 0 });
  }
  return out;
}

/** Log loss and RMSE (bins) of `w` on the items; undefined when none is long-term. */
export function evaluateFit(
  items: readonly HistoryItem[],
  w: readonly number[],
): FitMetrics | undefined {
  const preds = predictions(items, w);
  if (preds.length === 0) return undefined;
  let loss = 0;
  const bins = Array.from({ length: BINS }, () => ({ n: 0, p: 0, y: 0 }));
  for (const { p, y } of preds) {
    const q = Math.min(1 - EPS, Math.max(EPS, p));
    loss -= y * Math.log(q) + (1 - y) * Math.log(1 - q);
    const bin = bins[Math.min(BINS - 1, Math.floor(p * BINS))];
    if (!bin) continue;
    bin.n++;
    bin.p += p;
    bin.y += y;
  }
  let sq = 0;
  for (const b of bins) if (b.n > 0) sq += b.n * ((b.p - b.y) / b.n) ** 2;
  return { logLoss: loss / preds.length, rmse: Math.sqrt(sq / preds.length), n: preds.length };
}
