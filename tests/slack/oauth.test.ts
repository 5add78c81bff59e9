import { afterAll, describe, expect, it } from "vitest";
import type { WeeklyScheduler } from "../../src/app/leaderboard.js";
import { Cipher } from "../../src/crypto.js";
import { deliver } from "../../src/jobs/delivery.js";
import { postWeekly, weeklyQueue } from "../../src/jobs/weekly.js";
import { createStores } from "../../src/runtime.js";
import { InstallationRecords } from "../../src/store/installations.js";
import type { SlackCall } from "../fakes/slack-api.js";
import type { Person } from "../fakes/slack-requests.js";
import { dmOf, json, learner, OAUTH, useSlack } from "./harness.js";

/** The weekly-post scheduler's calls (BullMQ's job schedulers are tested elsewhere). */
const scheduled: string[] = [];
const weekly: WeeklyScheduler = {
  schedule: async (t) => void scheduled.push(`schedule ${t}`),
  unschedule: async (t) => void scheduled.push(`unschedule ${t}`),
};

const h = useSlack({ weekly }, { oauth: true });
const { fake, command, person, posts } = h;
const ALPHA = "T0ALPHA";
const BETA = "T0BETA";

const stores = () => createStores(h.redis, h.keys.prefix);
/** The token Slack handed out last for a team (revoked or not). */
const tokenOf = (team: string) =>
  [...fake.botTokens.entries()].filter(([, t]) => t.team === team).at(-1)?.[0];
/** Calls made with any token of `team`. */
const callsBy = (team: string, calls: SlackCall[] = fake.calls) =>
  calls.filter((c) => c.token && fake.botTokens.get(c.token)?.team === team);

const queue = weeklyQueue(h.redis, "tq:");
afterAll(() => queue.close());

function jobDeps() {
  const s = stores();
  const messengers = new Map([["slack", h.slack.messenger]]);
  return {
    delivery: {
      app: h.app,
      settings: s.settings,
      schedule: s.schedule,
      messengers,
      clock: () => h.clock,
    },
    weekly: {
      app: h.app,
      teams: s.teams,
      queue,
      scheduler: weekly,
      messengers,
      clock: () => h.clock,
    },
  };
}

const deliverTo = (p: Person, date: string) =>
  deliver(jobDeps().delivery, { learner: learner(p), date, dueAt: h.clock.getTime() });

