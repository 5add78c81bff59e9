import type { Cluster, Redis } from "ioredis";

/** Escapes Redis glob characters (`*?[]\`), so a string is matched literally by SCAN MATCH. */
export function globEscape(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, "\\$&");
}

/**
 * Every key matching `pattern` (SCAN MATCH, no KEYS). On an ioredis Cluster it walks
 * every master, since each one scans only its own slots. A key may be reported twice by
 * SCAN (rehashing), so the answer is deduplicated.
 */
export async function scanKeys(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes("master") : [redis];
  const out = new Set<string>();
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, found] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      for (const key of found) out.add(key);
    } while (cursor !== "0");
  }
  return [...out];
}

function isCluster(redis: Redis | Cluster): redis is Cluster {
  return redis.isCluster;
}
