/**
 * The FSRS optimizer: @open-spaced-repetition/binding (fsrs-rs 6.5 compiled to a native
 * Node addon, one prebuilt package per platform). Loaded on first use, so processes that
 * never fit never load it. Fitting runs off the event loop (a napi async task on
 * libuv's pool). Evaluating is pure TypeScript (core/fsrs-eval.ts): the binding's
 * `evaluate` answered InvalidInput / NotEnoughData on some ordinary review sets.
 */
import { type HistoryItem, isTrainable } from "../core/fsrs-items.js";

type Binding = typeof import("@open-spaced-repetition/binding");

let loading: Promise<Binding> | undefined;

function binding(): Promise<Binding> {
  loading ??= import("@open-spaced-repetition/binding");
  return loading;
}

/** Whether the native optimizer loads on this platform (the log says so when not). */
export async function optimizerAvailable(): Promise<boolean> {
  try {
    await binding();
    return true;
  } catch {
    loading = undefined;
    return false;
  }
}

export interface FitOptions {
  /** Relearning steps the scheduler uses (fsrs-rs fits short-term weights around them). */
  numRelearningSteps: number;
}

/**
 * fsrs-rs panics on an item it cannot use, and a panic in its thread aborts the whole
 * process: every item is checked (core/fsrs-items.ts `isTrainable`) before it crosses.
 */
function toBinding(b: Binding, items: readonly HistoryItem[]) {
  return items
    .filter((i) => isTrainable(i.reviews))
    .map(
      (i) =>
        new b.FSRSBindingItem(i.reviews.map((r) => new b.FSRSBindingReview(r.rating, r.deltaT))),
    );
}

/**
 * Fits FSRS-6 weights to the items (fsrs-rs trains with a fixed seed: the same items
 * give the same weights). With too few items fsrs-rs answers its defaults (or only its
 * initial stabilities): callers check the review count first.
 */
export async function fitWeights(
  items: readonly HistoryItem[],
  opts: FitOptions,
): Promise<number[]> {
  const b = await binding();
  return b.computeParameters(toBinding(b, items), {
    enableShortTerm: true,
    numRelearningSteps: opts.numRelearningSteps,
  });
}
