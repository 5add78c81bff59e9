import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/app/messenger.js";
import {
  describeTrafficChecks,
  dmOf,
  json,
  learner,
  questionIn,
  TEAM,
  useSlack,
} from "./harness.js";

const h = useSlack();
const { fake, app, clock, person, posts, prompts } = h;

const board = {
  kind: "leaderboard" as const,
  board: {
    title: "This week",
    period: "2026-W19",
    rows: [{ rank: 1, name: "<!channel>", points: 3, streak: 1 }],
  },
};

describe("the Messenger (daily deliveries and boards)", () => {
  it("sends a daily delivery to the DM and remembers where the question is", async () => {
    const p = person();
    const q = await app.handleCommand(
      { learner: learner(p), platform: "slack", tenant: p.team },
      "quiz",
      clock,
    );
    await h.slack.messenger.sendDm(learner(p), [
      { kind: "greeting", greeting: { due: 0, fresh: 5, unfinishedYesterday: false } },
      ...(q.dm ?? []),
    ]);
    // One message: the greeting leads the question, so a retry cannot repeat half of it.
    expect(posts(p)).toHaveLength(1);
    expect(json(posts(p)[0]?.body.blocks)).toContain("Good morning!");
    const { promptId, ts } = questionIn(posts(p)[0]);
    expect((await prompts.get(learner(p), promptId))?.ref).toBe(`${dmOf(p)}:${ts}`);
  });

  it("maps Slack errors to permanent or transient DeliveryErrors", async () => {
    const messenger = h.slack.messenger;
    fake.fail("chat.postMessage", "not_in_channel");
    const gone = await messenger.postToChannel(TEAM, "C0PRIVATE", [board]).catch((e) => e);
    expect(gone).toBeInstanceOf(DeliveryError);
    expect(gone).toMatchObject({ permanent: true, code: "not_in_channel" });

    fake.fail("chat.postMessage", "internal_error");
    const flaky = await messenger.postToChannel(TEAM, "C0BOARD", [board]).catch((e) => e);
    expect(flaky).toMatchObject({ permanent: false, code: "internal_error" });

    fake.fail("conversations.open", "user_not_found");
    const nobody = await messenger.sendDm(learner(person()), [board]).catch((e) => e);
    expect(nobody).toMatchObject({ permanent: true, code: "user_not_found" });

    const wrong = await messenger.sendDm("discord:1", [board]).catch((e) => e);
    expect(wrong).toMatchObject({ permanent: true });

    await messenger.postToChannel(TEAM, "C0BOARD", [board]);
    const posted = fake.callsTo("chat.postMessage").at(-1);
    expect(posted?.result.ok).toBe(true);
    expect(json(posted?.body.blocks)).toContain("&lt;!channel&gt;");
  });
});

describeTrafficChecks(h);
