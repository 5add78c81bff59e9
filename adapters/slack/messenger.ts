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
import type { Profiles } from "./profiles.js";
import type { Sender } from "./sender.js";

/**
 * The Messenger port for jobs (daily delivery, weekly leaderboard): Slack failures come
 * out as DeliveryErrors, permanent or worth retrying.
 */
export class SlackMessenger implements Messenger {
  readonly platform = "slack" as const;

  constructor(
    private readonly sender: Sender,
    private readonly dms: DmChannels,
    private readonly profiles: Profiles,
    private readonly log: Logger,
  ) {}

  async sendDm(id: string, parts: Part[]): Promise<void> {
    const who = learner.parse(id);
    if (who?.platform !== "slack")
      throw new DeliveryError(`not a Slack learner: ${id}`, true, "not_slack");
    const actor: Actor = { learner: id, platform: "slack", tenant: who.team };
    // Dates in the learner's zone when users.info already told us; no lookup for it here.
    const cached = this.profiles.cached(who.user);
    if (cached) actor.tz = (await cached)?.tz;
    try {
      await this.dms.send(who.user, id, (channel) => this.sender.deliver(actor, channel, parts));
    } catch (err) {
      const e = toDeliveryError(err, "DM");
      // A rate limit is routine at scale: the job is put back, nothing was sent.
      const level = e instanceof RateLimitedError ? "debug" : "warn";
      this.log[level]({ learner: id, code: e.code, permanent: e.permanent }, "DM delivery failed");
      throw e;
    }
  }

  async postToChannel(tenant: string, channel: string, parts: Part[]): Promise<void> {
    const msg = renderMessage(parts, { tz: "UTC" });
    if (!msg) return;
    try {
      await this.sender.post(channel, msg);
    } catch (err) {
      const e = toDeliveryError(err, "channel post");
      this.log.warn(
        { tenant, channel, code: e.code, permanent: e.permanent },
        "channel post failed",
      );
      throw e;
    }
    // The board picture after its text; a refused upload is logged, never retried (the
    // post is done, and a retry would post it twice).
    await this.sender.uploadImages(channel, slackImages(parts));
  }
}
