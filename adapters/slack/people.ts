import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";
import type { Profiles } from "./profiles.js";
import type { RenderContext } from "./render/kit.js";

/** A Slack person behind a request, and the App actor they are. */
export interface Who {
  team: string;
  user: string;
  actor: Actor;
}

export interface WhoExtra {
  channel?: string | undefined;
  /** The name Slack sent with the request, if users.info gives none. */
  name?: string | undefined;
  /** false: answer at once without users.info (lookups need no zone or name). */
  profile?: boolean;
}

/** Turns a Slack team and user into an App actor, with what users.info says about them. */
export class People {
  constructor(
    private readonly profiles: Profiles,
    /** Longest wait for users.info before going on without it. */
    private readonly waitMs: number,
  ) {}

  async who(team: string, user: string, extra: WhoExtra): Promise<Who> {
    const profile =
      extra.profile === false ? undefined : await this.profiles.within(team, user, this.waitMs);
    const actor: Actor = {
      learner: learner.slack(team, user),
      platform: "slack",
      tenant: team,
      tz: profile?.tz,
      isAdmin: profile?.isAdmin ?? false,
      channel: extra.channel,
      name: profile?.name ?? extra.name,
    };
    return { team, user, actor };
  }
}

/** The Slack workspace an actor acts in (its tenant, else the team in its learner id). */
export function teamOf(actor: Actor): string {
  if (actor.tenant) return actor.tenant;
  const who = learner.parse(actor.learner);
  return who?.platform === "slack" ? who.team : "";
}

/** How replies to this actor are rendered: dates in their zone, UTC when unknown. */
export const renderContext = (actor: Actor): RenderContext => ({ tz: actor.tz ?? "UTC" });
