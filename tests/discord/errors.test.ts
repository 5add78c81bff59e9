import { DiscordAPIError, HTTPError } from "discord.js";
import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { errInfo, redactUrl, toDeliveryError } from "../../adapters/discord/errors.js";
import { createDiscord } from "../../adapters/discord/index.js";
import { DeliveryError } from "../../src/app/messenger.js";
import { learner } from "../../src/core/learner.js";
import { until } from "../fakes/discord.js";
import { itNeverMentions, useDiscord } from "./harness.js";

const h = useDiscord();

describe("resilience", () => {
  it("a wrong token fails start(), and makes deliveries fail for good", async () => {
    const make = () =>
      createDiscord({
        env: { DISCORD_TOKEN: "not-the-token", DISCORD_API_URL: h.fake.apiUrl },
        app: h.app,
        log: pino({ level: "silent" }),
      });
    const bad = await make();
    await expect(bad.start()).rejects.toThrow(/token/i);
    expect(bad.ready()).toBe(false);
    await bad.stop();
    const worker = await make();
    const err = await worker.messenger
      .sendDm(learner.discord(h.fake.user("tom").id), [{ kind: "text", text: "hi" }])
      .catch((e) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ permanent: true, code: "0" });
    await worker.stop();
  });

  it("an h.app failure gets an ephemeral apology and nothing crashes", async () => {
    const spy = vi.spyOn(h.app, "handleCommand").mockRejectedValueOnce(new Error("redis down"));
    try {
      const id = h.fake.slash(h.fake.user("pat"), "stats");
      const edit = await until(() => h.fake.originalEdit(id), "apology");
      expect(h.fake.callbacks(id)[0]).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(String(edit.content)).toContain("something went wrong");
      expect(h.discord.ready()).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("delivery errors", () => {
  const apiError = (code: number, status: number) =>
    new DiscordAPIError(
      { code, message: `error ${code}` },
      code,
      status,
      "POST",
      "https://discord.com/api/v10/interactions/123/secret-token/callback",
      {},
    );

  it("treats a closed DM, a missing user, channel or permission and a bad token as permanent", () => {
    for (const [code, status] of [
      [50007, 403],
      [10003, 404],
      [10013, 404],
      [50001, 403],
      [50013, 403],
      [40001, 401],
      [0, 401],
    ] as const) {
      expect(toDeliveryError(apiError(code, status)), String(code)).toMatchObject({
        permanent: true,
        code: String(code),
      });
    }
  });

  it("retries the rest (rate limits, outages, network)", () => {
    expect(toDeliveryError(apiError(0, 429)).permanent).toBe(false);
    expect(toDeliveryError(apiError(130000, 503)).permanent).toBe(false);
    const outage = new HTTPError(502, "Bad Gateway", "POST", "https://x/api/v10/channels/1", {});
    expect(toDeliveryError(outage)).toMatchObject({ permanent: false, code: "502" });
    expect(toDeliveryError(new Error("ECONNRESET")).permanent).toBe(false);
  });

  it("keeps interaction tokens out of the logs", () => {
    expect(redactUrl("https://d/api/v10/webhooks/42/abc.def/messages/@original")).toBe(
      "https://d/api/v10/webhooks/42/[token]/messages/@original",
    );
    expect(JSON.stringify(errInfo(apiError(10062, 404)))).not.toContain("secret-token");
  });
});

itNeverMentions(h);
