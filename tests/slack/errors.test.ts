import { describe, expect, it } from "vitest";
import { postSigned, slashCommandBody } from "../fakes/slack-requests.js";
import {
  describeTrafficChecks,
  dmOf,
  FORM,
  json,
  questionIn,
  SECRET,
  useSlack,
} from "./harness.js";

const h = useSlack();
const { fake, command, person, posts } = h;

describe("requests Slack did not sign, or sent broken", () => {
  it("rejects requests with a wrong or stale signature", async () => {
    const p = person();
    const body = slashCommandBody(p, "pip", { responseUrl: fake.responseUrl() });
    const wrong = await postSigned(h.events, body, FORM, { secret: "not-the-secret" });
    expect(wrong.status).toBe(401);
    const forged = await postSigned(h.events, body, FORM, { secret: SECRET, signature: "v0=00" });
    expect(forged.status).toBe(401);
    const stale = await postSigned(h.events, body, FORM, {
      secret: SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(stale.status).toBe(401);
  });

  it("survives a malformed payload and keeps serving", async () => {
    const bad = await postSigned(h.events, "payload=%7Bnot-json", FORM, { secret: SECRET });
    expect(bad.status).toBe(400);
    const health = await fetch(`http://127.0.0.1:${h.port}/healthz`);
    expect(health.status).toBe(200);
    const ok = await command(person(), "venv");
    expect(ok.status).toBe(200);
  });
});

describe("when Slack refuses", () => {
  it("retries a rate-limited call (429) and still delivers", async () => {
    const p = person();
    fake.rateLimit("chat.postMessage");
    await command(p, "quiz");
    const tries = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === dmOf(p));
    expect(tries.map((c) => c.result.ok)).toEqual([false, true]);
    questionIn(tries[1]);
  });

  it("answers politely when the DM cannot be posted, and keeps working", async () => {
    const p = person();
    fake.fail("chat.postMessage", "channel_not_found");
    const res = await command(p, "quiz");
    expect(res.status).toBe(200);
    expect(json(res.json)).toContain("Sent to your direct messages");
    const told = fake.responses.filter((r) => res.responseUrl.endsWith(`/respond/${r.id}`));
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toMatchObject({ response_type: "ephemeral" });
    expect(String(told[0]?.body.text)).toContain("couldn't send you a direct message");
    expect(String(told[0]?.body.text)).toContain("channel_not_found");
    const again = await command(p, "quiz");
    expect(again.status).toBe(200);
    expect(posts(p).filter((c) => c.result.ok)).toHaveLength(1);
  });
});

describeTrafficChecks(h);
