import { nextDelivery } from "../core/delivery-time.js";
import { learner as learnerId } from "../core/learner.js";
import type { Logger } from "../logger.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import type { TeamStore } from "../store/teams.js";
import type { WeeklyScheduler } from "./leaderboard.js";
import type { Platform } from "./types.js";

/**
 * Why pyjs paused a subscription or a weekly post because the app left the team:
 * uninstalled, its tokens revoked, or found without an installation at delivery time.
 * A reinstall resumes exactly these.
 */
export const INSTALL_GONE = new Set(["app_uninstalled", "tokens_revoked", "not_installed"]);

export interface InstallDeps {
  settings: SettingsStore;
  schedule?: ScheduleStore | undefined;
  teams?: TeamStore | undefined;
  weekly?: WeeklyScheduler | undefined;
  log?: Logger | undefined;
}

/**
 * A team's installation going away and coming back: the team's daily quizzes and its
 * weekly post are paused (nothing is sent, nothing is queued into the team) and resumed
 * on reinstall, with the learners' times and zones as they were.
 */
export class Installs {
  constructor(private readonly deps: InstallDeps) {}

  /** Pauses the team's subscribed learners and weekly post; answers how many learners. */
  async removed(platform: Platform, tenant: string, reason: string): Promise<number> {
    const { settings, schedule, teams } = this.deps;
    const prefix = learnerId.teamPrefix(platform, tenant);
    const learners = prefix && schedule ? await schedule.scheduledWithPrefix(prefix) : [];
    // Remembered first: a crash half-way still resumes everyone paused so far.
    await teams?.holdPaused(tenant, learners);
    for (const l of learners) {
      await settings.update(l, { paused: true, pausedReason: reason });
      await schedule?.remove(l);
    }
    const team = await teams?.get(tenant);
    if (team?.channel && !team.pausedReason) {
      // Nobody to tell: the admin learns of it by reinstalling, which resumes the post.
      await teams?.update(tenant, { pausedReason: reason, notified: true });
      await this.deps.weekly?.unschedule(tenant);
    }
    this.deps.log?.info(
      { platform, tenant, reason, paused: learners.length },
      "installation removed: daily quizzes and weekly post paused",
    );
    return learners.length;
  }

  /** Resumes what {@link removed} (or a failed delivery into the gone team) paused. */
  async restored(tenant: string, now: Date): Promise<number> {
    const { settings, schedule, teams } = this.deps;
    let resumed = 0;
    for (const l of (await teams?.releasePaused(tenant)) ?? []) {
      const s = await settings.get(l);
      if (!s.subscribed || !s.paused || !INSTALL_GONE.has(s.pausedReason ?? "")) continue;
      await settings.update(l, { paused: false, pausedReason: "" });
      if (s.tz) await schedule?.set(l, nextDelivery(now, s.time ?? "09:00", s.tz));
      resumed++;
    }
    const team = await teams?.get(tenant);
    if (team?.channel && INSTALL_GONE.has(team.pausedReason ?? "")) {
      await teams?.update(tenant, { pausedReason: "", notified: false });
      await this.deps.weekly?.schedule(tenant, team.tz ?? "UTC");
    }
    this.deps.log?.info({ tenant, resumed }, "installation restored: daily quizzes resumed");
    return resumed;
  }
}
