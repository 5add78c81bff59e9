import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Part } from "../src/app/reply.js";
import type { Actor } from "../src/app/types.js";
import { Rating } from "../src/core/scheduler.js";
import { connectRedis } from "../src/redis/connect.js";
import { makeKeys } from "../src/store/keys.js";
import { ReviewStore } from "../src/store/reviews.js";
import { testApp } from "./support/app.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix, url } = testRedis();
const other = connectRedis(url);
const reviews = new ReviewStore(redis, makeKeys(prefix));
const now = new Date("2026-11-02T08:00:00Z");
let n = 0;
let actor: Actor;

beforeEach(() => {
  actor = { learner: `console:learner${++n}`, platform: "console", tz: "Europe/Berlin" };
});

afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
  other.disconnect();
});

function questionOf(parts: Part[] | undefined) {
  const q = parts?.find((p) => p.kind === "question");
  if (q?.kind !== "question") throw new Error(`no question in ${JSON.stringify(parts)}`);
  return q.question;
}

describe("applying a review", () => {
  it("records one review, one log entry and the new state in one step", async () => {
    const app = testApp(redis, prefix);
    const q = questionOf((await app.handleCommand(actor, "quiz", now)).dm);
    const r = await app.handleAction(
      actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      now,
    );
    expect(r.dm?.[0]?.kind).toBe("result");
    const log = await reviews.log(actor.learner);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      card: q.cardId,
      rating: 3,
      review: now.getTime(),
      elapsed: 0,
      before: "",
      prompt: q.promptId,
    });
    expect((await reviews.states(actor.learner))[q.cardId]).toBe(log[0]?.after);
    expect(await reviews.day(actor.learner, "2026-11-02")).toEqual({
      newCards: 1,
      reviews: 1,
      correct: 1,
    });
  });

  it("answering the same prompt twice records one review and sends no second follow-up", async () => {
    const app = testApp(redis, prefix);
    const q = questionOf((await app.handleCommand(actor, "quiz", now)).dm);
    const first = await app.handleAction(
      actor,
      { type: "answer", promptId: q.promptId, text: "npm" },
      now,
    );
    const second = await app.handleAction(
      actor,
      { type: "answer", promptId: q.promptId, text: "npm" },
      now,
    );
    expect(first.dm?.map((p) => p.kind)).toEqual(["result", "question"]);
    expect(second).toEqual({ parts: [] });
    expect(await reviews.logLength(actor.learner)).toBe(1);
  });

  it("two processes answering one prompt at once record exactly one review", async () => {
    // A double click: the same button twice, handled by two processes on two connections.
    const limits = { newPerDay: 20, maxReviewsPerDay: 50 };
    const a = testApp(redis, prefix, { limits });
    const b = testApp(other, prefix, { limits });
    for (let round = 0; round < 10; round++) {
      const q = questionOf((await a.handleCommand(actor, "quiz", now)).dm);
      const replies = await Promise.all([
        a.handleAction(actor, { type: "rate", promptId: q.promptId, rating: Rating.Good }, now),
        b.handleAction(actor, { type: "rate", promptId: q.promptId, rating: Rating.Good }, now),
      ]);
      const followUps = replies.filter((r) => r.dm?.some((p) => p.kind === "result"));
      expect(followUps).toHaveLength(1);
    }
    const log = await reviews.log(actor.learner);
    expect(log).toHaveLength(10);
    expect(new Set(log.map((e) => e.prompt)).size).toBe(10);
  });

  it("two prompts for the same card cannot both apply on the same old state", async () => {
    const a = testApp(redis, prefix);
    const q1 = questionOf((await a.handleCommand(actor, "quiz", now)).dm);
    // A second platform asks the same card (e.g. the learner opened a quiz twice).
    const { PromptStore } = await import("../src/store/prompts.js");
    const p2 = await new PromptStore(redis, makeKeys(prefix)).open(actor.learner, q1.cardId, now);
    await Promise.all([
      a.handleAction(actor, { type: "rate", promptId: q1.promptId, rating: Rating.Good }, now),
      a.handleAction(actor, { type: "rate", promptId: p2.id, rating: Rating.Good }, now),
    ]);
    const log = await reviews.log(actor.learner);
    expect(log).toHaveLength(2);
    // The second review was computed from the first one's result, not from "new".
    const [x, y] = log;
    expect(y?.before).toBe(x?.after);
  });

  it("lets the learner override a typed answer's grade once, without a second review", async () => {
    const app = testApp(redis, prefix);
    const q = questionOf((await app.handleCommand(actor, "quiz", now)).dm);
    await app.handleAction(actor, { type: "answer", promptId: q.promptId, text: "no idea" }, now);
    const amended = await app.handleAction(
      actor,
      { type: "rate", promptId: q.promptId, rating: Rating.Good },
      now,
    );
    expect(amended.dm).toEqual([
      expect.objectContaining({
        kind: "result",
        result: expect.objectContaining({ rating: "Good", amended: true }),
      }),
    ]);
    const log = await reviews.log(actor.learner);
    expect(log).toHaveLength(1);
    expect(log[0]?.rating).toBe(3);
    expect(await reviews.day(actor.learner, "2026-11-02")).toEqual({
      newCards: 1,
      reviews: 1,
      correct: 1,
    });
    // Pressing the same button again does nothing.
    expect(
      await app.handleAction(
        actor,
        { type: "rate", promptId: q.promptId, rating: Rating.Good },
        now,
      ),
    ).toEqual({ parts: [] });
  });

  it("a forged or expired prompt id gets the expired answer", async () => {
    const app = testApp(redis, prefix);
    expect(
      (await app.handleAction(actor, { type: "show", promptId: "AAAAAAAAAAAA" }, now)).parts,
    ).toEqual([{ kind: "expired" }]);
    expect(
      (await app.handleAction(actor, { type: "show", promptId: "../../etc" }, now)).parts,
    ).toEqual([{ kind: "expired" }]);
    // Another learner's real prompt id is not reachable either.
    const q = questionOf((await app.handleCommand(actor, "quiz", now)).dm);
    const intruder: Actor = { learner: "console:intruder", platform: "console" };
    expect(
      (await app.handleAction(intruder, { type: "rate", promptId: q.promptId, rating: 4 }, now))
        .parts,
    ).toEqual([{ kind: "expired" }]);
  });
});
