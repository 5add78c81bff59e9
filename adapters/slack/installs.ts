import type { App } from "../../src/app/service.js";
import type { Clock } from "../../src/core/clock.js";
import type { Logger } from "../../src/logger.js";
import type { InstallationRecords } from "../../src/store/installations.js";
import { NOT_INSTALLED, type SlackClients } from "./clients.js";
import { botTokenOf } from "./oauth.js";

/** A delivery met a dead token, but the team has been reinstalled since: try again. */
export const RENEWED = "renewed";

/** Slack errors that say a workspace's bot token is dead (the app left the workspace). */
const TOKEN_GONE = new Set(["token_revoked", "account_inactive"]);

/**
 * Workspaces coming and going (OAuth mode). An uninstall, revoked tokens, or a delivery
 * that finds the install gone: the installation is deleted, the team's client forgotten,
 * and its daily quizzes and weekly post paused (App.installationRemoved). A reinstall
 * resumes them.
 */
export class SlackInstalls {
  constructor(
    private readonly app: App,
    private readonly records: InstallationRecords,
    private readonly clients: SlackClients,
    private readonly log: Logger,
    private readonly now: Clock,
  ) {}

  async removed(team: string, reason: string): Promise<void> {
    const had = await this.records.delete(team);
    this.clients.forget(team);
    const paused = await this.app.installationRemoved("slack", team, reason);
    this.log.info({ team, reason, had, paused }, "Slack installation removed");
  }

  async restored(team: string): Promise<void> {
    this.clients.forget(team);
    await this.app.installationRestored(team, this.now());
  }

  /**
   * A delivery into `team` failed with `code`: when that says the install is gone, the
   * team is paused as on an uninstall, so no other job is sent into it, and the reason
   * it was paused with is answered (undefined: the install is fine).
   */
  async deliveryFailed(team: string, code: string | undefined): Promise<string | undefined> {
    if (code === NOT_INSTALLED) {
      this.clients.forget(team);
      await this.app.installationRemoved("slack", team, NOT_INSTALLED);
      return NOT_INSTALLED;
    }
    if (code && TOKEN_GONE.has(code)) {
      // Another process may have stored a reinstall since this one read the token.
      const used = this.clients.tokenInUse?.(team);
      this.clients.forget(team);
      const stored = await botTokenOf(this.records, team);
      if (stored && stored !== used) return RENEWED;
      await this.removed(team, "tokens_revoked");
      return "tokens_revoked";
    }
    return undefined;
  }
}
