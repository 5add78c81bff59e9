import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/app/types.js";
import { parseCommand } from "../../src/core/grammar.js";
import { createScheduler, encodeState, Rating } from "../../src/core/scheduler.js";
import { studyCards } from "../../src/core/topics.js";
import { makeKeys } from "../../src/store/keys.js";
import { SettingsStore } from "../../src/store/settings.js";
import { bundledDeck, testApp } from "../support/app.js";
import { useTestRedis } from "../support/redis.js";
import { questionIn, said } from "../support/replies.js";

const { redis, prefix } = useTestRedis();

const question = questionIn;
const LIMIT = 10;
const app = testApp(redis, prefix, { limits: { newPerDay: 5, maxReviewsPerDay: LIMIT } });
const keys = makeKeys(prefix);
const settings = new SettingsStore(redis, keys);
/** 09:00 UTC on 2026-05-{d}. */
const on = (d: number) => new Date(`2026-05-${String(d).padStart(2, "0")}T09:00:00Z`);
let n = 0;

/** A subscribed learner with `count` review cards all due on 2026-05-05, learned earlier. */
async function learnerWithReviews(count: number): Promise<Actor> {
  // A chat platform: the terminal takes no subscriptions (issue 12, item 22).
  const actor: Actor = { learner: `discord:4242${++n}`, platform: "discord", tz: "UTC" };
  await app.handleCommand(actor, "subscribe 09:00 UTC", on(1));
  const sched = createScheduler({ fuzz: false });
  const cards = studyCards(bundledDeck(), undefined).slice(0, count);
  const states: Record<string, string> = {};
  cards.forEach((c, i) => {
    // Learned at different times, so their due dates differ: the oldest is cards[0].
    const learned = new Date(on(1).getTime() - (40 - i) * 3600_000);
    const st = sched.review(undefined, Rating.Easy, learned).after;
    states[c.id] = encodeState({ ...st, due: new Date(on(5).getTime() - (count - i) * 60_000) });
  });
  await redis.hset(keys.cards(actor.learner), states);
  return actor;
}

/** The daily delivery of a date, then the whole session answered Good; the cards asked. */
async function deliveredDay(
  actor: Actor,
  now: Date,
): Promise<{ outcome: string; asked: string[] }> {
  const date = now.toISOString().slice(0, 10);
  const daily = await app.daily(actor.learner, "discord", now, date);
  if (daily.outcome !== "send") return { outcome: daily.outcome, asked: [] };
  const asked: string[] = [];
  let q = question(daily.parts);
  while (q && asked.length < 100) {
    asked.push(q.cardId);
    await app.handleAction(actor, { type: "show", promptId: q.promptId }, now);
    const r = await app.handleAction(
      actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      now,
    );
    q = question(r.dm);
  }
  return { outcome: "send", asked };
}

describe("vacation", () => {
  it("parses pause 7d and pause until a date", () => {
    expect(parseCommand("pause 7d")).toEqual({ kind: "vacation", days: 7 });
    expect(parseCommand("/pyjs pause until 2026-12-28")).toEqual({
      kind: "vacation",
      until: "2026-12-28",
    });
    expect(parseCommand("pause")).toEqual({ kind: "pause" });
    expect(parseCommand("pause until 2026-02-30").kind).toBe("usage");
    expect(parseCommand("pause 0d").kind).toBe("usage");
    expect(parseCommand("pause 400d").kind).toBe("usage");
  });

  it("pauses delivery, resumes by itself, spreads the pile under the daily limit (oldest first), keeps the streak", async () => {
    const actor = await learnerWithReviews(25);
    // A finished session on 05-03 with a 4-day streak, then a week away from 05-04.
    await settings.update(actor.learner, {
      streak: 4,
      bestStreak: 4,
      lastSessionDay: "2026-05-03",
    });
    const r = await app.handleCommand(actor, "pause 7d", on(4));
    expect(said(r)).toContain("No daily quiz until 2026-05-11");
    for (let d = 4; d <= 10; d++)
      expect((await deliveredDay(actor, on(d))).outcome).toBe("on-vacation");
    // The streak is still shown during the break.
    const mid = await app.handleCommand(actor, "stats", on(9));
    expect(mid.parts[0]).toMatchObject({ stats: { streak: 4 } });

    const first = await deliveredDay(actor, on(11));
    expect(first.outcome).toBe("send");
    expect(first.asked).toHaveLength(LIMIT);
    const cards = studyCards(bundledDeck(), undefined)
      .slice(0, 25)
      .map((c) => c.id);
    expect(first.asked).toEqual(cards.slice(0, LIMIT));
    const back = await settings.get(actor.learner);
    expect(back.streak).toBe(5);
    expect(back.lastSessionDay).toBe("2026-05-11");
    const second = await deliveredDay(actor, on(12));
    expect(second.asked).toEqual(cards.slice(LIMIT, 2 * LIMIT));
    const third = await deliveredDay(actor, on(13));
    // The rest of the pile, then new cards fill the room left under the limit.
    expect(third.asked.slice(0, 5)).toEqual(cards.slice(2 * LIMIT));
    expect(third.asked.length).toBeLessThanOrEqual(LIMIT);
    expect((await settings.get(actor.learner)).streak).toBe(7);
  });

  it("resume ends it early (the paused days still keep the streak); a date in the past is refused", async () => {
    const actor = await learnerWithReviews(3);
    await settings.update(actor.learner, {
      streak: 2,
      bestStreak: 2,
      lastSessionDay: "2026-05-03",
    });
    expect(said(await app.handleCommand(actor, "pause until 2026-05-01", on(4)))).toContain(
      "has passed",
    );
    await app.handleCommand(actor, "pause until 2026-06-01", on(4));
    expect((await deliveredDay(actor, on(6))).outcome).toBe("on-vacation");
    await app.handleCommand(actor, "resume", on(7));
    const day = await deliveredDay(actor, on(7));
    expect(day.outcome).toBe("send");
    expect((await settings.get(actor.learner)).streak).toBe(3);
  });

  it("a gap outside the vacation still breaks the streak", async () => {
    const actor = await learnerWithReviews(3);
    await settings.update(actor.learner, {
      streak: 2,
      bestStreak: 2,
      lastSessionDay: "2026-05-01",
    });
    await app.handleCommand(actor, "pause 2d", on(4));
    await deliveredDay(actor, on(6));
    expect((await settings.get(actor.learner)).streak).toBe(1);
  });
});
