import { previousDate } from "./delivery-time.js";

/**
 * Learner controls, pure: which cards are hidden today (skipped until a later day, or
 * suspended for good), vacations (`pause 7d`), and the streak's "yesterday" when the
 * days in between were paused.
 */

/** What the learner hash says about buried and suspended cards and a vacation. */
export interface ControlFields {
  /** Card id -> local date it comes back (skipped "until tomorrow"). */
  buried?: Readonly<Record<string, string>> | undefined;
  /** Card ids never asked again (until `unsuspend`). */
  suspended?: readonly string[] | undefined;
  /** First local date of the vacation, and the first day back (exclusive end). */
  vacationFrom?: string | undefined;
  pausedUntil?: string | undefined;
}

/** Longest vacation `pause <N>d` / `pause until` accepts. */
export const MAX_VACATION_DAYS = 365;

/** The cards a session leaves out on local `today`: suspended ones, and ones buried past today. */
export function hiddenCards(f: ControlFields, today: string): Set<string> {
  const out = new Set(f.suspended ?? []);
  for (const [card, until] of Object.entries(f.buried ?? {})) if (until > today) out.add(card);
  return out;
}

/** The local date after `date` (YYYY-MM-DD). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  return new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
}

/** `date` plus `days` local days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** True when `s` is a real calendar date spelled YYYY-MM-DD. */
export function isLocalDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** True while local `today` falls in the learner's vacation. */
export function onVacation(f: ControlFields, today: string): boolean {
  return Boolean(f.pausedUntil && today < f.pausedUntil && (f.vacationFrom ?? "") <= today);
}

/**
 * The day a session must have been finished on for today's to continue the streak:
 * yesterday, or — when every day between the last session and today was a vacation
 * day — the last session's day itself (a paused day does not break the streak).
 */
export function streakYesterday(
  f: ControlFields & { lastSessionDay?: string | undefined },
  today: string,
): string {
  const yesterday = previousDate(today);
  const last = f.lastSessionDay;
  if (!last || last >= yesterday || !f.vacationFrom || !f.pausedUntil) return yesterday;
  // Days strictly between `last` and `today` must all lie in [vacationFrom, pausedUntil).
  const covered = nextDate(last) >= f.vacationFrom && today <= f.pausedUntil;
  return covered ? last : yesterday;
}
