/**
 * Pure: a learner's review log and card states → the inputs of their stats charts
 * (review calendar, due forecast, retention). Days are the learner's local dates; day
 * arithmetic is on "YYYY-MM-DD" strings, so a DST change never shifts a bucket.
 */
import type { CalendarInput } from "../charts/calendar.js";
import { addDays, dayNumber } from "../charts/dates.js";
import type { ForecastInput } from "../charts/forecast.js";
import type { RetentionDay, RetentionInput } from "../charts/retention.js";
import { localDate } from "./localtime.js";
import { type CardState, State } from "./scheduler.js";
import type { ReviewRecord } from "./stats.js";

/** The calendar covers 26 weeks (182 days) ending today. */
export const CALENDAR_DAYS = 182;
/** The forecast covers today and the 29 days after it. */
export const FORECAST_DAYS = 30;
/** Days of reviews the retention chart is drawn from (today included). */
export const RETENTION_DAYS = 60;

export interface ChartDataInput {
  log: readonly ReviewRecord[];
  states: ReadonlyMap<string, CardState> | Iterable<CardState>;
  now: Date;
  tz: string;
  /** Current daily streak (settings + today, as `stats` shows it). */
  streak: number;
  /** Desired retention, the scheduler's (PYJS_RETENTION, default 0.9). */
  desiredRetention: number;
}

export interface ChartData {
  calendar: CalendarInput;
  forecast: ForecastInput;
  /** Absent when there were no reviews in the last RETENTION_DAYS days. */
  retention?: RetentionInput | undefined;
}

function stateList(states: ChartDataInput["states"]): Iterable<CardState> {
  return states instanceof Map ? states.values() : (states as Iterable<CardState>);
}

export function chartData(input: ChartDataInput): ChartData {
  const { now, tz } = input;
  const today = localDate(now, tz);
  const todayN = dayNumber(today);
  const calendarStart = todayN - CALENDAR_DAYS + 1;
  const retentionStart = todayN - RETENTION_DAYS + 1;

  const days: Record<string, number> = {};
  const perDay = new Map<string, RetentionDay>();
  // Many reviews share a day: one Intl call per review, one date parse per distinct day.
  const dayNumbers = new Map<string, number>();
  for (const r of input.log) {
    if (!Number.isFinite(r.review)) continue;
    const date = localDate(new Date(r.review), tz);
    let n = dayNumbers.get(date);
    if (n === undefined) {
      n = dayNumber(date);
      dayNumbers.set(date, n);
    }
    if (n > todayN || n < calendarStart) continue;
    days[date] = (days[date] ?? 0) + 1;
    if (n >= retentionStart) {
      const d = perDay.get(date) ?? { date, reviews: 0, passed: 0 };
      d.reviews++;
      if (r.rating !== 1) d.passed++;
      perDay.set(date, d);
    }
  }

  const due = Array.from({ length: FORECAST_DAYS }, () => 0);
  for (const st of stateList(input.states)) {
    if (st.state === State.New) continue;
    const offset = dayNumber(localDate(st.due, tz)) - todayN;
    // Overdue cards are due today.
    const i = Math.max(0, offset);
    if (i < FORECAST_DAYS) due[i] = (due[i] ?? 0) + 1;
  }

  const retentionDays = [...perDay.values()].sort((a, b) => a.date.localeCompare(b.date));
  return {
    calendar: { days, today, streak: Math.max(0, input.streak) },
    forecast: { start: today, due },
    retention:
      retentionDays.length > 0
        ? { days: retentionDays, desired: input.desiredRetention }
        : undefined,
  };
}

/** Reviews on each of the `n` local days ending `today`, oldest first. */
export function lastDays(days: Record<string, number>, today: string, n: number): number[] {
  return Array.from({ length: n }, (_, i) => days[addDays(today, i - n + 1)] ?? 0);
}
