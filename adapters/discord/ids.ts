import type { Grade } from "../../src/core/scheduler.js";

/**
 * Custom ids of pyjs's buttons and modals. They carry the prompt id (12 base64url
 * characters) and nothing else, so a forged or stale one can only name a prompt the
 * app then reports as expired.
 */
export type CustomId =
  | { kind: "show"; promptId: string }
  | { kind: "answer"; promptId: string }
  | { kind: "modal"; promptId: string }
  | { kind: "rate"; promptId: string; rating: Grade }
  | { kind: "forget" }
  | { kind: "topic"; deck: string; on: boolean }
  | { kind: "right"; promptId: string }
  /** Learner controls (app/controls.ts): Undo on a result, Skip / Don't ask again on a question. */
  | { kind: "undo"; promptId: string }
  | { kind: "skip"; promptId: string }
  | { kind: "suspend"; promptId: string };

const PROMPT = "[A-Za-z0-9_-]{12}";
const SHAPE = new RegExp(
  `^pyjs:(?:(show|answer|modal|right|undo|skip|suspend):(${PROMPT})|rate:([1-4]):(${PROMPT})|(forget)|topic:(add|remove):([a-z0-9-]{1,60}))$`,
);

/** The custom id's meaning, or undefined when it is not one pyjs made. */
export function parseCustomId(id: string): CustomId | undefined {
  const m = SHAPE.exec(id);
  if (!m) return undefined;
  const [, kind, promptId, rating, ratedId, forget, verb, deck] = m;
  if (forget) return { kind: "forget" };
  if (verb && deck) return { kind: "topic", deck, on: verb === "add" };
  if (rating && ratedId)
    return { kind: "rate", promptId: ratedId, rating: Number(rating) as Grade };
  if (kind === "right" && promptId) return { kind, promptId };
  if (
    (kind === "show" ||
      kind === "answer" ||
      kind === "modal" ||
      kind === "undo" ||
      kind === "skip" ||
      kind === "suspend") &&
    promptId
  )
    return { kind, promptId };
  return undefined;
}

export const customId = {
  show: (promptId: string) => `pyjs:show:${promptId}`,
  answer: (promptId: string) => `pyjs:answer:${promptId}`,
  modal: (promptId: string) => `pyjs:modal:${promptId}`,
  rate: (rating: Grade, promptId: string) => `pyjs:rate:${rating}:${promptId}`,
  forget: () => "pyjs:forget",
  undo: (promptId: string) => `pyjs:undo:${promptId}`,
  skip: (promptId: string) => `pyjs:skip:${promptId}`,
  suspend: (promptId: string) => `pyjs:suspend:${promptId}`,
  right: (promptId: string) => `pyjs:right:${promptId}`,
  topic: (deck: string, on: boolean) => `pyjs:topic:${on ? "add" : "remove"}:${deck}`,
};

/** Custom id of the answer field in the answer modal. */
export const ANSWER_FIELD = "answer";
