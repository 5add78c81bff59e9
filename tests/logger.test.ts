import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

describe("logging", () => {
  it("redacts tokens and secrets wherever they appear in a log object", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    const log = createLogger("info", { destination: sink });
    log.info(
      {
        token: "xoxb-1",
        env: { SLACK_BOT_TOKEN: "xoxb-2", DISCORD_TOKEN: "dc-3" },
        req: { headers: { authorization: "Bot dc-4" } },
      },
      "hello",
    );
    expect(out).toContain("[redacted]");
    for (const secret of ["xoxb-1", "xoxb-2", "dc-3", "dc-4"]) expect(out).not.toContain(secret);
  });

  it("writes one JSON object a line when not on a terminal", () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _enc, done) {
        out += chunk;
        done();
      },
    });
    createLogger("info", { destination: sink }).info({ learner: "slack:T:U" }, "delivered");
    expect(JSON.parse(out.trim())).toMatchObject({
      level: 30,
      learner: "slack:T:U",
      msg: "delivered",
    });
  });
});
