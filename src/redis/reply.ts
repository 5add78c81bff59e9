/**
 * Flat Redis replies (HGETALL from Lua, XRANGE fields, WITHSCORES) to pairs and records.
 * The one place that walks `[k1, v1, k2, v2, …]`; a trailing odd element is ignored.
 */
export function replyPairs(flat: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}

/** `[field, value, …]` -> `{ field: value }`. */
export function replyRecord(flat: readonly string[]): Record<string, string> {
  return Object.fromEntries(replyPairs(flat));
}
