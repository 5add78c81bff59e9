import { describe, expect, it } from "vitest";
import { leaderboardSpec, renderLeaderboard } from "../../src/charts/leaderboard.js";
import { THEME, toSvg } from "../../src/charts/render.js";
import { plainName } from "../../src/charts/text.js";
import { countFilledShapes, decode, luminanceStdDev } from "./png.js";

const hostile = [
  { name: "<script>alert(1)</script>", points: 90 },
  { name: "@everyone", points: 80 },
  { name: "<@&123456> <!channel>", points: 70 },
  { name: `${"W".repeat(300)}`, points: 60 },
  { name: "line\nbreak\u202Eevil\u200b", points: 50 },
  { name: "{b} {a|rich} {c}", points: 40 },
  { name: "", points: 30 },
  { name: "Zoë 山田 Ωμέγα", points: 20 },
];

/** The text content of every <text>/<tspan> in an SVG, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]*)</g)].map((m) =>
    (m[1] ?? "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

describe("weekly leaderboard", () => {
  it("renders hostile display names as inert text", () => {
    const svg = toSvg(leaderboardSpec({ week: "2026-W48", rows: hostile }));
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/<!channel/);
    const shown = texts(svg);
    expect(shown).toContain("1. <script>alert(1)</script>");
    expect(shown).toContain("2. @everyone");
    expect(shown).toContain("3. <@&123456> <!channel>");
    expect(shown).toContain("6. {b} {a|rich} {c}");
    expect(shown).toContain("7. (no name)");
    expect(shown).toContain("8. Zoë 山田 Ωμέγα");
    expect(shown.some((t) => t.includes("WWWW") && t.length < 60)).toBe(true);
    expect(shown.filter((t) => /[\n\u202e\u200b]/.test(t))).toEqual([]);
    const chart = renderLeaderboard({ week: "2026-W48", rows: hostile });
    expect(decode(chart.png)).toMatchObject({ width: 800, height: 400 });
    expect(luminanceStdDev(decode(chart.png))).toBeGreaterThan(15);
  });

  it("alt text lists rank, name and points with mentions defused", () => {
    const { alt } = renderLeaderboard({ week: "2026-W48", rows: hostile });
    expect(alt).toContain("Weekly leaderboard for 2026-W48");
    expect(alt).toContain("1. <script>alert(1)</script>, 90 points");
    expect(alt).toContain("2. @\u200beveryone, 80 points");
    expect(alt).not.toMatch(/@(?!\u200b)/);
    expect(alt).toContain("8. Zoë 山田 Ωμέγα, 20 points");
  });

  it("draws the top 10 by points, highest first", () => {
    const rows = Array.from({ length: 14 }, (_, i) => ({ name: `p${i}`, points: i * 10 }));
    const spec = leaderboardSpec({ week: "2026-W01", rows });
    const svg = toSvg(spec);
    expect(countFilledShapes(svg, [THEME.accent])).toBe(10);
    expect(texts(svg)).toContain("1. p13");
    expect(texts(svg)).toContain("10. p4");
    expect(texts(svg)).not.toContain("11. p3");
    expect(spec.alt).toContain("1. p13, 130 points");
    expect(spec.alt).not.toContain("p3,");
  });

  it("an empty week renders and says so", () => {
    const chart = renderLeaderboard({ week: "2026-W01", rows: [] });
    expect(decode(chart.png).width).toBe(800);
    expect(chart.alt).toContain("no entries yet");
  });

  it("plainName truncates long names to 32 characters", () => {
    expect([...plainName("x".repeat(100))]).toHaveLength(32);
    expect(plainName("  a \t b  ")).toBe("a b");
  });
});
