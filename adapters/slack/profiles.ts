import { isTimeZone } from "../../src/core/grammar.js";
import type { Logger } from "../../src/logger.js";
import type { SlackClients } from "./clients.js";
import { slackErrorCode } from "./errors.js";

/** What users.info tells us about a person. */
export interface Profile {
  tz?: string | undefined;
  isAdmin: boolean;
  name?: string | undefined;
}

/** Most people remembered at once; past it the cache starts over. */
const MAX_CACHED = 10_000;

/**
 * users.info lookups (with the person's workspace's token), each answer (or the lookup
 * in flight) reused for `ttlMs`, per workspace and person. A failed lookup is forgotten
 * and answers undefined: pyjs goes on without the profile.
 */
export class Profiles {
  private readonly cache = new Map<string, { at: number; p: Promise<Profile | undefined> }>();

  constructor(
    private readonly clients: SlackClients,
    private readonly log: Logger,
    private readonly ttlMs: number,
  ) {}

  get(team: string, user: string): Promise<Profile | undefined> {
    const key = `${team}:${user}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.p;
    const p = this.lookUp(team, user).then(
      (res) => {
        const u = res.user;
        return {
          tz: u?.tz && isTimeZone(u.tz) ? u.tz : undefined,
          isAdmin: Boolean(u?.is_admin || u?.is_owner),
          name: u?.profile?.display_name || u?.real_name || u?.name || undefined,
        } satisfies Profile;
      },
      (err: unknown) => {
        this.cache.delete(key);
        this.log.warn(
          { err, team, user, code: slackErrorCode(err) },
          "users.info failed; going on without it",
        );
        return undefined;
      },
    );
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(key, { at: Date.now(), p });
    return p;
  }

  private async lookUp(team: string, user: string) {
    const client = await this.clients.forTeam(team);
    return client.users.info({ user });
  }

  /** users.info, but no longer than `waitMs` (a slash command must be answered in 3 s). */
  async within(team: string, user: string, waitMs: number): Promise<Profile | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((ok) => {
      timer = setTimeout(() => ok(undefined), waitMs);
    });
    try {
      return await Promise.race([this.get(team, user), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A lookup already made (however old), without asking Slack again. */
  cached(team: string, user: string): Promise<Profile | undefined> | undefined {
    return this.cache.get(`${team}:${user}`)?.p;
  }
}
