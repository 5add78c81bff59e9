import { afterEach, describe, expect, it, vi } from "vitest";
import { RedisError } from "../../src/errors.js";
import { ReviewStore } from "../../src/store/reviews.js";
import { json, learner, questionIn, useSlack } from "../slack/harness.js";
import { bundledDeck } from "../support/app.js";

/**
 * Issue 12, item 4 (Slack): when Redis refuses a write (MISCONF, EXECABORT, OOM; here the
 * review store throws a RedisError), the person is told "couldn't save that — try again"
 * where they acted, and trying again works.
 */
const h = useSlack();
const { command, click, person, posts, updates, reviews, fake } = h;
const refused = () =>
  new RedisError(
    "redis_write",
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk",
  );
const SAVE_FAILED = /couldn't save that — please try again/;

afterEach(() => {
  vi.restoreAllMocks();
});

const responseText = (responseUrl: string) =>
  json(fake.responses.filter((r) => responseUrl.endsWith(`/${r.id}`)).map((r) => r.body));

describe("a refused write in Slack", () => {
  it("a rating button: an ephemeral apology, nothing recorded, and the retry is graded", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    await click(p, { action_id: "pyjs_show", value: q.promptId }, { messageTs: q.ts });
    vi.spyOn(ReviewStore.prototype, "apply").mockRejectedValueOnce(refused());
    const failed = await click(
      p,
      { action_id: "pyjs_rate_3", value: q.promptId },
      { messageTs: q.ts },
    );
    expect(failed.status).toBe(200);
    expect(responseText(failed.responseUrl)).toMatch(SAVE_FAILED);
    expect(responseText(failed.responseUrl)).toContain('"response_type":"ephemeral"');
    expect(await reviews.logLength(learner(p))).toBe(0);

    await click(p, { action_id: "pyjs_rate_3", value: q.promptId }, { messageTs: q.ts });
    expect(json(updates(p).at(-1)?.body.blocks)).toContain("Rated Good.");
    expect(await reviews.logLength(learner(p))).toBe(1);
  });

  it("a typed answer in the DM: the apology in the DM, and the same answer again is graded", async () => {
    const p = person();
    await command(p, "quiz");
    const q = questionIn(posts(p)[0]);
    const prompt = await h.prompts.get(learner(p), q.promptId);
    const answer = bundledDeck().byId.get(prompt?.card ?? "")?.answer ?? "";
    vi.spyOn(ReviewStore.prototype, "apply").mockRejectedValueOnce(refused());
    await h.say(p, answer);
    expect(json(posts(p).at(-1)?.body)).toMatch(SAVE_FAILED);
    expect(await reviews.logLength(learner(p))).toBe(0);

    await h.say(p, answer);
    expect(await reviews.logLength(learner(p))).toBe(1);
  });

  it("a slash command: the acknowledgement says it couldn't save", async () => {
    const p = person();
    vi.spyOn(h.app, "handleCommand").mockRejectedValueOnce(refused());
    const res = await command(p, "subscribe 09:00");
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe("ephemeral");
    expect(String(res.json?.text)).toMatch(SAVE_FAILED);
    const again = await command(p, "subscribe 09:00");
    expect(json(again.json)).not.toMatch(SAVE_FAILED);
  });
});
