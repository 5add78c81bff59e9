import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { Charts } from "../../src/app/charts.js";
import type { Part } from "../../src/app/reply.js";
import { describeTrafficChecks, dmOf, json, TEAM, useSlack } from "./harness.js";

/** The Slack adapter with charts wired: uploads through the real Bolt client's files.uploadV2. */
const charts = new Charts(pino({ level: "silent" }));
const h = useSlack({ charts });
const { fake, app, clock, person, posts } = h;
const PNG_MAGIC = "89504e470d0a1a0a";

/** The uploads completed into a channel, in order. */
const uploadsIn = (channel: string) =>
  [...fake.uploads.values()].filter((u) => u.channel === channel);

describe("stats charts in Slack", () => {
  it("/pyjs stats answers in text, then uploads the calendar and forecast into the DM", async () => {
    const p = person();
    const res = await h.command(p, "stats", "C0GENERAL");
    expect(res.json?.response_type).toBe("ephemeral");
    expect(json(res.json?.blocks)).toContain("Retention (30 days)");
    expect(json(res.json)).not.toMatch(/image|files|\.png/);

    const up = uploadsIn(dmOf(p));
    expect(up.map((u) => u.filename)).toEqual(["calendar.png", "forecast.png"]);
    for (const u of up) {
      expect(u.completed).toBe(true);
      expect(u.bytes?.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
      expect(u.bytes?.length).toBe(u.length);
    }
    expect(up[0]?.alt_text).toMatch(
      /^Review calendar for the 26 weeks .* current streak 0 days\.$/,
    );
    expect(up[1]?.alt_text).toMatch(/^Cards due over the 30 days from 2026-05-04/);
    // Bolt's files.uploadV2: one URL per file, a POST of each file's bytes, one completion.
    const ids = up.map((u) => u.id);
    const completion = fake
      .callsTo("files.completeUploadExternal")
      .find((c) => c.body.channel_id === dmOf(p));
    const completed = (completion?.body.files ?? []) as { id: string }[];
    expect(completed.map((f) => f.id)).toEqual(ids);
    expect(fake.callsTo("upload").filter((c) => ids.includes(String(c.body.file_id)))).toHaveLength(
      2,
    );
    expect(fake.callsTo("files.getUploadURLExternal").map((c) => c.body.filename)).toEqual(
      expect.arrayContaining(["calendar.png", "forecast.png"]),
    );
  });

  it("typing stats in the DM posts the text, then the pictures in the same DM", async () => {
    const p = person();
    await h.say(p, "stats");
    expect(json(posts(p)[0]?.body.blocks)).toContain("Retention (30 days)");
    expect(uploadsIn(dmOf(p)).map((u) => u.filename)).toEqual(["calendar.png", "forecast.png"]);
  });

  it("keeps the text when the upload is refused (e.g. files:write not granted yet)", async () => {
    const p = person();
    fake.fail("files.getUploadURLExternal", "missing_scope", 2);
    await h.say(p, "stats");
    expect(json(posts(p)[0]?.body.blocks)).toContain("Retention (30 days)");
    expect(uploadsIn(dmOf(p))).toEqual([]);
    const res = await h.command(p, "stats");
    expect(json(res.json?.blocks)).toContain("Retention (30 days)");
  });

  it("renders no charts for the App Home tab", async () => {
    const p = person();
    const before = fake.uploads.size;
    const event = { type: "app_home_opened", user: p.user, channel: dmOf(p), tab: "home" };
    await h.event(p, { ...event, event_ts: "1.2" });
    expect(json(fake.homeViews.get(p.user))).toContain("Retention (30 days)");
    expect(fake.uploads.size).toBe(before);
  });
});

describe("the weekly board picture in Slack", () => {
  it("posts the board, then uploads its picture to the channel", async () => {
    const parts = (await app.weeklyBoard(TEAM, "2026-W18", clock)) as Part[];
    const board = parts[0];
    expect(board?.kind === "leaderboard" && board.images?.map((i) => i.name)).toEqual([
      "leaderboard.png",
    ]);
    await h.slack.messenger.postToChannel(TEAM, "C0BOARD", parts);
    const post = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "C0BOARD");
    expect(post).toHaveLength(1);
    const [up] = uploadsIn("C0BOARD");
    expect(up?.filename).toBe("leaderboard.png");
    expect(up?.alt_text).toMatch(/^Weekly leaderboard for 2026-W18/);
    expect(up?.completed).toBe(true);
  });

  it("a refused board upload neither throws nor reposts the board", async () => {
    const parts = (await app.weeklyBoard(TEAM, "2026-W17", clock)) as Part[];
    fake.fail("files.completeUploadExternal", "not_in_channel");
    await expect(h.slack.messenger.postToChannel(TEAM, "C0OTHER", parts)).resolves.toBeUndefined();
    const posts = fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "C0OTHER");
    expect(posts).toHaveLength(1);
    expect(uploadsIn("C0OTHER")).toEqual([]);
  });
});

describeTrafficChecks(h);
