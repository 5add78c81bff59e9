/** `pyjs stats --png FILE`: one PNG with the charts stacked (calendar, forecast, retention if given). */
import { writeFile } from "node:fs/promises";
import { calendarSpec } from "./calendar.js";
import { forecastSpec } from "./forecast.js";
import type { StatsChartsInput } from "./index.js";
import { type ChartResult, type ChartSpec, svgToPng, toSvg } from "./render.js";
import { retentionSpec } from "./retention.js";

/** Specs stacked vertically into one SVG (nested <svg> at y offsets), plus the joined alt text. */
export function stackSpecs(specs: ChartSpec[]): {
  svg: string;
  width: number;
  height: number;
  alt: string;
} {
  const width = Math.max(...specs.map((s) => s.width));
  let y = 0;
  const parts = specs.map((spec) => {
    const part = toSvg(spec).replace(/^\s*<svg\b/, `<svg x="0" y="${y}"`);
    y += spec.height + 8;
    return part;
  });
  const height = y - 8;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${parts.join("\n")}\n</svg>`;
  return { svg, width, height, alt: specs.map((s) => s.alt).join(" ") };
}

/** The `pyjs stats --png` image in memory: calendar, forecast (and retention if given) stacked. */
export function renderStatsPng(data: StatsChartsInput): ChartResult {
  const specs = [calendarSpec(data.calendar), forecastSpec(data.forecast)];
  if (data.retention) specs.push(retentionSpec(data.retention));
  const { svg, width, height, alt } = stackSpecs(specs);
  return { png: svgToPng(svg), width, height, alt };
}

/**
 * Writes ONE combined PNG to `file` (no suffixed siblings): the review calendar above the
 * 30-day forecast, plus the retention chart below them when `data.retention` is given; each
 * panel 800×400, 8 px apart (so 800×808 or 800×1216). Throws on bad data or I/O errors.
 */
export async function writeStatsPng(file: string, data: StatsChartsInput): Promise<void> {
  await writeFile(file, renderStatsPng(data).png);
}
