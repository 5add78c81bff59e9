import { describe, expect, it, vi } from "vitest";
import { Charts } from "../../src/app/charts.js";
import { progress } from "../../src/app/progress.js";
import type { Part } from "../../src/app/reply.js";
import { chartData } from "../../src/core/chart-data.js";
import { decodeState } from "../../src/core/scheduler.js";
import { bundledDeck } from "../support/app.js";

const now = new Date("2026-05-04T09:00:00Z");
const learner = "discord:1234";
const actor = { learner, platform: "discord" as const, tz: "UTC" };
const PNG_MAGIC = "89504e470d0a1a0a";

/** progress() on in-memory stores: a learner with `n` reviews over the last days. */
function setup(charts: Charts | undefined, desiredRetention = 0.9) {
  const deck = bundledDeck();
  const log = Array.from({ length: 12 }, (_, i) => ({
    id: `${i}-0`,
    card: deck.cards[i]?.id ?? "x",
    rating: i % 4 === 0 ? 1 : 3,
    review: now.getTime() - i * 86_400_000 - 3_600_000,
    elapsed: 0,
    before: "",
  }));
  const deps = {
    deck,
    settings: { get: async () => ({ streak: 2, lastSessionDay: "2026-05-04" }) },
    reviews: { states: async () => ({}), log: async () => log },
    defaultTz: "UTC",
    decode: (_l: string, raw: Record<string, string>) =>
      new Map(Object.entries(raw).map(([k, v]) => [k, decodeState(v)])),
    charts,
    desiredRetention,
  } as unknown as Parameters<typeof progress>[0];
  return { deps, log };
}

const statsPart = (parts: Part[]) => {
  const p = parts.find((x) => x.kind === "stats");
  if (p?.kind !== "stats") throw new Error("no stats part");
  return p;
};

describe("stats with charts (App → progress → Charts)", () => {
  it("carries calendar, forecast and retention PNGs with alt text, and the activity", async () => {
    const { deps } = setup(new Charts({ warn: vi.fn() }));
    const part = statsPart((await progress(deps, actor, now)).parts);
    expect(part.images?.map((i) => i.name)).toEqual([
      "calendar.png",
      "forecast.png",
      "retention.png",
    ]);
    for (const img of part.images ?? []) {
      expect(img.png.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
      expect(img.alt.length).toBeGreaterThan(20);
      expect([img.width, img.height]).toEqual([800, 400]);
    }
    expect(part.images?.[0]?.alt).toMatch(/streak 2 days/);
    expect(part.images?.[2]?.alt).toMatch(/desired retention 90%/);
    expect(part.activity?.today).toBe("2026-05-04");
    expect(Object.values(part.activity?.days ?? {}).reduce((a, b) => a + b, 0)).toBe(12);
  });

  it("draws the scheduler's desired retention (PYJS_RETENTION) as the target", async () => {
    const { deps } = setup(new Charts({ warn: vi.fn() }), 0.85);
    const part = statsPart((await progress(deps, actor, now)).parts);
    expect(part.images?.find((i) => i.name === "retention.png")?.alt).toMatch(
      /desired retention 85%/,
    );
  });

  it("serves the same day's charts from the cache until the learner reviews again", async () => {
    const charts = new Charts({ warn: vi.fn() });
    const { deps, log } = setup(charts);
    const first = statsPart((await progress(deps, actor, now)).parts).images ?? [];
    const again = statsPart((await progress(deps, actor, now)).parts).images ?? [];
    expect(again[0]?.png).toBe(first[0]?.png); // the very same Buffer: a cache hit
    log.push({ ...(log[0] as (typeof log)[number]), id: "99-0", review: now.getTime() - 60_000 });
    const after = statsPart((await progress(deps, actor, now)).parts).images ?? [];
    expect(after[0]?.png).not.toBe(first[0]?.png);
    expect(after[0]?.alt).not.toBe(first[0]?.alt);
  });

  it("has no images without a charts collaborator, or when the caller asks for none", async () => {
    const bare = statsPart((await progress(setup(undefined).deps, actor, now)).parts);
    expect(bare.images).toBeUndefined();
    expect(bare.stats.reviewsTotal).toBe(12);
    const { deps } = setup(new Charts({ warn: vi.fn() }));
    const home = statsPart((await progress(deps, actor, now, { charts: false })).parts);
    expect(home.images).toBeUndefined();
  });

  it("leaves a failing chart out (logged), keeps the others, and never throws", async () => {
    const warn = vi.fn();
    const charts = new Charts({ warn });
    const data = chartData({
      log: [],
      states: [],
      now,
      tz: "UTC",
      streak: 0,
      desiredRetention: 0.9,
    });
    const images = await charts.stats({
      learner,
      date: "2026-05-04",
      version: "0",
      data: () => ({ ...data, calendar: { ...data.calendar, streak: Number.NaN } }),
    });
    expect(images.map((i) => i.name)).toEqual(["forecast.png"]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ chart: "calendar", learner }),
      expect.stringMatching(/falling back to text/),
    );
    const none = await charts.stats({
      learner: "other",
      date: "2026-05-04",
      version: "0",
      data: () => {
        throw new Error("boom");
      },
    });
    expect(none).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ chart: "stats-data" }),
      expect.any(String),
    );
    expect(charts.cache.size).toBe(1); // only the forecast: failures are not cached
  });

  it("renders a team's board picture once per week and content", async () => {
    const charts = new Charts({ warn: vi.fn() });
    const input = { week: "2026-W19", rows: [{ name: "@everyone", points: 5 }] };
    const [a] = await charts.board("T1", input);
    const [b] = await charts.board("T1", input);
    expect(a?.name).toBe("leaderboard.png");
    expect(b?.png).toBe(a?.png);
    expect(a?.alt).not.toMatch(/@everyone/);
  });
});
