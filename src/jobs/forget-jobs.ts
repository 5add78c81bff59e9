import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { scanKeys } from "../redis/scan.js";
import { QueueKeys } from "../store/keys.js";

/** Removes a learner's daily-delivery jobs (their ids carry the learner id). */
export async function forgetJobs(
  connection: Redis,
  prefix: string,
  learner: string,
): Promise<number> {
  const bull = new QueueKeys(prefix);
  const scan = bull.dailyJobsOf(learner);
  const byQueue = new Map<string, Set<string>>();
  // Job keys and their sub-keys (":lock", ":logs"): one job id each.
  for (const key of await scanKeys(connection, scan.pattern)) {
    const job = scan.jobOf(key);
    if (!job) continue;
    const ids = byQueue.get(job.queue) ?? new Set<string>();
    ids.add(job.id);
    byQueue.set(job.queue, ids);
  }
  let removed = 0;
  for (const [name, ids] of byQueue) {
    const q = new Queue(name, { connection, prefix: bull.prefix });
    q.on("error", () => {}); // failures surface through the awaited calls below
    for (const id of ids) removed += await q.remove(id, { removeChildren: true });
    await q.close();
  }
  return removed;
}
