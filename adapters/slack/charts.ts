import type { ChartImage, Part } from "../../src/app/reply.js";
import type { Logger } from "../../src/logger.js";
import type { SlackClients } from "./clients.js";
import { slackErrorCode } from "./errors.js";

/** The stats charts Slack shows in the DM (the retention chart stays on Discord and the CLI). */
const SLACK_STATS_CHARTS = new Set(["calendar.png", "forecast.png"]);
/** Slack's limit for a file's alt text. */
const MAX_ALT = 1000;

const TITLES: Record<string, string> = {
  "calendar.png": "Your reviews, last 26 weeks",
  "forecast.png": "Cards due, next 30 days",
  "retention.png": "Your retention",
  "leaderboard.png": "Weekly leaderboard",
};

/** The pictures Slack posts for reply parts: a stats calendar and forecast, a board picture. */
export function slackImages(parts: Part[]): ChartImage[] {
  return parts.flatMap((p) => {
    if (p.kind === "stats") return (p.images ?? []).filter((i) => SLACK_STATS_CHARTS.has(i.name));
    if (p.kind === "leaderboard") return p.images ?? [];
    return [];
  });
}

/**
 * Uploads chart PNGs into a conversation with files.uploadV2 (files:write): one message
 * holding them all, each with its alt text. A refused upload is logged and reported as
 * false, never thrown: the text the pictures go with has been sent already.
 */
export class ChartUploads {
  constructor(
    private readonly clients: SlackClients,
    private readonly log: Logger,
  ) {}

  async upload(team: string, channel: string, images: ChartImage[]): Promise<boolean> {
    if (images.length === 0) return true;
    try {
      const client = await this.clients.forTeam(team);
      await client.files.uploadV2({
        channel_id: channel,
        file_uploads: images.map((i) => ({
          file: i.png,
          filename: i.name,
          title: TITLES[i.name] ?? i.name,
          alt_text: i.alt.length > MAX_ALT ? `${i.alt.slice(0, MAX_ALT - 1)}…` : i.alt,
        })),
      });
      return true;
    } catch (err) {
      this.log.warn(
        { team, channel, files: images.map((i) => i.name), err, code: slackErrorCode(err) },
        "chart upload failed; the text was sent without it",
      );
      return false;
    }
  }
}
