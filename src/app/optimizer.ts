import { evaluateFit } from "../core/fsrs-eval.js";
import { type ReviewEvent, toItems } from "../core/fsrs-items.js";
import {
  DEFAULT_WEIGHTS,
  type FitMetrics,
  MAX_FIT_REVIEWS,
  MAX_TEAM_REVIEWS,
  type ParameterReport,
  type ParameterSet,
  TEAM_THRESHOLD,
  thresholdOver,
} from "../core/parameters.js";
import type { Logger } from "../logger.js";
import { fitWeights, OptimizerUnavailableError } from "../optimizer/binding.js";
import type { ParameterStore } from "../store/parameters.js";
import type { LogEntry, ReviewStore } from "../store/reviews.js";
import type { Settings, SettingsStore } from "../store/settings.js";
import type { TeamStore } from "../store/teams.js";
import type { ParameterChoice } from "./parameters.js";
import { type Reply, text } from "./reply.js";
import type { Actor, Platform } from "./types.js";

export interface OptimizerDeps {
  reviews: ReviewStore;
  parameters: ParameterStore;
  settings: SettingsStore;
  teams?: TeamStore | undefined;
  choice: ParameterChoice;
  defaultTz: string;
  /** Relearning steps of the scheduler (fsrs-rs fits the short-term weights around them). */
  numRelearningSteps: number;
  log?: Logger | undefined;
}

/** What fitting one learner did. */
export type LearnerFit =
  | { status: "too-few"; reviews: number; threshold: number; was: ParameterSet }
  | {
      status: "fitted" | "kept";
      reviews: number;
      /** What was in use before, and its fit on the learner's reviews. */
      was: ParameterSet;
      before: FitMetrics | undefined;
      /** The new fit and its fit on the same reviews. */
      candidate: readonly number[];
      after: FitMetrics | undefined;
    };

export type TeamFit =
  | { status: "too-few"; reviews: number; threshold: number }
  | { status: "fitted"; reviews: number; learners: number };

/** The FSRS log's entries as the optimizer reads them (folded: amends applied, undos gone). */
export function reviewEvents(log: readonly LogEntry[]): ReviewEvent[] {
  return log.map((e) => ({
    card: e.card,
    rating: e.rating,
    at: e.review,
    // The compact state's 8th field is the FSRS state; 0 is New. No state: a new card.
    fromNew: e.before === "" || e.before.split("|")[7] === "0",
  }));
}

/**
 * Fits FSRS parameters from review logs: a learner's own once they have FIT_THRESHOLD
 * reviews, and a team prior on its learners' pooled reviews. Reads are bounded
 * (MAX_FIT_REVIEWS per learner, MAX_TEAM_REVIEWS per team). A learner's new fit replaces
 * what was in use only when it predicts their reviews better (lower log loss), as
 * Anki's optimizer does.
 */
export class Optimizer {
  constructor(private readonly d: OptimizerDeps) {}

  get enabled(): boolean {
    return this.d.choice.enabled;
  }

  async fitLearner(learner: string, now: Date): Promise<LearnerFit> {
    const { events, tz, length, settings } = await this.history(learner, MAX_FIT_REVIEWS);
    const tenants = (await this.d.teams?.tenantsOf(learner)) ?? [];
    const was = await this.d.choice.of(settings, tenants);
    const threshold = thresholdOver(was);
    if (events.length < threshold) {
      await this.d.parameters.markSeen(learner, length);
      return { status: "too-few", reviews: events.length, threshold, was };
    }
    const items = toItems(events, tz);
    const candidate = await fitWeights(items, { numRelearningSteps: this.d.numRelearningSteps });
    const before = evaluateFit(items, was.w);
    const after = evaluateFit(items, candidate);
    const better = after !== undefined && (!before || after.logLoss < before.logLoss);
    const base = { reviews: events.length, was, before, candidate, after };
    if (!better) {
      await this.d.parameters.markSeen(learner, length);
      return { status: "kept", ...base };
    }
    const fit = { w: candidate, fittedAt: now.getTime(), reviews: events.length };
    await this.d.parameters.saveLearner(learner, fit, length);
    this.d.log?.info({ learner, reviews: events.length, before, after }, "fsrs parameters fitted");
    return { status: "fitted", ...base };
  }

