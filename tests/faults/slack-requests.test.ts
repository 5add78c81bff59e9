import { describe, expect, it } from "vitest";
import {
  blockActionBody,
  dmMessageEvent,
  eventBody,
  postSigned,
  slashCommandBody,
} from "../fakes/slack-requests.js";
import { FORM, SECRET, useSlack } from "../slack/harness.js";

/**
 * Issue 12, items 1, 11 and 21: signed Slack requests whose bodies Bolt would choke on or
 * turn into junk learners are refused with 400 before Bolt sees them; timestamps more
 * than 5 minutes off either way are refused; the process keeps serving afterwards.
 */
const h = useSlack();
const JSON_TYPE = "application/json";
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const signed = (body: string, type: string, timestamp?: number) =>
  postSigned(h.events, body, type, { secret: SECRET, ...(timestamp ? { timestamp } : {}) });

/** Still alive and answering: a lookup through the same server. */
async function stillServes() {
  const res = await h.command(h.person(), "pip");
  expect(res.status).toBe(200);
  expect(JSON.stringify(res.json?.blocks)).toContain("*pip*");
}

describe("payload shapes (item 1)", () => {
  it.each([
    ["JSON null", "null", JSON_TYPE],
    ["JSON array", "[]", JSON_TYPE],
    ["JSON number", "5", JSON_TYPE],
    ["JSON string", '"x"', JSON_TYPE],
    ["not JSON", "{", JSON_TYPE],
    ["form payload=null", form({ payload: "null" }), FORM],
    ["form payload=[]", form({ payload: "[]" }), FORM],
    ["form payload=7", form({ payload: "7" }), FORM],
    ["form payload not JSON", form({ payload: "{" }), FORM],
    ["empty form", "", FORM],
  ])("a signed %s is refused with 400 and the bot keeps serving", async (_, body, type) => {
    const res = await signed(body, type);
    expect(res.status).toBe(400);
    await h.slack.settled();
    await stillServes();
  });
});

describe("learner ids (item 11)", () => {
  const team = "T0TEAM";
  it.each([
    ["a command without user_id", () => form({ command: "/pyjs", team_id: team, text: "quiz" })],
    [
      "a command with a glob user id",
      () => slashCommandBody({ team, user: "U1*" }, "quiz", { responseUrl: h.fake.responseUrl() }),
    ],
    [
      "a command with a brace team id",
      () => slashCommandBody({ team: "T}{", user: "U1" }, "quiz", { responseUrl: "http://x/" }),
    ],
  ])("%s is refused with 400", async (_, body) => {
    const before = h.fake.calls.length;
    const res = await signed(body(), FORM);
    expect(res.status).toBe(400);
    await h.slack.settled();
    expect(h.fake.calls.length).toBe(before);
  });

  it("a button press without a user id or team is refused with 400", async () => {
    const press = JSON.parse(
      new URLSearchParams(
        blockActionBody({ team, user: "U0001X" }, { action_id: "pyjs_show", value: "x" }, {}),
      ).get("payload") ?? "{}",
    ) as Record<string, unknown>;
    const noUser = { ...press, user: { name: "x" } };
    const noTeam = { ...press, team: null, user: { id: "U0001X" } };
    const lower = { ...press, user: { id: "u0001x", team_id: team } };
    for (const p of [noUser, noTeam, lower]) {
      const res = await signed(form({ payload: JSON.stringify(p) }), FORM);
      expect(res.status).toBe(400);
    }
    await h.slack.settled();
    expect(h.fake.calls.filter((c) => JSON.stringify(c.body).includes("undefined"))).toEqual([]);
  });

  it("a DM event without a team or with a bad user id is refused with 400", async () => {
    const who = { team, user: "U0002X" };
    const noTeam = JSON.parse(eventBody(who, dmMessageEvent(who, "pip"))) as Record<
      string,
      unknown
    >;
    delete noTeam.team_id;
    const badUser = eventBody(who, { ...dmMessageEvent(who, "pip"), user: "U*}" });
    for (const body of [JSON.stringify(noTeam), badUser])
      expect((await signed(body, JSON_TYPE)).status).toBe(400);
    await h.slack.settled();
    expect(h.posts(who)).toEqual([]);
  });

  it("well-formed requests still pass (url_verification, a command)", async () => {
    const challenge = await signed(
      JSON.stringify({ type: "url_verification", challenge: "abc", token: "t" }),
      JSON_TYPE,
    );
    expect(challenge.status).toBe(200);
    expect(challenge.text).toContain("abc");
    await stillServes();
  });
});

describe("request timestamps (item 21)", () => {
  const now = () => Math.floor(Date.now() / 1000);
  it("refuses a signed request 10 or 6 minutes in the future", async () => {
    for (const ahead of [600, 360]) {
      const body = slashCommandBody({ team: "T0TEAM", user: "U0003X" }, "pip", {
        responseUrl: "http://x/",
      });
      expect((await signed(body, FORM, now() + ahead)).status).toBe(401);
    }
  });

  it("refuses one 6 minutes old and accepts one 2 minutes ahead", async () => {
    const body = slashCommandBody({ team: "T0TEAM", user: "U0004X" }, "pip", {
      responseUrl: "http://x/",
    });
    expect((await signed(body, FORM, now() - 360)).status).toBe(401);
    const ok = await signed(body, FORM, now() + 120);
    expect(ok.status).toBe(200);
    await h.slack.settled();
  });
});
