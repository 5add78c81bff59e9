import { chartData } from "../core/chart-data.js";
import type { Deck } from "../core/deck.js";
import { localDate } from "../core/localtime.js";
import type { CardState } from "../core/scheduler.js";
import { computeStats } from "../core/stats.js";
import type { ReviewStore } from "../store/reviews.js";
import type { SettingsStore } from "../store/settings.js";
import type { ChartMaker } from "./charts.js";
import type { Optimizer } from "./optimizer.js";
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
    /** Renders the stats charts (absent: text stats only). */
    charts?: ChartMaker | undefined;
    /** Desired retention, drawn as the retention chart's target line. */
    desiredRetention?: number | undefined;
    /** The FSRS parameters in use and their fit on the learner's reviews. */
    parameters?: Optimizer | undefined;
  },
  actor: Actor,
  now: Date,
  opts: { charts?: boolean } = {},
): Promise<Reply> {
  const settings = await deps.settings.get(actor.learner);
  const tz = settings.tz ?? actor.tz ?? deps.defaultTz;
  const [raw, log] = await Promise.all([
    deps.reviews.states(actor.learner),
    deps.reviews.log(actor.learner),
  ]);
  const states = deps.decode(actor.learner, raw);
  const streak = streakToday(settings, now, tz);
  const stats = computeStats({
    cards: deps.deck.cards,
    states,
    log,
    now,
    tz,
    streak,
    bestStreak: settings.bestStreak,
  });
  const input = { log, states, now, tz, streak, desiredRetention: deps.desiredRetention ?? 0.9 };
  const data = chartData(input);
  // The terminal prints text (a sparkline and calendar from `activity`), never PNGs.
  const charts = opts.charts === false || actor.platform === "console" ? undefined : deps.charts;
  const [images, parameters] = await Promise.all([
    charts?.stats({
      learner: actor.learner,
      date: data.calendar.today,
      version: `${log.length}:${log.at(-1)?.review ?? 0}:${streak}`,
      data: () => data,
    }),
    deps.parameters?.report(actor.learner, log, settings, tz),
  ]);
  const subscription = settings.subscribed
    ? `daily at ${settings.time ?? "09:00"} (${tz})${settings.paused ? ", paused" : ""}`
    : undefined;
  const dayDone = settings.lastSessionDay === localDate(now, tz);
  return reply({
    kind: "stats",
    stats,
    tz,
    subscription,
    dayDone,
    activity: { today: data.calendar.today, days: data.calendar.days },
    ...(parameters ? { parameters } : {}),
    ...(images?.length ? { images } : {}),
  });
}
