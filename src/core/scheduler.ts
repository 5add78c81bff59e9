import {
  createEmptyCard,
  type FSRS,
  type Card as FsrsCard,
  fsrs,
  type Grade,
  generatorParameters,
  State,
  type StepUnit,
} from "ts-fsrs";

export type { Grade } from "ts-fsrs";
export { Rating, State } from "ts-fsrs";

export interface SchedulerOptions {
  /** Desired retention, 0.7–0.99 (Anki's default 0.9). */
  retention: number;
  /** Longest interval in days. */
  maxInterval: number;
  learningSteps: StepUnit[];
  relearningSteps: StepUnit[];
  /** Spread due dates a little (on in production, off in tests). */
  fuzz: boolean;
  /**
   * FSRS-6 weights (21); absent: FSRS's defaults. The optimizer's fit for a learner or a
   * team (core/parameters.ts). They shape the intervals of reviews made with them only:
   * due dates already set are not recomputed.
   */
  weights?: readonly number[] | undefined;
}

export const DEFAULT_SCHEDULER: SchedulerOptions = {
  retention: 0.9,
  maxInterval: 36500,
  learningSteps: ["1m", "10m"],
  relearningSteps: ["10m"],
  fuzz: true,
};

export type CardState = FsrsCard;

export interface ReviewOutcome {
  before: CardState;
  after: CardState;
  rating: Grade;
  /** Days since the previous review (0 for a new card), as an FSRS optimizer wants it. */
  elapsedDays: number;
}

export interface Scheduler {
  readonly options: SchedulerOptions;
  review(state: CardState | undefined, rating: Grade, now: Date): ReviewOutcome;
  /** The interval each rating would give, for button hints ("Good · 3d"). */
  preview(state: CardState | undefined, now: Date): Record<Grade, Date>;
}

export function createScheduler(options: Partial<SchedulerOptions> = {}): Scheduler {
  const opts = { ...DEFAULT_SCHEDULER, ...options };
  const f: FSRS = fsrs(
    generatorParameters({
      request_retention: opts.retention,
      maximum_interval: opts.maxInterval,
      enable_fuzz: opts.fuzz,
      enable_short_term: true,
      learning_steps: opts.learningSteps,
      relearning_steps: opts.relearningSteps,
      ...(opts.weights ? { w: [...opts.weights] } : {}),
    }),
  );
  return {
    options: opts,
    review(state, rating, now) {
      const before = state ?? createEmptyCard<CardState>(now);
      const card = clampInterval(f.next(before, now, rating).card, now, opts.maxInterval);
      const elapsedDays = before.last_review
        ? Math.max(0, (now.getTime() - before.last_review.getTime()) / 86_400_000)
        : 0;
      return { before, after: card, rating, elapsedDays: Math.round(elapsedDays * 1000) / 1000 };
    },
    preview(state, now) {
      const log = f.repeat(state ?? createEmptyCard<CardState>(now), now);
      const due = (g: Grade) => clampInterval(log[g].card, now, opts.maxInterval).due;
      return { 1: due(1), 2: due(2), 3: due(3), 4: due(4) } as Record<Grade, Date>;
    },
  };
}

/**
 * ts-fsrs keeps Hard < Good < Easy by adding a day after capping at the maximum
 * interval, so a saturated Easy can land a day or two past it. Anki never schedules
 * past the maximum; neither do we.
 */
function clampInterval(card: CardState, now: Date, maxInterval: number): CardState {
  if (card.scheduled_days <= maxInterval) return card;
  return {
    ...card,
    scheduled_days: maxInterval,
    due: new Date(now.getTime() + maxInterval * 86_400_000),
  };
}

/*
 * Compact state encoding, one short string per card in a Redis hash:
 *   due(s, base36) . stability . difficulty . scheduled_days . learning_steps . reps . lapses . state . last_review(s, base36)
 * About 40 bytes instead of ~250 for JSON; the review log keeps the full history.
 */
const SEP = "|";
const b36 = (d: Date) => Math.round(d.getTime() / 1000).toString(36);
const fromB36 = (s: string) => new Date(Number.parseInt(s, 36) * 1000);
const num = (n: number) => String(Math.round(n * 10_000) / 10_000);

export function encodeState(c: CardState): string {
  return [
    b36(c.due),
    num(c.stability),
    num(c.difficulty),
    c.scheduled_days,
    c.learning_steps,
    c.reps,
    c.lapses,
    c.state,
    c.last_review ? b36(c.last_review) : "",
  ].join(SEP);
}

export function decodeState(s: string): CardState {
  const p = s.split(SEP);
  if (p.length !== 9) throw new Error(`bad card state: ${s}`);
  const [due, stability, difficulty, sched, steps, reps, lapses, state, last] = p as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const card: CardState = {
    due: fromB36(due),
    stability: Number(stability),
    difficulty: Number(difficulty),
    elapsed_days: 0,
    scheduled_days: Number(sched),
    learning_steps: Number(steps),
    reps: Number(reps),
    lapses: Number(lapses),
    state: Number(state) as State,
  };
  if (last) card.last_review = fromB36(last);
  return card;
}

/** Mature in Anki's sense: a review card whose interval is at least 21 days. */
export function isMature(c: CardState): boolean {
  return c.state === State.Review && c.scheduled_days >= 21;
}
