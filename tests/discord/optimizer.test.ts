import { describe, expect, it } from "vitest";
import type { OptimizeRequests } from "../../src/app/optimizer.js";
import type { Platform } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";
import { FIT_THRESHOLD } from "../../src/core/parameters.js";
import { until } from "../fakes/discord.js";
import { itNeverMentions, useDiscord } from "./harness.js";

/** The queue port, recording: the queue and its worker are tested in tests/optimizer. */
class RecordedRequests implements OptimizeRequests {
  readonly requests: { learner: string; platform: Platform }[] = [];
  async request(id: string, platform: Platform): Promise<void> {
    this.requests.push({ learner: id, platform });
  }
}

const requests = new RecordedRequests();
const h = useDiscord({ optimizer: { enabled: true, requests } });

describe("the FSRS optimizer in Discord", () => {
  it("stats shows the parameters in use; optimize answers at once and queues the fit", async () => {
    const ola = h.fake.user("ola");
    const stats = h.fake.slash(ola, "stats");
    const shown = await until(() => h.fake.originalEdit(stats), "stats");
    expect(JSON.stringify(shown)).toContain(
      `FSRS defaults (yours after ${FIT_THRESHOLD} reviews; you have 0)`,
    );
    const opt = h.fake.slash(ola, "optimize");
    const cb = await until(
      () => h.fake.originalEdit(opt) ?? h.fake.callbacks(opt)[0],
      "optimize reply",
    );
    expect(JSON.stringify(cb)).toContain("Optimizing your FSRS parameters");
    expect(requests.requests).toEqual([{ learner: learner.discord(ola.id), platform: "discord" }]);
  });
});

itNeverMentions(h);
