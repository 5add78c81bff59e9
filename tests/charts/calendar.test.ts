import { describe, expect, it } from "vitest";
import { type CalendarInput, calendarSpec, renderCalendar } from "../../src/charts/calendar.js";
import { addDays } from "../../src/charts/dates.js";
import { THEME, toSvg } from "../../src/charts/render.js";
import { sampleCalendar } from "../../src/charts/samples.js";
import { countFilledShapes, countRegions, decode } from "./png.js";

/** Rows below this hold only the "Less … More" legend, whose ■ glyphs use the heat colours. */
const CELLS_MAX_Y = 340;

function activeDays(input: CalendarInput): number {
  return Object.values(input.days).filter((n) => n > 0).length;
}

describe("review calendar", () => {
  it("colours exactly the days with reviews (SVG shapes and PNG regions)", () => {
    const input = sampleCalendar("2026-11-25"); // a Wednesday: the last column is partial
    // Outside the 26-week window: ignored. Zero days: drawn empty.
    input.days["2026-11-26"] = 9;
    input.days[addDays("2026-11-25", -182)] = 9;
    input.days[addDays("2026-11-25", -3)] = 0;
    const inWindow = activeDays(input) - 2;
    expect(inWindow).toBeGreaterThan(50);
    expect(countFilledShapes(toSvg(calendarSpec(input)), THEME.heat)).toBe(inWindow);
    const img = decode(renderCalendar(input).png);
    expect(countRegions(img, THEME.heat, CELLS_MAX_Y)).toBe(inWindow);
    // Empty days are drawn in the empty colour, as separate cells.
    expect(countRegions(img, [THEME.empty], CELLS_MAX_Y)).toBe(182 - inWindow);
  });

  it("no reviews at all: every cell empty, says so in the alt text", () => {
    const input = { days: {}, today: "2026-03-15", streak: 0 };
    expect(countFilledShapes(toSvg(calendarSpec(input)), THEME.heat)).toBe(0);
    const chart = renderCalendar(input);
    const img = decode(chart.png);
    expect(countRegions(img, THEME.heat, CELLS_MAX_Y)).toBe(0);
    expect(countRegions(img, [THEME.empty], CELLS_MAX_Y)).toBe(182);
    expect(chart.alt).toContain("no reviews");
    expect(chart.alt).toContain("current streak 0 days");
  });

  it("a single review day is one coloured cell", () => {
    const input = { days: { "2026-03-15": 1 }, today: "2026-03-15", streak: 1 };
    expect(countRegions(decode(renderCalendar(input).png), THEME.heat, CELLS_MAX_Y)).toBe(1);
  });

  it("states totals, busiest day and streak in the alt text and title", () => {
    const input = {
      days: { "2026-03-10": 4, "2026-03-12": 25, "2026-03-14": 6, "2026-03-15": 5 },
      today: "2026-03-15",
      streak: 2,
    };
    const { alt } = renderCalendar(input);
    expect(alt).toContain("40 reviews on 4 of 182 days");
    expect(alt).toContain("busiest day 2026-03-12 with 25 reviews");
    expect(alt).toContain("current streak 2 days");
    expect(alt).toContain("from 2025-09-15 to 2026-03-15");
    expect(toSvg(calendarSpec(input))).toContain("streak 2 days");
  });

  it.each(["UTC", "America/New_York", "Pacific/Auckland", "Asia/Kolkata"])(
    "same cells whatever the server time zone (%s, window spans a DST change)",
    (tz) => {
      const saved = process.env.TZ;
      process.env.TZ = tz;
      try {
        const input = sampleCalendar("2026-11-29");
        expect(countFilledShapes(toSvg(calendarSpec(input)), THEME.heat)).toBe(activeDays(input));
      } finally {
        process.env.TZ = saved;
      }
    },
  );
});
