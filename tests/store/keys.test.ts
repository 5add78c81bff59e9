import { describe, expect, it } from "vitest";
import { createQueues } from "../../src/jobs/queues.js";
import { dailyJobId } from "../../src/jobs/tick.js";
import { WEEKLY_QUEUE, weeklyPostId, weeklySchedulerId } from "../../src/jobs/weekly.js";
import { makeKeys } from "../../src/store/keys.js";
import { testRedis } from "../support/redis.js";

// Running deployments have data and jobs under these exact names: they must not change.
describe("Keys: the names pyjs uses in Redis", () => {
  const k = makeKeys("pyjs:");
  const id = "slack:T1:U1";

  it("spells per-learner keys with the learner id as hash tag", () => {
    expect([
      k.learner(id),
      k.cards(id),
      k.log(id),
      k.prompt(id, "p1"),
      k.current(id),
      k.sent(id, "2026-12-01"),
      k.tenants(id),
    ]).toEqual([
      "pyjs:learner:{slack:T1:U1}",
      "pyjs:cards:{slack:T1:U1}",
      "pyjs:log:{slack:T1:U1}",
      "pyjs:prompt:{slack:T1:U1}:p1",
      "pyjs:current:{slack:T1:U1}",
      "pyjs:sent:{slack:T1:U1}:2026-12-01",
      "pyjs:tenants:{slack:T1:U1}",
    ]);
  });

  it("spells team, schedule and dedupe keys", () => {
    expect([
      k.schedule,
      k.team("T1"),
      k.board("T1", "2026-W48"),
      k.teamWeek("T1", "2026-W48"),
      k.boardSent("T1", "2026-W48"),
      k.seen("slack:Ev1"),
    ]).toEqual([
      "pyjs:schedule",
      "pyjs:team:T1",
      "pyjs:board:T1:2026-W48",
      "pyjs:teamweek:T1:2026-W48",
      "pyjs:boardsent:T1:2026-W48",
      "pyjs:seen:slack:Ev1",
    ]);
  });

  it("spells the BullMQ prefix, queue names and job ids", () => {
    expect(k.bull.prefix).toBe("{pyjs:bull}");
    expect([k.bull.tick, k.bull.weekly, k.bull.delivery("discord")]).toEqual([
      "tick",
      "weekly",
      "deliver-discord",
    ]);
    expect(dailyJobId(id, "2026-12-01")).toBe("daily|slack|T1|U1|2026-12-01");
    expect(k.bull.ids.daily("discord:123", "2026-12-01")).toBe("daily|discord|123|2026-12-01");
    expect(weeklySchedulerId("T1")).toBe("weekly|T1");
    expect(weeklyPostId("T1", "2026-W48")).toBe("post|T1|2026-W48");
    expect(WEEKLY_QUEUE).toBe("weekly");
    expect(k.bull.ids.tickScheduler).toBe("daily-tick");
  });

  it("createQueues uses the owner's prefix and names", async () => {
    const { redis } = testRedis();
    const queues = createQueues(redis, "pyjs:");
    expect(queues.tick.opts.prefix).toBe("{pyjs:bull}");
    expect(queues.delivery("slack").name).toBe("deliver-slack");
    await queues.close();
    redis.disconnect();
  });

  it("owns a learner's suffixed keys exactly (`{id}` then `:` and one segment)", () => {
    const [prompts, sent] = k.learnerScans("a");
    expect(prompts?.pattern).toBe("pyjs:prompt:{a}:*");
    expect(prompts?.owns("pyjs:prompt:{a}:AAAAAAAAAAAA")).toBe(true);
    expect(prompts?.owns("pyjs:prompt:{a}:b}:AAAAAAAAAAAA")).toBe(false);
    expect(sent?.owns("pyjs:sent:{a}:2026-12-01")).toBe(true);
    expect(sent?.owns("pyjs:sent:{a}:b}:2026-12-01")).toBe(false);
    expect(k.learnerScans("a*[?]\\")[0]?.pattern).toBe("pyjs:prompt:{a\\*\\[\\?\\]\\\\}:*");
  });

  it("finds a learner's daily job keys, and only theirs", () => {
    const scan = k.bull.dailyJobsOf(id);
    expect(scan.pattern).toBe("{pyjs:bull}:deliver-*:daily|slack|T1|U1|*");
    expect(scan.jobOf("{pyjs:bull}:deliver-slack:daily|slack|T1|U1|2026-12-01:lock")).toEqual({
      queue: "deliver-slack",
      id: "daily|slack|T1|U1|2026-12-01",
    });
    expect(scan.jobOf("{pyjs:bull}:deliver-slack:daily|slack|T1|U1|X|2026-12-01")).toBeUndefined();
  });
});
