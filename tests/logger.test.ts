import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

/** A logger writing into a string, as production writes to stderr. */
function captured(): { log: ReturnType<typeof createLogger>; out: () => string } {
  let text = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += chunk;
      done();
    },
  });
  return { log: createLogger("info", { destination: sink }), out: () => text };
}

describe("logging", () => {
  it("redacts tokens and secrets wherever they appear in a log object", () => {
    const { log, out } = captured();
    log.info(
      {
        token: "xoxb-1",
        env: { SLACK_BOT_TOKEN: "xoxb-2", DISCORD_TOKEN: "dc-3" },
        req: { headers: { authorization: "Bot dc-4" } },
      },
      "hello",
    );
    expect(out()).toContain("[redacted]");
    for (const secret of ["xoxb-1", "xoxb-2", "dc-3", "dc-4"]) expect(out()).not.toContain(secret);
  });

  it("redacts OAuth installations, their sealed form and the OAuth secrets", () => {
    const { log, out } = captured();
    log.info(
      {
        installation: {
          bot: { token: "xoxb-5", refreshToken: "xoxe-6" },
          user: { token: "xoxp-7" },
        },
        record: { sealed: "v1.abcd.iv.tag.data8" },
        env: {
          SLACK_CLIENT_SECRET: "cs-9",
          SLACK_STATE_SECRET: "ss-10",
          PYJS_ENCRYPTION_KEY: "k-11",
        },
      },
      "installed",
    );
    for (const secret of ["xoxb-5", "xoxe-6", "xoxp-7", "data8", "cs-9", "ss-10", "k-11"])
      expect(out()).not.toContain(secret);
  });

  it("writes one JSON object a line when not on a terminal", () => {
    const { log, out } = captured();
    log.info({ learner: "slack:T:U" }, "delivered");
    expect(JSON.parse(out().trim())).toMatchObject({
      level: 30,
      learner: "slack:T:U",
      msg: "delivered",
    });
  });
});
