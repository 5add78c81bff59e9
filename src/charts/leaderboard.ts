import { count, plural } from "./dates.js";
import {
  type ChartOptions,
  type ChartResult,
  type ChartSpec,
  chartSize,
  renderSpec,
  THEME,
  titleOption,
} from "./render.js";
import { inertMentions, plainName } from "./text.js";

export interface LeaderboardInput {
  /** ISO week label, e.g. "2026-W48". */
  week: string;
  /** Display names (plain text, never mentions) and points; the top 10 are drawn. */
  rows: { name: string; points: number }[];
}

export const LEADERBOARD_SIZE = 10;

export function leaderboardSpec(input: LeaderboardInput, opts: ChartOptions = {}): ChartSpec {
  const { width, height } = chartSize(opts);
  const week = plainName(input.week);
  const rows = input.rows
    .map((r) => ({ name: plainName(r.name), points: count(r.points, "points") }))
    .sort((a, b) => b.points - a.points)
    .slice(0, LEADERBOARD_SIZE);
  // Always 10 slots, so a short board keeps the same row height instead of fat gaps.
  const labels = Array.from({ length: LEADERBOARD_SIZE }, (_, i) => {
    const r = rows[i];
    return r ? `${i + 1}. ${r.name}` : "";
  });
  const leader = rows[0];
  const summary = leader
    ? `Leader: ${leader.name} (${plural(leader.points, "point")})`
    : "No points yet";
  const option = {
    title: titleOption(`Weekly leaderboard · ${week}`, summary),
    grid: { left: 216, right: 64, top: 86, bottom: 20 },
    xAxis: { type: "value", show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    yAxis: {
      type: "category",
      inverse: true,
      data: labels,
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: THEME.text, fontSize: 13, width: 176, overflow: "truncate" },
    },
    series: [
      {
        type: "bar",
        data: rows.map((r) => r.points),
        barMaxWidth: 22,
        itemStyle: { color: THEME.accent, borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: "right", color: THEME.text, fontSize: 12 },
      },
    ],
  };
  const list = rows.map((r, i) => `${i + 1}. ${r.name}, ${plural(r.points, "point")}`).join("; ");
  const alt = inertMentions(`Weekly leaderboard for ${week}: ${list || "no entries yet"}.`);
  return { option, alt, width, height };
}

/** Top 10 of the week as horizontal bars, names as plain text. */
export function renderLeaderboard(input: LeaderboardInput, opts: ChartOptions = {}): ChartResult {
  return renderSpec(leaderboardSpec(input, opts));
}
