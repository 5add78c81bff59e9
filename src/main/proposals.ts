/** `pyjs cards proposals [--team ID]`: "I was right" answers, ready for a deck's accept list. */
import type { Env } from "../config.js";
import type { Deck } from "../core/deck.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { startRuntime } from "../runtime.js";
import type { Proposal } from "../store/proposals.js";

export async function printProposals(env: Env, args: string[]): Promise<number> {
  const [flag, team, ...extra] = args;
  if ((flag !== undefined && flag !== "--team") || (flag && !team) || extra.length > 0)
    throw new UsageError("usage: pyjs cards proposals [--team ID]");
  const rt = await startRuntime(env, createLogger("warn"));
  try {
    process.stdout.write(formatProposals(await rt.stores.proposals.list(team), rt.deck));
    return 0;
  } finally {
    await rt.close();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Proposals grouped by card, each card's answers as a YAML block list to paste under its
 * `accept:` (a JSON string is a valid YAML scalar); the count of learners and which
 * teams accepted or only proposed it follow as a YAML comment. Most claimed first.
 */
export function formatProposals(rows: readonly Proposal[], deck: Deck): string {
  if (rows.length === 0) return "No proposals yet.\n";
  const cards = new Map<string, Map<string, Proposal[]>>();
  for (const p of rows) {
    const answers = cards.get(p.card) ?? new Map<string, Proposal[]>();
    answers.set(p.key, [...(answers.get(p.key) ?? []), p]);
    cards.set(p.card, answers);
  }
  const out: string[] = [];
  for (const [card, answers] of cards) {
    const known = deck.byId.get(card);
    const where = known
      ? `cards/${known.deck}.yaml, answer ${JSON.stringify(known.answer)}`
      : "no longer in the decks";
    out.push(`# ${card} (${where})`, "accept:");
    for (const group of answers.values()) out.push(`  - ${answerLine(group)}`);
    out.push("");
  }
  return out.join("\n");
}

/** `"npm i"  # 3 learners; accepted in T1; proposed in T2` */
function answerLine(group: readonly Proposal[]): string {
  const first = group[0];
  if (!first) return "";
  const count = group.reduce((n, p) => n + p.count, 0);
  const accepted = group.filter((p) => p.accepted).map((p) => p.tenant);
  const proposed = group.filter((p) => !p.accepted).map((p) => p.tenant);
  const teams = [
    accepted.length ? `accepted in ${accepted.join(", ")}` : "",
    proposed.length ? `proposed in ${proposed.join(", ")}` : "",
  ].filter(Boolean);
  return `${JSON.stringify(first.text)}  # ${[plural(count, "learner"), ...teams].join("; ")}`;
}
