import { nextDelivery } from "../core/delivery-time.js";
import { formatLocal, localDate } from "../core/localtime.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import type { Reply } from "./reply.js";
import { text } from "./reply.js";
import type { Actor } from "./types.js";

/** The terminal cannot receive a daily quiz: nothing is promised there. */
function deliveriesNeedChat(): Reply {
  return text(
    "Daily quizzes are delivered in Slack or Discord direct messages; the terminal can't receive them. Type `quiz` here whenever you like.",
  );
}

/** `subscribe`, `unsubscribe`, `pause`, `resume`: settings plus the delivery schedule. */
export class Subscriptions {
  constructor(
    private readonly settings: SettingsStore,
    private readonly defaultTz: string,
    private readonly schedule?: ScheduleStore,
  ) {}

  async subscribe(actor: Actor, now: Date, time?: string, tz?: string): Promise<Reply> {
    if (actor.platform === "console") return deliveriesNeedChat();
    const settings = await this.settings.get(actor.learner);
    const zone = tz ?? actor.tz ?? settings.tz ?? this.defaultTz;
    const at = time ?? settings.time ?? "09:00";
    await this.settings.update(actor.learner, {
      subscribed: true,
      paused: false,
      pausedReason: "",
      time: at,
      tz: zone,
    });
    const next = nextDelivery(now, at, zone);
    await this.schedule?.set(actor.learner, next);
    const done = text(
      `Subscribed: a daily quiz at ${at} (${zone}), next on ${formatLocal(next, zone)}. \`unsubscribe\` stops it.`,
    );
    // Discord lets a bot DM only people who share a server with it or installed it to
    // their account, with DMs allowed: a first DM now shows whether the quiz can arrive
    // (the adapter undoes the subscription when it cannot). Slack apps can DM members.
    if (actor.platform !== "discord") return done;
    return {
      ...done,
      dm: [{ kind: "text", text: `Your daily quiz will arrive here at ${at} (${zone}).` }],
    };
  }

  async unsubscribe(actor: Actor): Promise<Reply> {
    await this.settings.update(actor.learner, { subscribed: false });
    await this.schedule?.remove(actor.learner);
    return text("Daily quiz stopped. Your progress is kept; `subscribe` starts it again.");
  }

  async pause(actor: Actor): Promise<Reply> {
    const s = await this.settings.get(actor.learner);
    if (!s.subscribed) {
      return text("You are not subscribed, so there is no daily quiz to pause.");
    }
    if (s.paused) return text("The daily quiz is already paused. `resume` picks it up again.");
    await this.settings.update(actor.learner, { paused: true });
    await this.schedule?.remove(actor.learner);
    return text("Daily quiz paused. `resume` picks it up again.");
  }

  async resume(actor: Actor, now: Date): Promise<Reply> {
    if (actor.platform === "console") return deliveriesNeedChat();
    const s = await this.settings.get(actor.learner);
    if (!s.subscribed) {
      return text("You are not subscribed. `subscribe [HH:MM] [time zone]` starts a daily quiz.");
    }
    const zone = s.tz ?? this.defaultTz;
    // A vacation ends today: the days before it stay paused (they keep the streak).
    const today = localDate(now, zone);
    const endVacation = s.pausedUntil && s.pausedUntil > today ? { pausedUntil: today } : {};
    await this.settings.update(actor.learner, { paused: false, pausedReason: "", ...endVacation });
    const next = nextDelivery(now, s.time ?? "09:00", zone);
    await this.schedule?.set(actor.learner, next);
    return text(`Daily quiz resumed, next on ${formatLocal(next, zone)}.`);
  }
}
