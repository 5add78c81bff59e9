/**
 * Learner ids: the one owner of their format. Every learner is `slack:{team}:{user}`,
 * `discord:{user}` or `console:{name}`; nothing else builds or parses these strings.
 */
import type { Platform } from "../app/types.js";

const SLACK_ID = /^[A-Z0-9]{1,32}$/;
const DISCORD_ID = /^\d{1,25}$/;
/** Terminal names: printable, no separators that would reach key patterns or job ids. */
const CONSOLE_NAME = /^[\p{L}\p{N}._@+-]{1,64}$/u;

export type LearnerParts =
  | { platform: "slack"; team: string; user: string }
  | { platform: "discord"; user: string }
  | { platform: "console"; name: string };

export const learner = {
  slack(team: string, user: string): string {
    return `slack:${team}:${user}`;
  },
  discord(user: string): string {
    return `discord:${user}`;
  },
  console(name: string): string {
    return `console:${name}`;
  },
  /**
   * The start every learner id of one team shares, when the platform puts the team in
   * its ids (Slack: `slack:{team}:`); undefined for Discord and the terminal.
   */
  teamPrefix(platform: Platform, tenant: string): string | undefined {
    return platform === "slack" && SLACK_ID.test(tenant) ? `slack:${tenant}:` : undefined;
  },
  /** Valid Slack team/user ids (`T…`, `U…`): upper-case letters and digits. */
  isSlackId(id: unknown): id is string {
    return typeof id === "string" && SLACK_ID.test(id);
  },
  isDiscordId(id: unknown): id is string {
    return typeof id === "string" && DISCORD_ID.test(id);
  },
  /** A terminal user name, trimmed; undefined when blank or carrying separators/controls. */
  consoleName(raw: string): string | undefined {
    const name = raw.trim();
    return CONSOLE_NAME.test(name) ? name : undefined;
  },
  parse(id: string): LearnerParts | undefined {
    const [platform, a, b, ...rest] = id.split(":");
    if (rest.length > 0) return undefined;
    if (platform === "slack" && a && b && SLACK_ID.test(a) && SLACK_ID.test(b))
      return { platform, team: a, user: b };
    if (platform === "discord" && a && b === undefined && DISCORD_ID.test(a))
      return { platform, user: a };
    if (platform === "console" && a && b === undefined && CONSOLE_NAME.test(a))
      return { platform, name: a };
    return undefined;
  },
  platformOf(id: string): Platform | undefined {
    const cut = id.indexOf(":");
    if (cut < 0) return undefined;
    const p = id.slice(0, cut);
    return p === "slack" || p === "discord" || p === "console" ? p : undefined;
  },
  /**
   * The learner's own part of the id (terminal name, Slack or Discord user id), for file
   * names such as `pyjs-reviews-<learner>.csv`; undefined for an id that does not parse.
   */
  shortName(id: string): string | undefined {
    const p = learner.parse(id);
    if (!p) return undefined;
    return p.platform === "console" ? p.name : p.user;
  },
  /** A form safe inside BullMQ job ids (which must not contain `:`). */
  jobSafe(id: string): string {
    return id.replaceAll(":", "|");
  },
  fromJobSafe(safe: string): string {
    return safe.replaceAll("|", ":");
  },
};
