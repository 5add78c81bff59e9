/** Terminal pictures of a learner's activity: a sparkline and a compact 7×N calendar. */
import { addDays, dayNumber } from "../../src/charts/dates.js";
import { lastDays } from "../../src/core/chart-data.js";

const BARS = "▁▂▃▄▅▆▇█";
const SHADES = "░▒▓█";
/** A day without reviews (and a bar of 0). */
const NONE = "·";

/** One character per value: "·" for 0, else ▁…█ relative to the largest value. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) =>
      v > 0 ? (BARS[Math.min(BARS.length, Math.ceil((v / max) * BARS.length)) - 1] ?? "█") : NONE,
    )
    .join("");
}

/**
 * Seven rows (Monday first) × `weeks` columns ending with today's week: "·" for no
 * reviews, ░▒▓█ by quartile of the busiest day, blank after today.
 */
export function calendarRows(days: Record<string, number>, today: string, weeks = 26): string[] {
  const weekday = (dayNumber(today) + 3) % 7; // 1970-01-01 was a Thursday; Monday = 0
  const start = addDays(today, -weekday - 7 * (weeks - 1));
  const max = Math.max(1, ...Object.values(days));
  const labels = ["Mon", "", "Wed", "", "Fri", "", "Sun"];
  return labels.map((label, row) => {
    let line = "";
    for (let col = 0; col < weeks; col++) {
      const date = addDays(start, col * 7 + row);
      const n = days[date] ?? 0;
      if (date > today) line += " ";
      else if (n <= 0) line += NONE;
      else line += SHADES[Math.min(SHADES.length, Math.ceil((n / max) * SHADES.length)) - 1];
    }
    return `${label.padEnd(3)} ${line}`.trimEnd();
  });
}

/** The lines `stats` adds in the terminal. */
export function activityLines(activity: { today: string; days: Record<string, number> }): string[] {
  const last = lastDays(activity.days, activity.today, 14);
  return [
    `Last 14 days: ${sparkline(last)} (${last.reduce((a, b) => a + b, 0)} reviews)`,
    `Reviews, last 26 weeks (${NONE} none, ${SHADES} fewer → more):`,
    ...calendarRows(activity.days, activity.today),
  ];
}
