import type { App as BoltApp } from "@slack/bolt";
import type { Logger } from "../../../src/logger.js";
import type { SlackInstalls } from "../installs.js";

/**
 * OAuth mode: `app_uninstalled` and `tokens_revoked` (bot tokens) remove the
 * workspace's installation and pause its quizzes and weekly post. Bolt delivers both
 * without authorizing them (the token is already gone).
 */
export function registerInstallEvents(bolt: BoltApp, installs: SlackInstalls, log: Logger): void {
  bolt.event("app_uninstalled", async ({ body }) => {
    const team = (body as { team_id?: string }).team_id;
    if (team) await installs.removed(team, "app_uninstalled");
  });
  bolt.event("tokens_revoked", async ({ event, body }) => {
    const team = (body as { team_id?: string }).team_id;
    // Only the bot's token matters: pyjs asks for no user scopes.
    if (!team || !event.tokens.bot?.length) {
      log.info({ team }, "user tokens revoked; the bot's token is untouched");
      return;
    }
    await installs.removed(team, "tokens_revoked");
  });
}
