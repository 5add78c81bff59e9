import type { Deck } from "../core/deck.js";
import { TEAM_LEECH_RULES, type TeamLogEntry, teamLeeches } from "../core/team-leeches.js";
import type { TeamStore } from "../store/teams.js";
import type { Part } from "./reply.js";

export interface TeamLeechDeps {
  deck: Deck;
  teams: Pick<TeamStore, "boardAll">;
  reviews: { log(learner: string, sinceMs?: number): Promise<TeamLogEntry[]> };
}

/**
 * The weekly team-leech note (core/team-leeches.ts) for a team's admin: the cards most
 * of the team's learners (everyone on its all-time board) keep missing over the last
 * four weeks, with the wrong answers typed. Undefined when no card qualifies.
 */
export async function teamLeechNote(
  d: TeamLeechDeps,
  tenant: string,
  now: Date,
): Promise<Part[] | undefined> {
  const learners = [...(await d.teams.boardAll(tenant, "all")).keys()];
  if (learners.length < TEAM_LEECH_RULES.minLearners) return undefined;
  const since = now.getTime() - TEAM_LEECH_RULES.days * 86_400_000;
  const logs = new Map(
    await Promise.all(learners.map(async (l) => [l, await d.reviews.log(l, since)] as const)),
  );
  const found = teamLeeches(logs, now);
  if (!found.length) return undefined;
  const cards = found.map((l) => {
    const card = d.deck.byId.get(l.card);
    return {
      cardId: l.card,
      term: card?.term ?? l.card,
      prompt: card?.prompt ?? "",
      answer: card?.answer ?? "",
      learners: l.learners,
      missing: l.missing,
      wrong: l.wrong,
    };
  });
  return [{ kind: "team-leeches", note: { days: TEAM_LEECH_RULES.days, cards } }];
}
