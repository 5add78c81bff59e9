import type { App } from "../../../src/app/service.js";
import type { Clock } from "../../../src/core/clock.js";
import type { Logger } from "../../../src/logger.js";
import type { DmChannels } from "../dm.js";
import type { HomeTab } from "../home.js";
import type { People } from "../people.js";
import type { Sender } from "../sender.js";

/** What every listener works with; passed in, never shared through closures. */
export interface ListenerDeps {
  app: App;
  log: Logger;
  /** Clock for the App calls. */
  now: Clock;
  people: People;
  dms: DmChannels;
  sender: Sender;
  home: HomeTab;
}
