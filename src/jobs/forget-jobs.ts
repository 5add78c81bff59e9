import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { glob, scanKeys } from "../store/erase.js";

/** Removes a learner's daily-delivery jobs (their ids carry the learner id). */
export async function forgetJobs(
  connection: Redis,
  prefix: string,
  learner: string,
): Promise<number> {
  const bull = `${prefix}bull:`;
  const idPart = learner.replaceAll(":", "|");
  const found = await scanKeys(connection, `${glob(bull)}deliver-*:daily|${glob(idPart)}|*`);
  const byQueue = new Map<string, Set<string>>();
  for (const key of found) {
    const rest = key.slice(bull.length);
    const cut = rest.indexOf(":");
    const queue = rest.slice(0, cut);
    // Job ids have no ':' (BullMQ forbids it); anything after the id is a sub-key (":lock", ":logs").
    const id = rest.slice(cut + 1).split(":")[0] ?? "";
    const ids = byQueue.get(queue) ?? new Set<string>();
    ids.add(id);
    byQueue.set(queue, ids);
  }
  let removed = 0;
  for (const [name, ids] of byQueue) {
    const q = new Queue(name, { connection, prefix: `${prefix}bull` });
    for (const id of ids) removed += await q.remove(id, { removeChildren: true });
    await q.close();
  }
  return removed;
}
