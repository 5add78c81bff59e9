import { DeliveryError, type Messenger } from "../../src/app/messenger.js";
import type { Part } from "../../src/app/reply.js";
import type { Actor } from "../../src/app/types.js";
import { learner } from "../../src/core/learner.js";
import { RateLimitedError } from "../../src/errors.js";
import type { Logger } from "../../src/logger.js";
import { renderMessage } from "./blocks.js";
import { slackImages } from "./charts.js";
import type { DmChannels } from "./dm.js";
import { toDeliveryError } from "./errors.js";
import { RENEWED } from "./installs.js";
import type { Profiles } from "./profiles.js";
import type { Sender } from "./sender.js";

/**
 * Told of a failed delivery into a workspace; when it found the workspace's install gone
 * and paused the team (OAuth mode), the reason it paused it with.
 */
export type OnDeliveryFailed = (
  team: string,
  code: string | undefined,
) => Promise<string | undefined>;

/**
 * The Messenger port for jobs (daily delivery, weekly leaderboard): Slack failures come
 * out as DeliveryErrors, permanent or worth retrying. Each goes out with the learner's
 * (or team's) workspace token.
 */
export class SlackMessenger implements Messenger {
  readonly platform = "slack" as const;

  constructor(
    private readonly sender: Sender,
    private readonly dms: DmChannels,
    private readonly profiles: Profiles,
    private readonly log: Logger,
    private readonly onFailed?: OnDeliveryFailed,
  ) {}

  async sendDm(id: string, parts: Part[]): Promise<void> {
    const who = learner.parse(id);
    if (who?.platform !== "slack")
      throw new DeliveryError(`not a Slack learner: ${id}`, true, "not_slack");
    const actor: Actor = { learner: id, platform: "slack", tenant: who.team };
    // Dates in the learner's zone when users.info already told us; no lookup for it here.
    const cached = this.profiles.cached(who.team, who.user);
    if (cached) actor.tz = (await cached)?.tz;
    try {
      await this.dms.send(who.team, who.user, id, (channel) =>
        this.sender.deliver(actor, channel, parts),
      );
    } catch (err) {
      const e = await this.failed(who.team, toDeliveryError(err, "DM"));
      // A rate limit is routine at scale: the job is put back, nothing was sent.
      const level = e instanceof RateLimitedError ? "debug" : "warn";
      this.log[level]({ learner: id, code: e.code, permanent: e.permanent }, "DM delivery failed");
      throw e;
    }
  }

  /**
   * The error to report: a team whose install is gone is paused, for that reason; a
   * token replaced by a reinstall meanwhile is worth a retry (with the new one).
   */
  private async failed(team: string, e: DeliveryError): Promise<DeliveryError> {
    const gone = await this.onFailed?.(team, e.code);
    if (gone === RENEWED) return new DeliveryError(e.message, false, e.code);
    return gone ? new DeliveryError(e.message, true, gone) : e;
  }

  async postToChannel(tenant: string, channel: string, parts: Part[]): Promise<void> {
    const msg = renderMessage(parts, { tz: "UTC" });
    if (!msg) return;
    try {
      await this.sender.post(tenant, channel, msg);
    } catch (err) {
      const e = await this.failed(tenant, toDeliveryError(err, "channel post"));
      this.log.warn(
        { tenant, channel, code: e.code, permanent: e.permanent },
        "channel post failed",
      );
      throw e;
    }
    // The board picture after its text; a refused upload is logged, never retried (the
    // post is done, and a retry would post it twice).
    await this.sender.uploadImages(tenant, channel, slackImages(parts));
  }
}
