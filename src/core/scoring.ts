import { DateTime } from "luxon";

/**
 * Points reward recall and consistency, not volume: a due card answered earns by how
 * well it was recalled (Again 1, Hard 2, Good 3, Easy 3 — Easy is not worth more than
 * Good, so there is no reason to over-rate), a card reviewed ahead of schedule or past
 * the daily review limit earns nothing, and finishing the day's session adds a streak
 * bonus of one point per streak day, capped.
 */
export const POINTS_BY_RATING: Record<1 | 2 | 3 | 4, number> = { 1: 1, 2: 2, 3: 3, 4: 3 };
export const STREAK_BONUS_CAP = 7;

export function pointsFor(
  rating: 1 | 2 | 3 | 4,
  opts: { due: boolean; withinDailyLimit: boolean },
): number {
  if (!opts.due || !opts.withinDailyLimit) return 0;
  return POINTS_BY_RATING[rating];
}

export interface Streak {
  streak: number;
  best: number;
  lastDay?: string | undefined;
}

/**
 * The streak after finishing a session on `today` (the learner's local date): one more
 * than yesterday's, or 1 after a gap; finishing twice in a day changes nothing.
 */
export function streakAfter(prev: Streak, today: string, yesterday: string): Streak {
  if (prev.lastDay === today) return prev;
  const streak = prev.lastDay === yesterday ? prev.streak + 1 : 1;
  return { streak, best: Math.max(prev.best, streak), lastDay: today };
}

/** The streak as shown today: it lapses once a whole local day passes without a session. */
export function currentStreak(prev: Streak, today: string, yesterday: string): number {
  return prev.lastDay === today || prev.lastDay === yesterday ? prev.streak : 0;
}

/** ISO week of `now` in `tz`, e.g. "2026-W48". */
export function isoWeek(now: Date, tz: string): string {
  const d = DateTime.fromJSDate(now, { zone: tz });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
}

/** The ISO week before the one containing `now` in `tz`. */
export function previousIsoWeek(now: Date, tz: string): string {
  return isoWeek(DateTime.fromJSDate(now, { zone: tz }).minus({ weeks: 1 }).toJSDate(), tz);
}

/** "2026-W01" -> "2025-W52": the ISO week before a week. */
export function weekBefore(week: string): string {
  const d = DateTime.fromISO(`${week}-1`, { zone: "UTC" }).minus({ weeks: 1 });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
}

/*
 * Board scores pack points and "who got there first" into one sorted-set score:
 * points * 2^23 + (2^23 - 1 - minutes since 2024-01-01). Higher points rank first; at
 * equal points the earlier achiever ranks first. Exact in a double up to 2^30 points.
 */
const SHIFT = 2 ** 23;
const EPOCH_MS = Date.UTC(2024, 0, 1);

export function boardMinute(now: Date): number {
  return Math.min(SHIFT - 1, Math.max(0, Math.floor((now.getTime() - EPOCH_MS) / 60_000)));
}

export function packScore(points: number, now: Date): number {
  return points * SHIFT + (SHIFT - 1 - boardMinute(now));
}

export function pointsOf(score: number): number {
  return Math.floor(score / SHIFT);
}

export const BOARD_SHIFT = SHIFT;