describe("installing pyjs into a workspace (OAuth v2)", () => {
  it("serves an Add to Slack page: Slack's authorize URL with pyjs's scopes and a state cookie", async () => {
    const start = await h.startInstall();
    expect(start.status).toBe(200);
    expect(start.text).toContain("Add pyjs to Slack");
    const url = new URL(start.authorize?.replaceAll("&amp;", "&") ?? "");
    expect(url.origin + url.pathname).toBe("https://slack.com/oauth/v2/authorize");
    expect(url.searchParams.get("client_id")).toBe("1111.2222");
    expect(url.searchParams.get("scope")?.split(",")).toEqual(
      expect.arrayContaining(["commands", "chat:write", "im:history", "users:read"]),
    );
    expect(url.searchParams.get("state")).toBe(start.state);
    expect(start.setCookie).toMatch(/HttpOnly/);
  });

  it("stores the installation on a good state and code, its token sealed in Redis", async () => {
    const page = await h.install(ALPHA);
    expect(page.status).toBe(200);
    expect(page.text).toContain("pyjs is installed");
    const token = tokenOf(ALPHA) ?? "";
    expect(token).toMatch(/^xoxb-/);
    const exchange = fake.callsTo("oauth.v2.access").at(-1);
    expect(exchange?.result.ok).toBe(true);
    // The installer's own auth.test went to the fake too (SLACK_API_URL), with the new token.
    expect(fake.callsTo("auth.test").some((c) => c.token === token)).toBe(true);
    const raw = await h.redis.hgetall(h.keys.slackInstall(ALPHA));
    expect(raw.sealed).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(json(raw)).not.toContain(token);
    expect(json(raw)).not.toContain("xoxb");
    expect(raw.teamName).toBe(`Team ${ALPHA}`);
  });

  it("refuses a missing, forged or other browser's state with 400 and stores nothing", async () => {
    const team = "T0NOSTATE";
    const code = fake.grant({ team, user: "U0ADMIN" });
    expect((await h.get(`/slack/oauth_redirect?code=${code}`)).status).toBe(400);
    const start = await h.startInstall();
    const [id] = start.state.split(".");
    const forged = `${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect((await h.finishInstall(code, forged, `slack-app-oauth-state=${forged}`)).status).toBe(
      400,
    );
    // A state pyjs signed, but the browser bringing it back never got its cookie.
    expect((await h.finishInstall(code, start.state)).status).toBe(400);
    expect(await h.redis.exists(h.keys.slackInstall(team))).toBe(0);
    expect(tokenOf(team)).toBeUndefined();
  });

  it("refuses a replayed redirect and a code already exchanged", async () => {
    const team = "T0REPLAY";
    const start = await h.startInstall();
    const code = fake.grant({ team, user: "U0ADMIN" });
    expect((await h.finishInstall(code, start.state, start.cookie)).status).toBe(200);
    const replay = await h.finishInstall(code, start.state, start.cookie);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain("expired or was already used");
    const again = await h.startInstall();
    const reused = await h.finishInstall(code, again.state, again.cookie);
    expect(reused.status).toBe(400);
    expect(reused.text).toContain("invalid_code");
    expect([...fake.botTokens.values()].filter((t) => t.team === team)).toHaveLength(1);
  });

  it("refuses an org-wide (Enterprise Grid) install and gives its token back", async () => {
    const start = await h.startInstall();
    const code = fake.grant({ team: "T0GRID", user: "U0ADMIN", enterprise: "E0GRID" });
    const page = await h.finishInstall(code, start.state, start.cookie);
    expect(page.status).toBe(403);
    expect(page.text).toContain("installs per workspace");
    expect(fake.botTokens.get(tokenOf("T0GRID") ?? "")?.revoked).toBe(true);
    expect(await h.redis.exists(h.keys.slackInstall("T0GRID"))).toBe(0);
  });

  it("answers nothing to a workspace that never installed pyjs", async () => {
    const before = fake.calls.length;
    const stranger = person("stranger", "T0NEVER");
    await command(stranger, "quiz");
    expect(fake.calls.slice(before)).toEqual([]);
    expect(await h.redis.exists(h.keys.learner(learner(stranger)))).toBe(0);
  });
});

describe("two workspaces side by side", () => {
  const a = person("alice", ALPHA);
  const b = person("bob", BETA);
  /** Bob's user id, but in Alpha (Enterprise Grid shares ids between workspaces). */
  const twin: Person = { team: ALPHA, user: b.user, name: "twin" };

  it("answers each workspace's requests with its own token", async () => {
    expect((await h.install(BETA)).status).toBe(200);
    fake.setUser(a.user, { display_name: "AliceAlpha" });
    fake.setUser(b.user, { display_name: "BobBeta" });
    await command(a, "subscribe 09:00 UTC");
    await command(b, "subscribe 09:00 UTC");
    await command(a, "quiz");
    await command(b, "quiz");
    expect(posts(a).length).toBeGreaterThan(0);
    expect(posts(b).length).toBeGreaterThan(0);
    for (const c of posts(a)) expect(c.token).toBe(tokenOf(ALPHA));
    // Bob's DM channel id is the same in both workspaces here: only Beta's token reaches it.
    for (const c of posts(b)) expect(c.token).toBe(tokenOf(BETA));
    const info = fake.callsTo("users.info");
    expect(
      info.filter((c) => c.body.user === a.user).every((c) => c.token === tokenOf(ALPHA)),
    ).toBe(true);
  });

  it("delivers the daily quiz and the weekly post with the learner's workspace token", async () => {
    expect(await deliverTo(a, "2026-05-04")).toBe("sent");
    expect(await deliverTo(b, "2026-05-04")).toBe("sent");
    expect(posts(a).at(-1)?.token).toBe(tokenOf(ALPHA));
    expect(posts(b).at(-1)?.token).toBe(tokenOf(BETA));
    const { teams } = stores();
    await teams.update(ALPHA, { platform: "slack", channel: "C0ALPHABOARD", tz: "UTC" });
    await teams.update(BETA, { platform: "slack", channel: "C0BETABOARD", tz: "UTC" });
    expect(await postWeekly(jobDeps().weekly, ALPHA, "2026-W18")).toBe("posted");
    expect(await postWeekly(jobDeps().weekly, BETA, "2026-W18")).toBe("posted");
    const boards = fake
      .callsTo("chat.postMessage")
      .filter((c) => /BOARD$/.test(String(c.body.channel)));
    expect(boards.map((c) => [c.body.channel, fake.botTokens.get(c.token ?? "")?.team])).toEqual([
      ["C0ALPHABOARD", ALPHA],
      ["C0BETABOARD", BETA],
    ]);
  });

  it("keeps learners, boards and DMs of one workspace out of the other", async () => {
    // Alice earns points in Alpha.
    const actor = {
      learner: learner(a),
      platform: "slack" as const,
      tenant: ALPHA,
      name: "AliceAlpha",
    };
    await h.app.handleCommand(actor, "quiz", h.clock);
    await h.app.handleMessage(actor, "no idea", h.clock);
    const alphaBoard = await command(a, "leaderboard");
    const betaBoard = await command(b, "leaderboard");
    expect(json(alphaBoard.json)).toContain("AliceAlpha");
    expect(json(betaBoard.json)).not.toContain("AliceAlpha");
    // The same person id in two workspaces is two learners: Alpha's twin starts empty.
    const twinStats = await command(twin, "stats");
    expect(json(twinStats.json)).not.toContain("BobBeta");
    expect(await h.redis.hget(h.keys.learner(learner(twin)), "subscribed")).toBeNull();
    expect(await h.redis.hget(h.keys.learner(learner(b)), "subscribed")).toBe("1");
    // Every DM post went to its own workspace only.
    for (const c of fake.callsTo("chat.postMessage")) {
      const team = fake.botTokens.get(c.token ?? "")?.team;
      if (c.body.channel === dmOf(a)) expect(team).toBe(ALPHA);
    }
    expect(fake.violations).toEqual([]);
    expect(fake.mentions()).toEqual([]);
  });

  it("on app_uninstalled: drops the installation, pauses the team and sends nothing more into it", async () => {
    const s = stores();
    scheduled.length = 0;
    await h.event(a, { type: "app_uninstalled" });
    fake.revokeTeam(ALPHA);
    expect(await h.redis.exists(h.keys.slackInstall(ALPHA))).toBe(0);
    expect(await s.settings.get(learner(a))).toMatchObject({
      subscribed: true,
      paused: true,
      pausedReason: "app_uninstalled",
    });
    expect(await s.schedule.next(learner(a))).toBeUndefined();
    expect(scheduled).toEqual([`unschedule ${ALPHA}`]);

    const before = fake.calls.length;
    expect(await deliverTo(a, "2026-05-05")).toBe("not-subscribed");
    expect(await postWeekly(jobDeps().weekly, ALPHA, "2026-W19")).toBe("no-channel");
    const direct = await h.slack.messenger
      .sendDm(learner(a), [{ kind: "text", text: "hi" }])
      .catch((e) => e);
    expect(direct).toMatchObject({ permanent: true, code: "not_installed" });
    await command(a, "quiz");
    expect(callsBy(ALPHA, fake.calls.slice(before))).toEqual([]);
    expect(fake.calls.slice(before)).toEqual([]);

    // Beta carries on.
    expect(await deliverTo(b, "2026-05-05")).toBe("sent");
    expect(posts(b).at(-1)?.token).toBe(tokenOf(BETA));
  });

  it("a reinstall resumes the team's daily quizzes and weekly post, with the new token", async () => {
    const s = stores();
    const old = tokenOf(ALPHA);
    scheduled.length = 0;
    expect((await h.install(ALPHA)).status).toBe(200);
    expect(tokenOf(ALPHA)).not.toBe(old);
    expect(await s.settings.get(learner(a))).toMatchObject({ paused: false, pausedReason: "" });
    expect(await s.schedule.next(learner(a))).toBeInstanceOf(Date);
    expect(scheduled).toEqual([`schedule ${ALPHA}`]);
    expect((await s.teams.get(ALPHA)).pausedReason).toBeUndefined();
    expect(await deliverTo(a, "2026-05-06")).toBe("sent");
    expect(posts(a).at(-1)?.token).toBe(tokenOf(ALPHA));
    expect(await postWeekly(jobDeps().weekly, ALPHA, "2026-W20")).toBe("posted");
  });

  it("tokens_revoked for user tokens changes nothing; for the bot it removes the install", async () => {
    const s = stores();
    await h.event(b, { type: "tokens_revoked", tokens: { oauth: [b.user] } });
    expect(await h.redis.exists(h.keys.slackInstall(BETA))).toBe(1);
    await h.event(b, { type: "tokens_revoked", tokens: { bot: [`U0BOT${BETA}`] } });
    expect(await h.redis.exists(h.keys.slackInstall(BETA))).toBe(0);
    expect(await s.settings.get(learner(b))).toMatchObject({
      paused: true,
      pausedReason: "tokens_revoked",
    });
  });

  it("a delivery that meets a revoked token pauses its whole team until the reinstall", async () => {
    const s = stores();
    const team = "T0GAMMA";
    await h.install(team);
    const c = person("carol", team);
    const d = person("dan", team);
    await command(c, "subscribe 09:00 UTC");
    await command(d, "subscribe 09:00 UTC");
    // The app was removed while pyjs was down: Slack just refuses the token now.
    fake.revokeTeam(team);
    await expect(deliverTo(c, "2026-05-04")).rejects.toThrow(/token_revoked/);
    for (const p of [c, d])
      expect(await s.settings.get(learner(p))).toMatchObject({
        paused: true,
        pausedReason: "tokens_revoked",
      });
    const before = fake.calls.length;
    expect(await deliverTo(d, "2026-05-04")).toBe("not-subscribed");
    expect(fake.calls.slice(before)).toEqual([]);
    await h.install(team);
    expect(await deliverTo(d, "2026-05-04")).toBe("sent");
    expect(posts(d).at(-1)?.token).toBe(tokenOf(team));
  });

  it("a token refused after another process stored a reinstall is retried, not paused", async () => {
    const s = stores();
    const team = "T0DELTA";
    await h.install(team);
    const e = person("erin", team);
    await command(e, "subscribe 09:00 UTC");
    // A first delivery: this process's job client now holds the workspace's token.
    expect(await deliverTo(e, "2026-05-03")).toBe("sent");
    const old = tokenOf(team) ?? "";
    // Another pyjs process stored a reinstall with a new token; this one still holds the old.
    const records = new InstallationRecords(
      h.redis,
      h.keys,
      new Cipher(Buffer.from(OAUTH.PYJS_ENCRYPTION_KEY, "base64")),
    );
    const stored = (await records.get(team)) as { bot: { token: string } };
    const renewed = `${old}-renewed`;
    const oldEntry = fake.botTokens.get(old);
    if (!oldEntry) throw new Error("no token");
    fake.botTokens.set(renewed, { ...oldEntry, revoked: false });
    oldEntry.revoked = true;
    await records.put(team, { ...stored, bot: { ...stored.bot, token: renewed } }, {});
    const failed = await deliverTo(e, "2026-05-04").catch((err: unknown) => err);
    expect(failed).toMatchObject({ permanent: false, code: "token_revoked" });
    expect(await s.settings.get(learner(e))).toMatchObject({ paused: false });
    expect(await h.redis.exists(h.keys.slackInstall(team))).toBe(1);
    expect(await deliverTo(e, "2026-05-04")).toBe("sent");
    expect(posts(e).at(-1)?.token).toBe(renewed);
  });
});
