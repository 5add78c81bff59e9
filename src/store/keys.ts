/**
 * Redis key names, all under one prefix. Per-learner keys carry the learner id in
 * braces, a Redis Cluster hash tag: every key a review touches lands in one slot, so
 * the review script stays one atomic step on a cluster too.
 */
export interface Keys {
  prefix: string;
  learner(id: string): string;
  cards(id: string): string;
  log(id: string): string;
  prompt(id: string, promptId: string): string;
  current(id: string): string;
  /** Sorted set: learner -> next delivery time (epoch ms). */
  schedule: string;
  /** Marks a day's delivery as sent (learner + local date). */
  sent(id: string, date: string): string;
  /** Set of teams (Slack workspace / Discord server) a learner has used pyjs in. */
  tenants(id: string): string;
  /** Team settings: zone, weekly-post channel, who set it, platform, pause state. */
  team(tenant: string): string;
  /** Sorted set per team and period ("2026-W48" or "all"): learner -> packed score. */
  board(tenant: string, period: string): string;
  /** Hash per team and ISO week: reviews counted. */
  teamWeek(tenant: string, week: string): string;
  /** Marks a team's weekly post as done. */
  boardSent(tenant: string, week: string): string;
}

export function makeKeys(prefix: string): Keys {
  return {
    prefix,
    learner: (id) => `${prefix}learner:{${id}}`,
    cards: (id) => `${prefix}cards:{${id}}`,
    log: (id) => `${prefix}log:{${id}}`,
    prompt: (id, promptId) => `${prefix}prompt:{${id}}:${promptId}`,
    current: (id) => `${prefix}current:{${id}}`,
    schedule: `${prefix}schedule`,
    sent: (id, date) => `${prefix}sent:{${id}}:${date}`,
    tenants: (id) => `${prefix}tenants:{${id}}`,
    team: (tenant) => `${prefix}team:${tenant}`,
    board: (tenant, period) => `${prefix}board:${tenant}:${period}`,
    teamWeek: (tenant, week) => `${prefix}teamweek:${tenant}:${week}`,
    boardSent: (tenant, week) => `${prefix}boardsent:${tenant}:${week}`,
  };
}
