import { describe, expect, it } from "vitest";
import { REVIEWS_CSV_HEADER } from "../../src/core/export.js";
import { learner } from "../../src/core/learner.js";
import { until } from "../fakes/discord.js";
import { seedLapsed } from "../support/leech.js";
import { customIds, data, itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord({ limits: { newPerDay: 0, maxReviewsPerDay: 50 } });

describe("leeches on Discord", () => {
  it("the 8th lapse sends the card with Don't ask again, once; the button suspends it", async () => {
    const ada = h.fake.user("ada");
    await seedLapsed(h.redis, h.prefix, learner.discord(ada.id), "pip-to-npm", 7, new Date());
    const { msg, promptId } = await h.startQuiz(ada);
    const show = h.fake.button(ada, `pyjs:show:${promptId}`, msg);
    await until(() => h.fake.callbacks(show)[0], "reveal");
    const again = () => h.fake.button(ada, `pyjs:rate:1:${promptId}`, msg);
    const first = again();
    await until(() => h.fake.callbacks(first)[0], "result");
    const dm = h.fake.dmChannel(ada);
    const notes = () =>
      h.fake.created(dm).filter((m) => String(m.content).includes("forgotten this card 8 times"));
    const note = await until(() => notes()[0], "leech note");
    expect(JSON.stringify(note)).toContain("pip-to-npm");
    expect(customIds(note)).toEqual([`pyjs:suspend:${promptId}`]);
    // A double click on Again: one review, one note.
    const second = again();
    await until(() => h.fake.callbacks(second)[0], "second click");
    expect(await h.reviews.logLength(learner.discord(ada.id))).toBe(1);
    expect(notes()).toHaveLength(1);

    const never = h.fake.button(ada, `pyjs:suspend:${promptId}`, note);
    const said = await until(() => h.fake.callbacks(never)[0], "suspend reply");
    expect(String(data(said).content)).toContain("Suspended 1 card: pip-to-npm");
  });
});

describe("export on Discord", () => {
  it("/pyjs export attaches the CSV to the ephemeral reply", async () => {
    const bo = h.fake.user("bo");
    await seedLapsed(h.redis, h.prefix, learner.discord(bo.id), "pip-to-npm", 0, new Date());
    const { msg, promptId } = await h.startQuiz(bo);
    const show = h.fake.button(bo, `pyjs:show:${promptId}`, msg);
    await until(() => h.fake.callbacks(show)[0], "reveal");
    const good = h.fake.button(bo, `pyjs:rate:3:${promptId}`, msg);
    await until(() => h.fake.callbacks(good)[0], "result");
    const id = h.fake.slash(bo, "export");
    const name = `pyjs-reviews-${bo.id}.csv`;
    const sent = await until(
      () =>
        h.fake.requests
          .filter((r) => r.path.startsWith(`/interactions/${id}/`))
          .concat(h.fake.webhookRequests(id))
          .find((r) => r.files?.some((f) => f.name === name)),
      "the export reply",
    );
    const file = sent.files?.find((f) => f.name === name);
    const lines = file?.data.toString("utf8").trimEnd().split("\n") ?? [];
    expect(lines[0]).toBe(REVIEWS_CSV_HEADER);
    expect(lines[1]).toMatch(/^pip-to-npm,\d{13},3,2,0$/);
    expect(lines).toHaveLength(2);
    const ephemeral = h.fake.callbacks(id)[0];
    expect(ephemeral?.data).toMatchObject({ flags: 64 });
    expect(JSON.stringify(sent.body)).toContain("1 review");
  });
});

itNeverMentions(h);
