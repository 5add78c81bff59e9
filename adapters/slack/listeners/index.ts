import type { App as BoltApp } from "@slack/bolt";
import { registerActions } from "./actions.js";
import { registerCommands } from "./commands.js";
import type { ListenerDeps } from "./deps.js";
import { registerHome } from "./home.js";
import { registerMessages } from "./messages.js";

export type { ListenerDeps } from "./deps.js";

/** Every listener pyjs has on the Bolt app, and the log line for a request Bolt failed. */
export function registerListeners(bolt: BoltApp, deps: ListenerDeps): void {
  registerCommands(bolt, deps);
  registerActions(bolt, deps);
  registerMessages(bolt, deps);
  registerHome(bolt, deps);
  bolt.error(async (error) => {
    deps.log.error({ err: error, code: error.code }, "slack request failed");
  });
}
