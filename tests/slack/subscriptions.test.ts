import { describe, expect, it } from "vitest";
import { buttons, describeTrafficChecks, dmOf, json, questionIn, useSlack } from "./harness.js";

const h = useSlack();
const { fake, command, click, person, posts } = h;

describe("subscribing", () => {
  it("uses the time zone from users.info when subscribing without one", async () => {
    const p = person();
    fake.setUser(p.user, { tz: "Asia/Kolkata" });
    const res = await command(p, "subscribe 07:30");
    expect(json(res.json)).toContain("07:30 (Asia/Kolkata)");
    expect(fake.callsTo("users.info").some((c) => c.body.user === p.user)).toBe(true);
    const stats = await command(p, "stats");
    expect(json(stats.json)).toContain("daily at 07:30 (Asia/Kolkata)");
  });
});

describe("App Home", () => {
  it("publishes the learner's stats with Subscribe / Start a quiz on app_home_opened", async () => {
    const p = person();
    const event = {
      type: "app_home_opened",
      user: p.user,
      channel: dmOf(p),
      tab: "home",
      event_ts: "1.2",
    };
    const res = await h.event(p, event);
    expect(res.status).toBe(200);
    const view = fake.homeViews.get(p.user);
    const text = json(view);
    for (const s of ["Due today", "Streak", "Retention (30 days)", "Daily quiz", "not subscribed"])
      expect(text).toContain(s);
    expect(buttons((view as { blocks: unknown }).blocks).map((b) => b.text?.text)).toEqual([
      "Start a quiz",
      "Subscribe",
    ]);

    fake.setUser(p.user, { tz: "Europe/Berlin" });
    await click(p, { action_id: "pyjs_cmd_subscribe", value: "subscribe" }, { home: true });
    const after = json(fake.homeViews.get(p.user));
    expect(after).toContain("Subscribed: a daily quiz at 09:00");
    expect(after).toContain("Unsubscribe");

    await click(p, { action_id: "pyjs_cmd_quiz", value: "quiz" }, { home: true });
    expect(posts(p)).toHaveLength(1);
    questionIn(posts(p)[0]);
    expect(json(fake.homeViews.get(p.user))).toContain("Sent to your direct messages");
  });

  it("does nothing for the Messages tab", async () => {
    const p = person();
    const event = { type: "app_home_opened", user: p.user, channel: dmOf(p), tab: "messages" };
    await h.event(p, event);
    expect(fake.homeViews.has(p.user)).toBe(false);
  });
});

describeTrafficChecks(h);
