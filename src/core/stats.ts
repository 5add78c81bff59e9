import type { Card } from "./deck.js";
import { localDate } from "./localtime.js";
import { type CardState, isMature, State } from "./scheduler.js";

export interface ReviewRecord {
  card: string;
  rating: number;
  review: number;
}

export interface Stats {
  reviewsToday: number;
  reviewsThisWeek: number;
  reviewsTotal: number;
  /** Share of reviews in the last 30 days not rated Again (undefined with none). */
  retention30d?: number | undefined;
  cards: { new: number; learning: number; young: number; mature: number };
  dueNow: number;
  nextDue?: Date | undefined;
  /** Cards due on each of the next 7 local days (today first, overdue counted today). */
  forecast: { date: string; due: number }[];
  streak: number;
  bestStreak: number;
}

const DAY = 86_400_000;

/** Monday of the ISO week of a YYYY-MM-DD date. */
function weekStart(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - dow * DAY).toISOString().slice(0, 10);
}

/** Pure: progress figures from card states and the (folded) review log. */
export function computeStats(input: {
  cards: readonly Card[];
  states: ReadonlyMap<string, CardState>;
  log: readonly ReviewRecord[];
  now: Date;
  tz: string;
  streak?: number | undefined;
  bestStreak?: number | undefined;
}): Stats {
  const { cards, states, log, now, tz } = input;
  const today = localDate(now, tz);
  const monday = weekStart(today);
  let reviewsToday = 0;
  let reviewsThisWeek = 0;
  let recent = 0;
  let recalled = 0;
  for (const r of log) {
    const day = localDate(new Date(r.review), tz);
    if (day === today) reviewsToday++;
    if (day >= monday && day <= today) reviewsThisWeek++;
    if (r.review >= now.getTime() - 30 * DAY) {
      recent++;
      if (r.rating !== 1) recalled++;
    }
  }
  const counts = { new: 0, learning: 0, young: 0, mature: 0 };
  let dueNow = 0;
  let nextDue: Date | undefined;
  const forecastDays = Array.from({ length: 7 }, (_, i) =>
    localDate(new Date(now.getTime() + i * DAY), tz),
  );
  const forecast = forecastDays.map((date) => ({ date, due: 0 }));
  for (const card of cards) {
    const st = states.get(card.id);
    if (!st || st.state === State.New) {
      counts.new++;
      continue;
    }
    if (st.state === State.Learning || st.state === State.Relearning) counts.learning++;
    else if (isMature(st)) counts.mature++;
    else counts.young++;
    if (st.due.getTime() <= now.getTime()) dueNow++;
    else if (!nextDue || st.due < nextDue) nextDue = st.due;
    const day = localDate(st.due, tz);
    const slot = day <= today ? forecast[0] : forecast.find((f) => f.date === day);
    if (slot) slot.due++;
  }
  return {
    reviewsToday,
    reviewsThisWeek,
    reviewsTotal: log.length,
    retention30d: recent > 0 ? recalled / recent : undefined,
    cards: counts,
    dueNow,
    nextDue,
    forecast,
    streak: input.streak ?? 0,
    bestStreak: input.bestStreak ?? 0,
  };
}
