import { addDays, count, dayNumber, plural, shortLabel } from "./dates.js";
import {
  type ChartOptions,
  type ChartResult,
  type ChartSpec,
  chartSize,
  renderSpec,
  THEME,
  titleOption,
} from "./render.js";

export interface CalendarInput {
  /** Reviews per local day, "YYYY-MM-DD" → count; days outside the window are ignored. */
  days: Record<string, number>;
  /** The learner's local date; the window is the 26 weeks (182 days) ending on it. */
  today: string;
  streak: number;
}

export const CALENDAR_DAYS = 182;

/** Heat level 1–4 of a day's count relative to the busiest day (GitHub-style quartiles). */
export function heatLevel(n: number, max: number): number {
  return Math.min(4, Math.max(1, Math.ceil((n / max) * 4)));
}

/** The days with reviews inside the 182-day window ending on `today`, oldest first. */
export function activeDays(input: CalendarInput): [string, number][] {
  const end = dayNumber(input.today);
  const active: [string, number][] = [];
  for (const [date, value] of Object.entries(input.days)) {
    const n = count(value, `reviews on ${date}`);
    const d = dayNumber(date);
    if (n > 0 && d <= end && d > end - CALENDAR_DAYS) active.push([date, n]);
  }
  return active.sort((a, b) => a[0].localeCompare(b[0]));
}

/** 27 week columns × 7 day rows of square cells, centred below the title. */
function calendarLayout(width: number, height: number, range: [string, string]) {
  const cell = Math.floor(Math.min((width - 110) / 27, (height - 150) / 7));
  const top = 96 + Math.max(0, (height - 150 - 7 * cell) / 2);
  return {
    range,
    cellSize: cell,
    left: Math.round((width - 27 * cell) / 2 + 14),
    top,
    orient: "horizontal",
    splitLine: { show: false },
    itemStyle: { color: THEME.empty, borderColor: THEME.card, borderWidth: 3 },
    yearLabel: { show: false },
    monthLabel: { color: THEME.muted, fontSize: 12, nameMap: "EN" },
    dayLabel: {
      color: THEME.muted,
      fontSize: 11,
      firstDay: 1,
      nameMap: ["", "Mon", "", "Wed", "", "Fri", ""],
    },
  };
}

export function calendarSpec(input: CalendarInput, opts: ChartOptions = {}): ChartSpec {
  const { width, height } = chartSize(opts);
  const start = addDays(input.today, 1 - CALENDAR_DAYS);
  const streak = count(input.streak, "streak");
  const active = activeDays(input);
  const total = active.reduce((s, [, n]) => s + n, 0);
  const busiest = active.reduce<[string, number] | undefined>(
    (b, e) => (b && b[1] >= e[1] ? b : e),
    undefined,
  );
  const max = busiest?.[1] ?? 1;
  const summary = busiest
    ? `${plural(total, "review")} on ${active.length} of ${CALENDAR_DAYS} days · busiest ${shortLabel(busiest[0])} (${busiest[1]})`
    : `No reviews in the last ${CALENDAR_DAYS} days`;
  const legend = `Less {l0|■} {l1|■} {l2|■} {l3|■} More`;
  const rich = Object.fromEntries(THEME.heat.map((c, i) => [`l${i}`, { color: c, fontSize: 16 }]));
  const option = {
    title: [
      titleOption(`Reviews, last 26 weeks · streak ${plural(streak, "day")}`, summary),
      {
        text: legend,
        right: 28,
        bottom: 14,
        textStyle: { color: THEME.muted, fontSize: 12, rich },
      },
    ],
    calendar: calendarLayout(width, height, [start, input.today]),
    // Heatmap needs a visualMap: a hidden one mapping the level (dimension 2) to a colour.
    visualMap: {
      type: "piecewise",
      show: false,
      dimension: 2,
      pieces: THEME.heat.map((color, i) => ({ value: i + 1, color })),
    },
    series: [
      {
        type: "heatmap",
        coordinateSystem: "calendar",
        itemStyle: { borderColor: THEME.card, borderWidth: 3 },
        data: active.map(([date, n]) => [date, n, heatLevel(n, max)]),
      },
    ],
  };
  const alt = `Review calendar for the 26 weeks from ${start} to ${input.today}: ${
    busiest
      ? `${plural(total, "review")} on ${active.length} of ${CALENDAR_DAYS} days, busiest day ${busiest[0]} with ${plural(busiest[1], "review")}`
      : "no reviews"
  }; current streak ${plural(streak, "day")}.`;
  return { option, alt, width, height };
}

/** GitHub-style heatmap of reviews per local day over the last 26 weeks. */
export function renderCalendar(input: CalendarInput, opts: ChartOptions = {}): ChartResult {
  return renderSpec(calendarSpec(input, opts));
}
