import type { Deck } from "../core/deck.js";
import { localDate } from "../core/localtime.js";
import type { CardState } from "../core/scheduler.js";
import { computeStats } from "../core/stats.js";
import type { ReviewStore } from "../store/reviews.js";
import type { SettingsStore } from "../store/settings.js";
import { streakToday } from "./quiz.js";
import type { Reply } from "./reply.js";
import { reply } from "./reply.js";
import type { Actor } from "./types.js";

/** `stats` (and Slack's App Home): the learner's progress from states and the review log. */
export async function progress(
  deps: {
    deck: Deck;
    settings: SettingsStore;
    reviews: ReviewStore;
    defaultTz: string;
    /** The quiz's card-state decoding (an unreadable state is skipped and logged there). */
    decode: (learner: string, raw: Record<string, string>) => Map<string, CardState>;
  },
  actor: Actor,
  now: Date,
): Promise<Reply> {
  const settings = await deps.settings.get(actor.learner);
  const tz = settings.tz ?? actor.tz ?? deps.defaultTz;
  const [raw, log] = await Promise.all([
    deps.reviews.states(actor.learner),
    deps.reviews.log(actor.learner),
  ]);
  const stats = computeStats({
    cards: deps.deck.cards,
    states: deps.decode(actor.learner, raw),
    log,
    now,
    tz,
    streak: streakToday(settings, now, tz),
    bestStreak: settings.bestStreak,
  });
  const subscription = settings.subscribed
    ? `daily at ${settings.time ?? "09:00"} (${tz})${settings.paused ? ", paused" : ""}`
    : undefined;
  const dayDone = settings.lastSessionDay === localDate(now, tz);
  return reply({ kind: "stats", stats, tz, subscription, dayDone });
}
