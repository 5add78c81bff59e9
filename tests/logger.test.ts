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
