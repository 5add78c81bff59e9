import { default_w } from "ts-fsrs";

/**
 * Pure: which FSRS parameters a learner's reviews are scheduled with. Their own, fitted
 * on their reviews once they have enough (FIT_THRESHOLD, measured by bench/fsrs-sim.ts);
 * below that a team prior fitted on the pooled reviews of a team they belong to; else
 * FSRS's defaults.
 */

export type ParameterSource = "default" | "team" | "learner";

export interface ParameterSet {
  source: ParameterSource;
  /** The 21 FSRS-6 weights. */
  w: readonly number[];
  /** When they were fitted (epoch ms); absent for the defaults. */
  fittedAt?: number | undefined;
  /** Reviews they were fitted on. */
  reviews?: number | undefined;
  /** The team a prior belongs to. */
  team?: string | undefined;
}

/** FSRS-6 weight count (ts-fsrs 5 and fsrs-rs 6). */
export const WEIGHT_COUNT = 21;

export const DEFAULT_WEIGHTS: readonly number[] = Object.freeze([...default_w]);

export const DEFAULT_PARAMETERS: ParameterSet = { source: "default", w: DEFAULT_WEIGHTS };

/**
 * Reviews a learner needs before their own fit replaces the parameters in use, measured
 * in bench/fsrs-sim.ts (BENCHMARKS.md, "FSRS optimizer"): on held-out reviews a fit on
 * a learner's own reviews beat FSRS's defaults from 400 reviews on, but beat their
 * team's prior only from about 3,200. So: over the defaults from FIT_THRESHOLD, over a
 * team prior from PRIOR_THRESHOLD.
 */
export const FIT_THRESHOLD = 400;
export const PRIOR_THRESHOLD = 3200;

/** The reviews a learner needs for their own fit, given what is in use now. */
export function thresholdOver(inUse: ParameterSet): number {
  return inUse.source === "team" ? PRIOR_THRESHOLD : FIT_THRESHOLD;
}

/** Reviews a team needs, pooled, before a team prior is fitted. */
export const TEAM_THRESHOLD = 800;

/** Most recent reviews one fit reads (a learner's log, or each learner of a team). */
export const MAX_FIT_REVIEWS = 20_000;

/** Most reviews a team prior pools over all its learners. */
export const MAX_TEAM_REVIEWS = 50_000;

/** Weights as stored: comma-separated, 4 decimals (what ts-fsrs and Anki show). */
export function encodeWeights(w: readonly number[]): string {
  return w.map((x) => String(Math.round(x * 10_000) / 10_000)).join(",");
}

/** Stored weights back, or undefined when they are not 21 finite numbers. */
export function decodeWeights(s: string | undefined): number[] | undefined {
  if (!s) return undefined;
  const w = s.split(",").map(Number);
  return w.length === WEIGHT_COUNT && w.every(Number.isFinite) ? w : undefined;
}

/** The learner's own set when fitted, else the first team prior, else the defaults. */
export function chooseParameters(
  own: ParameterSet | undefined,
  priors: readonly (ParameterSet | undefined)[],
): ParameterSet {
  if (own) return own;
  return priors.find((p) => p !== undefined) ?? DEFAULT_PARAMETERS;
}

/** How well weights predict reviews (fsrs-rs `evaluate`, Anki's "Evaluate"). */
export interface FitMetrics {
  logLoss: number;
  /** RMSE over bins of predicted retrievability (Anki's "RMSE (bins)"). */
  rmse: number;
  /** Reviews scored (those on a later day than the card's previous review). */
  n: number;
}

/** What `stats` says about the parameters: which are in use and how well they fit. */
export interface ParameterReport {
  inUse: ParameterSet;
  /** Reviews in the learner's log, toward `threshold` (`thresholdOver` what is in use). */
  reviews: number;
  threshold: number;
  /** The optimizer is turned off: the defaults are in use. */
  off?: boolean | undefined;
  /** Evaluated on the learner's own reviews (`items` of them with a prior review). */
  fit?: { items: number; defaults: FitMetrics; current?: FitMetrics | undefined } | undefined;
}

const n = (x: number) => x.toLocaleString("en-US");
const ll = (m: FitMetrics) => m.logLoss.toFixed(3);
const rmse = (m: FitMetrics) => `${(m.rmse * 100).toFixed(1)}%`;
const day = (ms: number | undefined) =>
  ms === undefined ? "" : ` ${new Date(ms).toISOString().slice(0, 10)}`;

/** Which parameters, in one line of plain text (every platform shows it as is). */
export function parametersLine(r: ParameterReport): string {
  const p = r.inUse;
  if (p.source === "learner")
    return `yours, fitted${day(p.fittedAt)} on ${n(p.reviews ?? 0)} reviews`;
  const yours = r.off
    ? "the optimizer is off here"
    : `yours after ${n(r.threshold)} reviews; you have ${n(r.reviews)}`;
  if (p.source === "team")
    return `your team's prior, fitted${day(p.fittedAt)} on ${n(p.reviews ?? 0)} reviews (${yours})`;
  return `FSRS defaults (${yours})`;
}

/** The fit, Anki's "Evaluate": log loss and RMSE of the defaults vs those in use. */
export function fitLine(r: ParameterReport): string | undefined {
  const f = r.fit;
  if (!f) return undefined;
  const on = `on your ${n(f.items)} reviews`;
  if (!f.current || r.inUse.source === "default")
    return `defaults ${on}: log loss ${ll(f.defaults)}, RMSE ${rmse(f.defaults)} (lower is better)`;
  return `${on}: log loss ${ll(f.current)} vs ${ll(f.defaults)} default, RMSE ${rmse(f.current)} vs ${rmse(f.defaults)} default (lower is better)`;
}

/** Both lines, labelled, for text renderers (none without a report). */
export function parameterLines(r: ParameterReport | undefined): string[] {
  if (!r) return [];
  const fit = fitLine(r);
  return [`FSRS parameters: ${parametersLine(r)}`, ...(fit ? [`FSRS fit ${fit}`] : [])];
}
