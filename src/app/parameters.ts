import {
  chooseParameters,
  DEFAULT_PARAMETERS,
  encodeWeights,
  type ParameterSet,
} from "../core/parameters.js";
import { createScheduler, type Scheduler } from "../core/scheduler.js";
import { ownParameters, type ParameterStore } from "../store/parameters.js";
import type { Settings } from "../store/settings.js";

/** Team priors change weekly: a process re-reads one at most every this many ms. */
const PRIOR_TTL_MS = 10 * 60_000;
/** Distinct weight vectors with a scheduler kept (a fitted learner each, plus priors). */
const MAX_SCHEDULERS = 5_000;

/**
 * The parameters a learner's reviews are scheduled with, and a scheduler for them: their
 * own fit (from the settings the quiz snapshot already read), else the prior of one of
 * their teams (the one fitted on most reviews; cached per process), else the defaults.
 * With the optimizer off, always the defaults.
 */
export class ParameterChoice {
  private readonly priors = new Map<string, { set: ParameterSet | undefined; until: number }>();
  private readonly schedulers = new Map<string, Scheduler>();

  constructor(
    private readonly base: Scheduler,
    private readonly store: ParameterStore | undefined,
    readonly enabled: boolean,
  ) {}

  async of(settings: Settings, tenants: readonly string[]): Promise<ParameterSet> {
    if (!this.enabled || !this.store) return DEFAULT_PARAMETERS;
    const own = ownParameters(settings);
    if (own) return own;
    const priors = await Promise.all(tenants.map((t) => this.prior(t)));
    const byData = priors
      .filter((p): p is ParameterSet => p !== undefined)
      .sort((a, b) => (b.reviews ?? 0) - (a.reviews ?? 0));
    return chooseParameters(undefined, byData);
  }

  async scheduler(settings: Settings, tenants: readonly string[]): Promise<Scheduler> {
    return this.schedulerFor(await this.of(settings, tenants));
  }

  /** The base scheduler's options with these weights (one scheduler per distinct vector). */
  schedulerFor(set: ParameterSet): Scheduler {
    if (set.source === "default") return this.base;
    const key = encodeWeights(set.w);
    let s = this.schedulers.get(key);
    if (!s) {
      if (this.schedulers.size >= MAX_SCHEDULERS) this.schedulers.clear();
      s = createScheduler({ ...this.base.options, weights: set.w });
      this.schedulers.set(key, s);
    }
    return s;
  }

  /** Forgets a cached prior (after this process fitted a new one). */
  forgetPrior(tenant: string): void {
    this.priors.delete(tenant);
  }

  private async prior(tenant: string): Promise<ParameterSet | undefined> {
    const hit = this.priors.get(tenant);
    if (hit && hit.until > Date.now()) return hit.set;
    const set = await this.store?.team(tenant);
    this.priors.set(tenant, { set, until: Date.now() + PRIOR_TTL_MS });
    return set;
  }
}
