/** `pyjs cards proposals [--team ID]`: "I was right" answers, ready for a deck's accept list. */
import type { Env } from "../config.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { startRuntime } from "../runtime.js";

export async function printProposals(env: Env, args: string[]): Promise<number> {
  const [flag, team, ...extra] = args;
  if ((flag !== undefined && flag !== "--team") || (flag && !team) || extra.length > 0)
    throw new UsageError("usage: pyjs cards proposals [--team ID]");
  const rt = await startRuntime(env, createLogger("warn"));
  try {
    const rows = await rt.stores.proposals.list(team);
    if (rows.length === 0) process.stdout.write("No proposals yet.\n");
    for (const p of rows) {
      const state = p.accepted ? "accepted" : "proposed";
      process.stdout.write(
        `${p.card}\t${JSON.stringify(p.text)}\t${p.count} learner${p.count === 1 ? "" : "s"}\t${state}\tteam ${p.tenant}\n`,
      );
    }
    return 0;
  } finally {
    await rt.close();
  }
}
