import { previousDate } from "../core/delivery-time.js";
import { localDate } from "../core/localtime.js";
import { currentStreak, isoWeek, weekBefore } from "../core/scoring.js";
import type { Settings, SettingsStore } from "../store/settings.js";
import type { BoardEntry, TeamStore } from "../store/teams.js";
import type { BoardRow, Leaderboard, Part, Reply } from "./reply.js";
import { reply, text } from "./reply.js";
import type { Actor } from "./types.js";

/** Schedules a team's weekly post (implemented with a BullMQ job scheduler). */
export interface WeeklyScheduler {
  schedule(tenant: string, tz: string): Promise<void>;
  unschedule(tenant: string): Promise<void>;
}

const TOP = 10;

/** The leaderboard use cases: show, pick the channel, opt out/in, the weekly post. */
export class Leaderboards {
  constructor(
    private readonly teams: TeamStore,
    private readonly settings: SettingsStore,
    private readonly zoneOf: (tenant: string) => Promise<string>,
    private readonly weekly?: WeeklyScheduler,
  ) {}

  /** Top visible entries of a board, ranked among the visible ones. */
  private async top(
    tenant: string,
    period: string,
    today: Date,
  ): Promise<(BoardRow & { learner: string })[]> {
    const rows: (BoardRow & { learner: string })[] = [];
    const tz = await this.zoneOf(tenant);
    const day = localDate(today, tz);
    for (let offset = 0; rows.length < TOP; offset += 50) {
      const page: BoardEntry[] = await this.teams.board(tenant, period, offset, 50);
      if (page.length === 0) break;
      const profiles = await this.teams.profiles(page.map((e) => e.learner));
      for (const e of page) {
        const p = profiles.get(e.learner);
        if (!p || p.hidden) continue;
        rows.push({
          learner: e.learner,
          rank: rows.length + 1,
          name: p.name ?? "a learner",
          points: e.points,
          streak: currentStreak(
            { streak: p.streak, best: 0, lastDay: p.lastSessionDay },
            day,
            previousDate(day),
          ),
        });
        if (rows.length === TOP) break;
      }
    }
    return rows;
  }

  async show(actor: Actor, now: Date): Promise<Reply> {
    if (!actor.tenant) {
      return text(
        "Leaderboards are per team: use `/pyjs leaderboard` in a Slack workspace or Discord server where pyjs is installed.",
      );
    }
    const tz = await this.zoneOf(actor.tenant);
    const week = isoWeek(now, tz);
    const [rows, settings, points] = await Promise.all([
      this.top(actor.tenant, week, now),
      this.settings.get(actor.learner),
      this.teams.points(actor.tenant, week, actor.learner),
    ]);
    const hidden = settings.boardOptOut === true;
    const mine = rows.find((r) => r.learner === actor.learner);
    const rank = hidden
      ? undefined
      : (mine?.rank ??
        (points > 0 ? await this.teams.rank(actor.tenant, week, actor.learner) : undefined));
    const board: Leaderboard = {
      title: "This week's leaderboard",
      period: week,
      rows: rows.map(({ learner: _, ...row }) => row),
      me: { rank, points, hidden },
    };
    return reply({ kind: "leaderboard", board });
  }

  async here(actor: Actor, settings: Settings): Promise<Reply> {
    if (!actor.tenant || !actor.channel) {
      return reply({
        kind: "usage",
        message:
          "Run `leaderboard here` in the channel that should get the weekly post, in a workspace or server where pyjs is installed.",
      });
    }
    if (!actor.isAdmin) {
      return reply({
        kind: "usage",
        message:
          "Only workspace admins and owners (Slack) or members with Manage Server (Discord) can choose the leaderboard channel.",
      });
    }
    const team = await this.teams.get(actor.tenant);
    const tz = team.tz ?? actor.tz ?? settings.tz ?? "UTC";
    await this.teams.update(actor.tenant, {
      platform: actor.platform,
      tz,
      channel: actor.channel,
      setBy: actor.learner,
      pausedReason: "",
      notified: false,
    });
    await this.weekly?.schedule(actor.tenant, tz);
    return text(`Every Monday at 09:00 (${tz}) I'll post last week's top ${TOP} in this channel.`);
  }

  async optIn(actor: Actor, optIn: boolean): Promise<Reply> {
    await this.settings.update(actor.learner, { boardOptOut: !optIn });
    return text(
      optIn
        ? "You are back on the leaderboards."
        : "You are off the leaderboards: your points are kept but hidden. `leaderboard on` shows them again.",
    );
  }

  /** Said once to the admin who chose a channel the bot could not post in. */
  async pendingNotice(actor: Actor): Promise<Part | undefined> {
    if (!actor.tenant) return undefined;
    const team = await this.teams.get(actor.tenant);
    if (!team.pausedReason || team.setBy !== actor.learner || team.notified) return undefined;
    await this.teams.update(actor.tenant, { notified: true });
    return {
      kind: "text",
      text: `I could not post the weekly leaderboard in the channel you chose (${team.pausedReason}), so the weekly post is paused. Invite me to a channel and run \`leaderboard here\` there.`,
    };
  }

  /** A finished week's board for a team's weekly post. */
  async weeklyBoard(tenant: string, week: string, now: Date): Promise<Leaderboard> {
    const before = weekBefore(week);
    const [rows, last, prior, reviews] = await Promise.all([
      this.top(tenant, week, now),
      this.teams.boardAll(tenant, week),
      this.teams.boardAll(tenant, before),
      this.teams.weekReviews(tenant, week),
    ]);
    const profiles = await this.teams.profiles([...last.keys()]);
    let mostImproved: Leaderboard["mostImproved"];
    for (const [learner, points] of last) {
      const p = profiles.get(learner);
      if (!p || p.hidden) continue;
      const gain = points - (prior.get(learner) ?? 0);
      if (gain > 0 && (!mostImproved || gain > mostImproved.gain)) {
        mostImproved = { name: p.name ?? "a learner", gain };
      }
    }
    return {
      title: "Last week's leaderboard",
      period: week,
      rows: rows.map(({ learner: _, ...row }) => row),
      mostImproved,
      totals: { reviews, learners: last.size },
    };
  }
}
