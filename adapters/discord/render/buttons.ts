import { type APIButtonComponent, ButtonStyle, ComponentType } from "discord.js";
import type { RatingWord } from "../../../src/app/reply.js";
import type { Grade } from "../../../src/core/scheduler.js";
import { customId } from "../ids.js";
import { clip, LIMITS, type Row } from "./format.js";

/** Button rows: one pyjs custom id per button, labels within Discord's limits. */

const RATINGS: { word: RatingWord; grade: Grade; style: ButtonStyle }[] = [
  { word: "Again", grade: 1, style: ButtonStyle.Danger },
  { word: "Hard", grade: 2, style: ButtonStyle.Secondary },
  { word: "Good", grade: 3, style: ButtonStyle.Success },
  { word: "Easy", grade: 4, style: ButtonStyle.Primary },
];

export function button(
  id: string,
  label: string,
  style: ButtonStyle,
  disabled = false,
): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id: id,
    label: clip(label, LIMITS.buttonLabel),
    style: style as ButtonStyle.Primary,
    ...(disabled ? { disabled: true } : {}),
  };
}

export function row(...buttons: APIButtonComponent[]): Row {
  return { type: ComponentType.ActionRow, components: buttons.slice(0, LIMITS.buttonsPerRow) };
}

/** Again / Hard / Good / Easy, with the interval each leads to (or the applied one ticked). */
export function ratingRow(
  promptId: string,
  opts: { intervals?: Record<RatingWord, string>; current?: RatingWord },
): Row {
  return row(
    ...RATINGS.map((r) => {
      const label = opts.intervals
        ? `${r.word} · ${opts.intervals[r.word]}`
        : r.word === opts.current
          ? `✓ ${r.word}`
          : r.word;
      return button(customId.rate(r.grade, promptId), label, r.style, r.word === opts.current);
    }),
  );
}
