/**
 * Synthetic learners for bench/fsrs-sim.ts: each has true FSRS-6 weights (a team's
 * vector perturbed from the defaults, then the learner's own perturbation), answers a
 * deck for `days` days scheduled by pyjs's real scheduler (core/scheduler.ts with the
 * default weights, as a new learner has), and recalls a card with the probability its
 * TRUE memory state gives. The review log is what pyjs would store: card, rating, time,
 * and whether the card was new.
 */
import {
  type Card,
  clipParameters,
  createEmptyCard,
  default_w,
  forgetting_curve,
  fsrs,
  type Grade,
  generatorParameters,
} from "ts-fsrs";
import type { ReviewEvent } from "../src/core/fsrs-items.js";
import { createScheduler, type Scheduler } from "../src/core/scheduler.js";
import { prng } from "./fixtures.js";

/** The seeded PRNG the other benches use (mulberry32), so a run is repeatable. */
export const rng = prng;

/** A standard normal draw (Box–Muller). */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Each weight times e^(σ·N(0,1)), then clipped to FSRS's bounds (1 relearning step). */
export function perturb(w: readonly number[], sigma: number, r: () => number): number[] {
  return clipParameters(
    w.map((x) => x * Math.exp(sigma * gauss(r))),
    1,
    true,
  );
}

export interface SimLearner {
  id: string;
  team: string;
  trueW: number[];
  log: ReviewEvent[];
}

export interface PopulationOptions {
  teams: number;
  perTeam: number;
  days: number;
  newPerDay: number;
  maxReviewsPerDay: number;
  seed: number;
  /** Spread of a team's true weights around the defaults, and of a learner's around its team's. */
  teamSigma: number;
  learnerSigma: number;
}

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;
const DAY = 86_400_000;

/** First-review ratings (Again, Hard, Good, Easy) of a card never seen. */
const FIRST = [0.25, 0.1, 0.55, 0.1];

function firstRating(r: () => number): Grade {
  let u = r();
  for (let g = 0; g < FIRST.length; g++) {
    u -= FIRST[g] ?? 0;
    if (u < 0) return (g + 1) as Grade;
  }
  return 3;
}

/** Recalled: Hard 10%, Good 80%, Easy 10%; forgotten: Again. */
function recallRating(p: number, r: () => number): Grade {
  if (r() >= p) return 1;
  const u = r();
  return u < 0.1 ? 2 : u < 0.9 ? 3 : 4;
}

interface SimCard {
  id: string;
  shown: Card;
  truth: Card;
}

function earliest(cards: readonly SimCard[]): SimCard | undefined {
  let best: SimCard | undefined;
  for (const c of cards) if (!best || c.shown.due < best.shown.due) best = c;
  return best;
}

/** One learner's `days` days: a daily session at 09:00 UTC, learning steps the same day. */
export function simulateLearner(
  trueW: number[],
  o: Pick<PopulationOptions, "days" | "newPerDay" | "maxReviewsPerDay">,
  r: () => number,
): ReviewEvent[] {
  const scheduler: Scheduler = createScheduler({ fuzz: false });
  const truth = fsrs(
    generatorParameters({ w: trueW, enable_fuzz: false, enable_short_term: true }),
  );
  const cards: SimCard[] = [];
  const log: ReviewEvent[] = [];
  for (let day = 0; day < o.days; day++) {
    let now = START + day * DAY;
    const end = now + 3 * 3600_000;
    for (let k = 0; k < o.newPerDay; k++) {
      const at = new Date(now);
      cards.push({
        id: `c${cards.length}`,
        shown: createEmptyCard(at),
        truth: createEmptyCard(at),
      });
    }
    let reviews = 0;
    while (now < end && reviews < o.maxReviewsPerDay) {
      const due = earliest(cards);
      if (!due || due.shown.due.getTime() > end) break;
      now = Math.max(now, due.shown.due.getTime());
      if (now >= end) break;
      const at = new Date(now);
      const fromNew = due.shown.reps === 0;
      const last = due.truth.last_review?.getTime();
      const p =
        last === undefined ? 1 : forgetting_curve(trueW, (now - last) / DAY, due.truth.stability);
      const rating = fromNew ? firstRating(r) : recallRating(p, r);
      log.push({ card: due.id, rating, at: now, fromNew });
      due.shown = scheduler.review(due.shown, rating, at).after;
      due.truth = truth.next(due.truth, at, rating).card;
      reviews++;
      now += 20_000 + Math.floor(r() * MINUTE);
    }
  }
  return log;
}

/** The population: `teams` teams of `perTeam` learners, each with its own log. */
export function simulatePopulation(o: PopulationOptions): SimLearner[] {
  const r = rng(o.seed);
  const out: SimLearner[] = [];
  for (let t = 0; t < o.teams; t++) {
    const teamW = perturb(default_w, o.teamSigma, r);
    for (let l = 0; l < o.perTeam; l++) {
      const trueW = perturb(teamW, o.learnerSigma, r);
      const id = `t${t}-l${l}`;
      out.push({ id, team: `t${t}`, trueW, log: simulateLearner(trueW, o, r) });
    }
  }
  return out;
}
