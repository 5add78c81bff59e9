/** Deterministic demo data for examples, the bench and tests (no randomness between runs). */
import type { CalendarInput } from "./calendar.js";
import { addDays } from "./dates.js";
import type { ForecastInput } from "./forecast.js";
import type { LeaderboardInput } from "./leaderboard.js";
import type { RetentionDay, RetentionInput } from "./retention.js";

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

export function sampleCalendar(today = "2026-11-29"): CalendarInput {
  const rnd = seeded(7);
  const days: Record<string, number> = {};
  for (let i = 0; i < 182; i++)
    if (i < 5 || rnd() < 0.6) days[addDays(today, -i)] = 1 + Math.floor(rnd() * 40);
  return { days, today, streak: 5 };
}

export function sampleForecast(start = "2026-11-29"): ForecastInput {
  const rnd = seeded(11);
  return { start, due: Array.from({ length: 30 }, (_, i) => Math.round((40 - i) * rnd())) };
}

export function sampleRetention(today = "2026-11-29"): RetentionInput {
  const rnd = seeded(13);
  const days: RetentionDay[] = [];
  for (let i = 59; i >= 0; i--) {
    const reviews = Math.floor(rnd() * 30);
    days.push({
      date: addDays(today, -i),
      reviews,
      passed: Math.round(reviews * (0.75 + 0.2 * rnd())),
    });
  }
  return { days, desired: 0.9 };
}

export function sampleLeaderboard(): LeaderboardInput {
  const names = [
    "Ada",
    "Grace Hopper",
    "Linus",
    "Margaret",
    "Guido",
    "Brendan",
    "Ken",
    "Barbara",
    "Anders",
    "Yukihiro",
    "Extra",
  ];
  return {
    week: "2026-W48",
    rows: names.map((name, i) => ({ name, points: 300 - i * 23 - (i % 3) * 7 })),
  };
}
