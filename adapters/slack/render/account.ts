import { esc } from "../mrkdwn.js";
import { ACTIONS, actions, button, plain, plural, type Renderer, section } from "./kit.js";

/** The learner's account: erasing their data, and pointers to their DMs. */

export const confirmForget: Renderer<"confirm-forget"> = () => [
  section(
    "This erases your settings, progress, review history and leaderboard points. It cannot be undone.",
  ),
  actions({
    ...button("Erase my data", ACTIONS.forgetConfirm, "forget-me", "danger"),
    confirm: {
      title: plain("Erase your pyjs data?"),
      text: plain("Your progress, history and points will be gone for good."),
      confirm: plain("Erase"),
      deny: plain("Keep it"),
      style: "danger",
    },
  }),
];

export const forgotten: Renderer<"forgotten"> = (part) => [
  section(`Erased: ${part.erased.map(esc).join(", ")}. pyjs keeps nothing about you now.`),
];

export const sentToDm: Renderer<"sent-to-dm"> = () => [
  section(":mailbox_with_mail: Sent to your direct messages."),
];

/** `export`: the file itself is uploaded to the DM (adapters/slack/export.ts). */
export const exported: Renderer<"export"> = (part) => [
  section(
    `:page_facing_up: Your review log, *${plural(part.file.reviews, "review")}* of *${plural(part.file.cards, "card")}*, comes as \`${esc(part.file.name)}\` in your DM with pyjs: the CSV layout the FSRS optimizer tools read (card_id, review_time, review_rating, review_state, review_duration).`,
  ),
];
