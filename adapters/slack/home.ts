import type { Part } from "../../src/app/reply.js";
import type { App } from "../../src/app/service.js";
import type { Clock } from "../../src/core/clock.js";
import { renderHome } from "./blocks.js";
import type { SlackClients } from "./clients.js";
import { renderContext, type Who } from "./people.js";

/** Publishes a learner's App Home tab: a notice, their stats and the quiz buttons. */
export class HomeTab {
  constructor(
    private readonly app: App,
    private readonly clients: SlackClients,
    private readonly now: Clock,
  ) {}

  async publish(w: Who, notice: Part[] = []): Promise<void> {
    const [r, t] = await Promise.all([
      // The Home tab shows text stats: no charts rendered for it.
      this.app.handleCommand(w.actor, "stats", this.now(), { charts: false }),
      this.app.handleCommand(w.actor, "topics", this.now()),
    ]);
    const stats = r.parts.find((p) => p.kind === "stats");
    const topics = t.parts.find((p) => p.kind === "topics");
    const shown = [...notice, ...r.parts.filter((p) => p.kind !== "stats")];
    const client = await this.clients.forTeam(w.team);
    await client.views.publish({
      user_id: w.user,
      view: renderHome(stats, shown, renderContext(w.actor), topics),
    });
  }
}
