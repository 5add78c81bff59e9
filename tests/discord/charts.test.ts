import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { Charts } from "../../src/app/charts.js";
import type { Part } from "../../src/app/reply.js";
import { type Json, type Recorded, until } from "../fakes/discord.js";
import { embeds, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord({ charts: new Charts(pino({ level: "silent" })) });
const PNG_MAGIC = "89504e470d0a1a0a";

/** Checks a multipart message: PNG files named as the attachments, alt texts, no pings. */
function expectCharts(req: Recorded | undefined, names: string[]): Json {
  expect(req?.files?.map((f) => f.name)).toEqual(names);
  for (const f of req?.files ?? []) {
    expect(f.data.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
    expect(f.contentType).toBe("image/png");
  }
  const body = req?.body as Json;
  // discord.js names an attachment by its part (files[id]); our REST posts add filename too.
  const meta = body.attachments as {
    id: string | number;
    filename?: string;
    description: string;
  }[];
  expect(meta.map((a) => a.filename ?? req?.files?.[Number(a.id)]?.name)).toEqual(names);
  for (const a of meta) expect(a.description.length).toBeGreaterThan(20);
  expect(body.allowed_mentions).toEqual({ parse: [] });
  return body;
}

describe("stats charts in Discord", () => {
  it("/pyjs stats answers ephemerally with the embed and the charts attached", async () => {
    const uma = h.fake.user("uma");
    const id = h.fake.slash(uma, "stats");
    const edit = await until(
      () =>
        h.fake
          .webhookRequests(id)
          .find((r) => r.method === "PATCH" && r.path.endsWith("/messages/@original")),
      "stats reply",
    );
    expect(h.fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    const body = expectCharts(edit, ["calendar.png", "forecast.png"]);
    expect(embeds(body)[0]?.title).toBe("Your pyjs progress");
    const meta = body.attachments as { description: string }[];
    expect(meta[0]?.description).toMatch(/^Review calendar for the 26 weeks/);
    expect(meta[1]?.description).toMatch(/^Cards due over the 30 days/);
  });

  it("typing stats in the DM answers there with the charts attached", async () => {
    const vic = h.fake.user("vic");
    h.fake.dm(vic, "stats");
    const dm = h.fake.dmChannel(vic);
    const post = await until(
      () =>
        h.fake.requests.find(
          (r) => r.method === "POST" && r.path === `/channels/${dm}/messages` && r.status === 200,
        ),
      "stats in the DM",
    );
    expectCharts(post, ["calendar.png", "forecast.png"]);
  });

  it("the weekly board post attaches the board picture", async () => {
    const parts = (await h.app.weeklyBoard(h.fake.guildId, "2026-W18", new Date())) as Part[];
    await h.discord.messenger.postToChannel(h.fake.guildId, h.fake.channelId, parts);
    const post = h.fake.requests
      .filter((r) => r.method === "POST" && r.path === `/channels/${h.fake.channelId}/messages`)
      .at(-1);
    expect(post?.status).toBe(200);
    const body = expectCharts(post, ["leaderboard.png"]);
    expect(String(embeds(body)[0]?.title)).toMatch(/^🏆 /);
  });
});

itNeverMentions(h);
