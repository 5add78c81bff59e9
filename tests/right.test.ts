import { describe, expect, it } from "vitest";
import type { Part, Reply } from "../src/app/reply.js";
import type { Actor } from "../src/app/types.js";
import { testApp } from "./support/app.js";
import { useTestRedis } from "./support/redis.js";

const { redis, prefix } = useTestRedis();

const now = new Date("2026-06-01T09:00:00Z");
const find = <K extends Part["kind"]>(r: Reply, kind: K) =>
  [...r.parts, ...(r.dm ?? [])].find((p): p is Extract<Part, { kind: K }> => p.kind === kind);

/** Starts a quiz and types `answer` to the first question; returns the result. */
async function answerFirst(app: ReturnType<typeof testApp>, actor: Actor, answer: string) {
  await app.handleCommand(actor, "topics remove web", now);
  const q = find(await app.handleCommand(actor, "quiz", now), "question")?.question;
  if (!q) throw new Error("no question");
  const r = await app.handleAction(
    actor,
    { type: "answer", promptId: q.promptId, text: answer },
    now,
  );
  const result = find(r, "result")?.result;
  if (!result) throw new Error(`no result: ${JSON.stringify(r)}`);
  return { q, result };
}

describe("I was right", () => {
  const team = (user: string): Actor => ({
    learner: `slack:T9:${user}`,
    platform: "slack",
    tenant: "T9",
    tz: "UTC",
  });

  it("amends a wrong typed answer to Good once, and a team accepts it after two learners", async () => {
    const app = testApp(redis, prefix);
    const odd = "node package manager";
    const a = await answerFirst(app, team("UA1"), odd);
    expect(a.result.verdict).toBe("wrong");
    expect(a.result.claimable).toBe(true);

    const claim = await app.handleAction(
      team("UA1"),
      { type: "right", promptId: a.q.promptId },
      now,
    );
    expect(find(claim, "result")?.result).toMatchObject({ rating: "Good", amended: true });
    expect(JSON.stringify(claim.dm)).toMatch(/proposed/);
    // A double click changes nothing more.
    const again = await app.handleAction(
      team("UA1"),
      { type: "right", promptId: a.q.promptId },
      now,
    );
    expect(find(again, "result")).toBeUndefined();

    const b = await answerFirst(app, team("UB2"), odd);
    expect(b.q.cardId).toBe(a.q.cardId);
    const second = await app.handleCommand(team("UB2"), "right", now);
    expect(JSON.stringify(second.dm)).toMatch(/accepted for this card for everyone/);

    const c = await answerFirst(app, team("UC3"), odd);
    expect(c.result.verdict).toBe("correct");
    // Another team has not accepted it.
    const other = await answerFirst(
      app,
      { ...team("UD4"), learner: "slack:T8:UD4", tenant: "T8" },
      odd,
    );
    expect(other.q.cardId).toBe(a.q.cardId);
    expect(other.result.verdict).toBe("wrong");
  });

  it("two presses at once amend and propose once", async () => {
    const app = testApp(redis, prefix);
    const who = { ...team("UF6"), learner: "slack:T7:UF6", tenant: "T7" };
    const a = await answerFirst(app, who, "node package manager");
    const press = () => app.handleAction(who, { type: "right", promptId: a.q.promptId }, now);
    const both = await Promise.all([press(), press()]);
    const notes = both
      .flatMap((r) => r.dm ?? [])
      .filter((p) => JSON.stringify(p).includes("Counted as right"));
    expect(notes).toHaveLength(1);
    expect(
      both.filter((r) => JSON.stringify(r.parts).includes("already counts as right")),
    ).toHaveLength(1);
  });

  it("says so when there is nothing to claim", async () => {
    const app = testApp(redis, prefix);
    const r = await app.handleCommand(team("UE5"), "right", now);
    expect(JSON.stringify(r.parts)).toMatch(/no typed answer to claim/);
  });
});
