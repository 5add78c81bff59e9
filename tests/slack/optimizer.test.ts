import { describe, expect, it } from "vitest";
import type { OptimizeRequests } from "../../src/app/optimizer.js";
import type { Platform } from "../../src/app/types.js";
import { FIT_THRESHOLD } from "../../src/core/parameters.js";
import { describeTrafficChecks, json, learner, useSlack } from "./harness.js";

/** The queue port, recording: the queue and its worker are tested in tests/optimizer. */
class RecordedRequests implements OptimizeRequests {
  readonly requests: { learner: string; platform: Platform }[] = [];
  async request(learner: string, platform: Platform): Promise<void> {
    this.requests.push({ learner, platform });
  }
}

const requests = new RecordedRequests();
const h = useSlack({ optimizer: { enabled: true, requests } });
const { command, person } = h;

describe("the FSRS optimizer in Slack", () => {
  it("stats shows the parameters in use; optimize answers at once and queues the fit", async () => {
    const p = person();
    const stats = await command(p, "stats");
    expect(json(stats.json)).toContain(
      `FSRS parameters: FSRS defaults (yours after ${FIT_THRESHOLD} reviews; you have 0)`,
    );
    const res = await command(p, "optimize");
    expect(res.status).toBe(200);
    expect(json(res.json)).toContain("Optimizing your FSRS parameters");
    expect(requests.requests).toEqual([{ learner: learner(p), platform: "slack" }]);
  });

  it("optimize takes no arguments", async () => {
    const res = await command(person(), "optimize now");
    expect(json(res.json)).toContain("`optimize` takes no arguments.");
  });
});

describeTrafficChecks(h);
