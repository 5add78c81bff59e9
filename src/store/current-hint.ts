import { LRUCache } from "lru-cache";

/**
 * Per connection, each learner's last known current-question id ('' for none). Only a
 * guess, to name the prompt key up front (every key a script touches is declared): the
 * snapshot script checks it and answers 'stale' when it is wrong, which costs one more
 * round trip and never a wrong answer. Another process moving the question on just
 * makes the guess stale.
 */
const byConnection = new WeakMap<object, LRUCache<string, string>>();

export function currentHints(connection: object): LRUCache<string, string> {
  let hints = byConnection.get(connection);
  if (!hints) {
    hints = new LRUCache<string, string>({ max: 20_000 });
    byConnection.set(connection, hints);
  }
  return hints;
}
