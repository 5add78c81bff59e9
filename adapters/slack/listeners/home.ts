import type { App as BoltApp } from "@slack/bolt";
import { slackErrorCode } from "../errors.js";
import type { ListenerDeps } from "./deps.js";

/** Opening the App Home tab publishes it afresh (the Messages tab is left alone). */
export function registerHome(bolt: BoltApp, deps: ListenerDeps): void {
  const { log, people, home } = deps;
  bolt.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    const team = (body as { team_id?: string }).team_id ?? "";
    try {
      await home.publish(await people.who(team, event.user, {}));
    } catch (err) {
      log.error({ team, user: event.user, err, code: slackErrorCode(err) }, "App Home failed");
    }
  });
}
