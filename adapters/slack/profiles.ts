import type { webApi } from "@slack/bolt";
import { isTimeZone } from "../../src/core/grammar.js";
import type { Logger } from "../../src/logger.js";
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
 * users.info lookups, each answer (or the lookup in flight) reused for `ttlMs`. A failed
 * lookup is forgotten and answers undefined: pyjs goes on without the profile.
 */
export class Profiles {
  private readonly cache = new Map<string, { at: number; p: Promise<Profile | undefined> }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly ttlMs: number,
  ) {}

  get(user: string): Promise<Profile | undefined> {
    const hit = this.cache.get(user);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.p;
    const p = this.client.users.info({ user }).then(
      (res) => {
        const u = res.user;
        return {
          tz: u?.tz && isTimeZone(u.tz) ? u.tz : undefined,
          isAdmin: Boolean(u?.is_admin || u?.is_owner),
          name: u?.profile?.display_name || u?.real_name || u?.name || undefined,
        } satisfies Profile;
      },
      (err: unknown) => {
        this.cache.delete(user);
        this.log.warn(
          { err, user, code: slackErrorCode(err) },
          "users.info failed; going on without it",
        );
        return undefined;
      },
    );
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(user, { at: Date.now(), p });
    return p;
  }

  /** users.info, but no longer than `waitMs` (a slash command must be answered in 3 s). */
  async within(user: string, waitMs: number): Promise<Profile | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((ok) => {
      timer = setTimeout(() => ok(undefined), waitMs);
    });
    try {
      return await Promise.race([this.get(user), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A lookup already made (however old), without asking Slack again. */
  cached(user: string): Promise<Profile | undefined> | undefined {
    return this.cache.get(user)?.p;
  }
}
