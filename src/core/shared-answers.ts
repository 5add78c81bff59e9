/**
 * The `pyjs cards check` gate "no card's accepted answer is another card's answer for the
 * same prompt subject unless marked". Pure.
 *
 * - Same prompt subject: cards with the same `term` (compared like lookups compare terms:
 *   case, accents and separators ignored). A term is one concept; its cards ask about it
 *   from different sides (pipx -> npx, npx -> pipx, how to run it, …), so their answers
 *   are the ones a learner mixes up.
 * - An accepted answer is another card's answer when the grader, given that `accept`
 *   entry as the only right answer, grades the other card's `answer` as correct (so
 *   spellings the grader folds count: `http-server` takes `http.server`).
 * - Entries equal to the card's own `answer`, and other cards whose answer is the card's
 *   own answer, are not a confusion.
 * - Marked: the entry is a key of the card's `accept_shared` map, with the reason as its
 *   value. A mark must name an `accept` entry that does collide (no stale marks).
 */
import type { Card, Deck, DeckError } from "./deck.js";
import { gradeAnswer, sameAnswer } from "./grading.js";
import { termKey } from "./text.js";

/** True when a learner typing `typed` to a card whose only answer is `accepted` is right. */
const takes = (accepted: string, typed: string) =>
  gradeAnswer({ answer: accepted, accept: [] }, typed).verdict === "correct";

/** The other cards about the same term whose answer `entry` (of `card`) takes. */
function collisions(card: Card, entry: string, peers: readonly Card[]): Card[] {
  if (sameAnswer(entry, card.answer)) return [];
  return peers.filter(
    (b) => b !== card && !sameAnswer(b.answer, card.answer) && takes(entry, b.answer),
  );
}

export function sharedAnswerErrors(deck: Deck): DeckError[] {
  const files = new Map(deck.decks.map((d) => [d.name, d.file ?? d.name]));
  const byTerm = new Map<string, Card[]>();
  for (const c of deck.cards) {
    const k = termKey(c.term);
    byTerm.set(k, [...(byTerm.get(k) ?? []), c]);
  }
  const errors: DeckError[] = [];
  for (const card of deck.cards) {
    const peers = byTerm.get(termKey(card.term)) ?? [];
    const marks = card.accept_shared ?? {};
    const at = (field: string, message: string) =>
      errors.push({ file: files.get(card.deck) ?? card.deck, card: card.id, field, message });
    for (const entry of card.accept) {
      const hits = collisions(card, entry, peers);
      if (hits.length === 0 || entry in marks) continue;
      const ids = hits.map((b) => `${b.id} (${JSON.stringify(b.answer)})`).join(", ");
      at(
        "accept",
        `${JSON.stringify(entry)} is also the answer of ${ids}, about the same term "${card.term}": remove it, or mark it in accept_shared with the reason`,
      );
    }
    for (const entry of Object.keys(marks)) {
      if (!card.accept.includes(entry))
        at("accept_shared", `${JSON.stringify(entry)} is not in accept`);
      else if (collisions(card, entry, peers).length === 0)
        at(
          "accept_shared",
          `${JSON.stringify(entry)} is no other card's answer about "${card.term}": remove the mark`,
        );
    }
  }
  return errors;
}
