/**
 * The FSRS optimizer: fsrs-rs 6.5 compiled to a native Node addon by the
 * `@open-spaced-repetition/binding` project, one prebuilt package per platform. pyjs
 * depends on the platform package directly (an optional dependency) and loads it here:
 * the umbrella `@open-spaced-repetition/binding` lists every platform's package at
 * ^0.5.0 as optional, and a registry that has only some of them (this project's has only
 * linux-x64-gnu at 0.5.0) leaves a lockfile `npm ci` rejects. Loaded on first use, so
 * processes that never fit never load it. Fitting runs off the event loop (a napi async
 * task on libuv's pool). Evaluating is pure TypeScript (core/fsrs-eval.ts): the
 * binding's `evaluate` answered InvalidInput / NotEnoughData on ordinary review sets.
 */
import { createRequire } from "node:module";
import { type HistoryItem, isTrainable } from "../core/fsrs-items.js";
import { PyjsError } from "../errors.js";

/** The part of the addon's API pyjs uses (its own index.d.ts, abridged). */
interface NativeReview {
  readonly rating: number;
  readonly deltaT: number;
}
interface NativeItem {
  readonly reviews: NativeReview[];
}
interface NativeOptimizer {
  FSRSBindingReview: new (rating: number, deltaT: number) => NativeReview;
  FSRSBindingItem: new (reviews: NativeReview[]) => NativeItem;
  computeParameters(
    items: NativeItem[],
    options: { enableShortTerm: boolean; numRelearningSteps?: number },
  ): Promise<number[]>;
}

/** The optimizer has no build for this platform (or it failed to load). */
export class OptimizerUnavailableError extends PyjsError {
  constructor(detail: string, cause?: unknown) {
    super(
      "optimizer_unavailable",
      `The FSRS optimizer cannot run here: ${detail}. Set PYJS_OPTIMIZER=off to use FSRS's defaults without it.`,
      { cause },
    );
  }
}

/** The platform package for this process, as napi-rs names them. */
export function platformPackage(
  platform = process.platform,
  arch = process.arch,
  glibc = isGlibc(),
): string {
  const libc =
    platform === "linux" ? (glibc ? "-gnu" : "-musl") : platform === "win32" ? "-msvc" : "";
  return `@open-spaced-repetition/binding-${platform}-${arch}${libc}`;
}

function isGlibc(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } };
  return Boolean(report?.header?.glibcVersionRuntime);
}

let native: NativeOptimizer | undefined;

function load(): NativeOptimizer {
  if (native) return native;
  const name = platformPackage();
  try {
    // A native addon: only `require` loads .node files.
    native = createRequire(import.meta.url)(name) as NativeOptimizer;
    return native;
  } catch (err) {
    throw new OptimizerUnavailableError(`${name} is not installed or does not load`, err);
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
function toNative(b: NativeOptimizer, items: readonly HistoryItem[]): NativeItem[] {
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
  const b = load();
  return b.computeParameters(toNative(b, items), {
    enableShortTerm: true,
    numRelearningSteps: opts.numRelearningSteps,
  });
}