  /** A team prior from its learners' pooled reviews, each learner's share bounded. */
  async fitTeam(tenant: string, learners: readonly string[], now: Date): Promise<TeamFit> {
    const share = Math.min(MAX_FIT_REVIEWS, Math.ceil(MAX_TEAM_REVIEWS / (learners.length || 1)));
    const items = [];
    let reviews = 0;
    let contributing = 0;
    for (const learner of learners) {
      const h = await this.history(learner, share);
      if (h.events.length === 0) continue;
      reviews += h.events.length;
      contributing++;
      items.push(...toItems(h.events, h.tz));
    }
    if (reviews < TEAM_THRESHOLD) return { status: "too-few", reviews, threshold: TEAM_THRESHOLD };
    const w = await fitWeights(items, { numRelearningSteps: this.d.numRelearningSteps });
    await this.d.parameters.saveTeam(tenant, {
      w,
      fittedAt: now.getTime(),
      reviews,
      learners: contributing,
    });
    this.d.choice.forgetPrior(tenant);
    this.d.log?.info({ tenant, reviews, learners: contributing }, "fsrs team prior fitted");
    return { status: "fitted", reviews, learners: contributing };
  }

  /** `stats`: the parameters in use and, when the optimizer loads, their fit on `log`. */
  async report(learner: string, log: readonly LogEntry[], settings: Settings, tz: string) {
    const tenants = (await this.d.teams?.tenantsOf(learner)) ?? [];
    const inUse = await this.d.choice.of(settings, tenants);
    const out: ParameterReport = {
      inUse,
      reviews: log.length,
      threshold: thresholdOver(inUse),
      off: !this.enabled,
    };
    const items = toItems(reviewEvents(log.slice(-MAX_FIT_REVIEWS)), tz);
    const defaults = evaluateFit(items, DEFAULT_WEIGHTS);
    const current = inUse.source === "default" ? undefined : evaluateFit(items, inUse.w);
    if (defaults) out.fit = { items: defaults.n, defaults, current };
    return out;
  }

  /** The learner's last `max` reviews (folded), zone and raw log length. */
  private async history(learner: string, max: number) {
    const [settings, since, length] = await Promise.all([
      this.d.settings.get(learner),
      this.d.parameters.tailStart(learner, max),
      this.d.reviews.logLength(learner),
    ]);
    const log = await this.d.reviews.log(learner, since);
    const tz = settings.tz ?? this.d.defaultTz;
    return { events: reviewEvents(log.slice(-max)), tz, length, settings };
  }
}

const ll = (m: FitMetrics | undefined) => (m ? m.logLoss.toFixed(3) : "–");

/** The reply to `optimize`, in plain text. */
export function fitMessage(fit: LearnerFit): string {
  const was =
    fit.was.source === "learner"
      ? "your previous fit"
      : fit.was.source === "team"
        ? "your team's prior"
        : "FSRS's defaults";
  if (fit.status === "too-few")
    return `Not enough reviews to fit your own FSRS parameters yet: ${fit.reviews} of ${fit.threshold}. Until then your reviews are scheduled with ${was}.`;
  if (fit.status === "kept")
    return `Fitted FSRS on your ${fit.reviews} reviews, but the fit did not predict them better than ${was} (log loss ${ll(fit.after)} vs ${ll(fit.before)}), so ${was} stay in use.`;
  return `Your own FSRS parameters are in use now, fitted on your ${fit.reviews} reviews: log loss ${ll(fit.after)} (${was}: ${ll(fit.before)}). They shape your next reviews; cards already scheduled keep their due dates.`;
}

/** Queues one learner's fit whose result goes to their DMs (jobs/optimize.ts). */
export interface OptimizeRequests {
  request(learner: string, platform: Platform, now: Date): Promise<void>;
}

/**
 * `optimize`: in the terminal the fit runs inline (nobody else waits on that process);
 * in a chat it is queued for a worker, since a fit can take longer than a platform's
 * 3-second answer budget, and the result arrives as a DM.
 */
export async function optimizeCommand(
  optimizer: Optimizer | undefined,
  requests: OptimizeRequests | undefined,
  actor: Actor,
  now: Date,
): Promise<Reply> {
  if (!optimizer?.enabled)
    return text(
      "The FSRS optimizer is turned off here: reviews are scheduled with FSRS's defaults.",
    );
  if (actor.platform === "console") {
    try {
      return text(fitMessage(await optimizer.fitLearner(actor.learner, now)));
    } catch (err) {
      if (err instanceof OptimizerUnavailableError) return text(err.message);
      throw err;
    }
  }
  if (!requests) return text("The optimizer runs weekly here; it cannot be started on demand.");
  await requests.request(actor.learner, actor.platform, now);
  return text(
    "Optimizing your FSRS parameters on your review history… I'll send you the result in a direct message.",
  );
}
