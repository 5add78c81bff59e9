import type { types } from "@slack/bolt";
import type { Part } from "../../../src/app/reply.js";
import { esc } from "../mrkdwn.js";
import {
  ACTIONS,
  actions,
  type Block,
  button,
  context,
  LIMITS,
  mrkdwn,
  type PartOf,
  pct,
  plural,
  type RenderContext,
} from "./kit.js";
import { enforceLimits } from "./limits.js";
import { renderPart } from "./parts.js";

/** The learner's stats on the Home tab: a shorter form than `/pyjs stats`. */
function homeStats(stats: PartOf<"stats">): Block[] {
  const s = stats.stats;
  return [
    {
      type: "section",
      fields: [
        mrkdwn(`*Due today*\n${s.forecast[0]?.due ?? s.dueNow}`),
        mrkdwn(`*Streak*\n${plural(s.streak, "day")} (best ${s.bestStreak})`),
        mrkdwn(`*Retention (30 days)*\n${pct(s.retention30d)}`),
        mrkdwn(`*Daily quiz*\n${esc(stats.subscription ?? "not subscribed")}`),
      ],
    },
    context(
      `Reviews: ${s.reviewsToday} today · ${s.reviewsThisWeek} this week · ${s.reviewsTotal} total`,
      `Cards: ${s.cards.new} new · ${s.cards.learning} learning · ${s.cards.young} young · ${s.cards.mature} mature`,
    ),
  ];
}

/**
 * The App Home tab: a notice (the answer to the button just pressed), then the learner's
 * stats and the Start a quiz / Subscribe or Unsubscribe buttons.
 */
export function renderHome(
  stats: Part | undefined,
  notice: Part[],
  ctx: RenderContext,
  topics?: Part,
): types.HomeView {
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: "pyjs — Python for JavaScript developers" },
    },
  ];
  const shown = notice.filter((p) => p.kind !== "stats" && p.kind !== "topics");
  if (shown.length) blocks.push(...shown.flatMap((p) => renderPart(p, ctx)), { type: "divider" });
  const subscribed = stats?.kind === "stats" && stats.subscription !== undefined;
  if (stats?.kind === "stats") blocks.push(...homeStats(stats));
  blocks.push(
    actions(
      button("Start a quiz", ACTIONS.command("quiz"), "quiz", "primary"),
      subscribed
        ? button("Unsubscribe", ACTIONS.command("unsubscribe"), "unsubscribe")
        : button("Subscribe", ACTIONS.command("subscribe"), "subscribe"),
    ),
    ...(topics?.kind === "topics"
      ? [{ type: "divider" } as Block, ...renderPart({ ...topics, note: undefined }, ctx)]
      : []),
    context(
      "Look a term up with `/pyjs pip`; `/pyjs help` lists every command. Quiz answers go in the Messages tab.",
    ),
  );
  return { type: "home", blocks: enforceLimits(blocks, LIMITS.homeBlocks) };
}
