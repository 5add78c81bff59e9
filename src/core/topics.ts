/**
 * Topics: the decks a learner studies. Pure: which cards a learner's new-card queue
 * draws from (their decks, essentials first), and each deck's progress.
 */
import type { Card, Deck, DeckInfo } from "./deck.js";
import { type CardState, State } from "./scheduler.js";

/** The interval (days) from which a card counts as mature, as in Anki. */
export const MATURE_DAYS = 21;

/** The stored form: deck names joined by commas; absent or empty means every deck. */
export function parseTopics(raw: string | undefined): string[] | undefined {
  const names = (raw ?? "").split(",").filter(Boolean);
  return names.length > 0 ? names : undefined;
}

export function formatTopics(names: readonly string[] | undefined): string {
  return names ? names.join(",") : "";
}

const cache = new WeakMap<Deck, Map<string, readonly Card[]>>();

/** The cards a learner studies, in deck order (essentials first), then file order. */
export function studyCards(deck: Deck, topics: readonly string[] | undefined): readonly Card[] {
  let byKey = cache.get(deck);
  if (!byKey) {
    byKey = new Map();
    cache.set(deck, byKey);
  }
  const key = formatTopics(topics);
  const hit = byKey.get(key);
  if (hit) return hit;
  const rank = new Map(deck.decks.map((d, i) => [d.name, i]));
  const chosen = topics ? new Set(topics) : undefined;
  const cards = deck.cards
    .filter((c) => !chosen || chosen.has(c.deck))
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (rank.get(a.c.deck) ?? 0) - (rank.get(b.c.deck) ?? 0) || a.i - b.i)
    .map(({ c }) => c);
  byKey.set(key, cards);
  return cards;
}

/** A deck name as typed (`Async`, `async.yaml`, a title word) resolved to a deck. */
export function findDeck(deck: Deck, typed: string): DeckInfo | undefined {
  const t = typed
    .trim()
    .toLowerCase()
    .replace(/\.ya?ml$/, "");
  return (
    deck.decks.find((d) => d.name === t) ??
    deck.decks.find((d) => d.title.toLowerCase() === t) ??
    deck.decks.find((d) => d.name.startsWith(t) && t.length >= 3)
  );
}

export interface TopicRow {
  name: string;
  title: string;
  active: boolean;
  seen: number;
  total: number;
  mature: number;
}

/** Each deck with the learner's progress in it. */
export function topicRows(
  deck: Deck,
  topics: readonly string[] | undefined,
  states: ReadonlyMap<string, CardState>,
): TopicRow[] {
  const rows = new Map<string, TopicRow>(
    deck.decks.map((d) => [
      d.name,
      {
        name: d.name,
        title: d.title,
        active: !topics || topics.includes(d.name),
        seen: 0,
        total: 0,
        mature: 0,
      },
    ]),
  );
  for (const card of deck.cards) {
    const row = rows.get(card.deck);
    if (!row) continue;
    row.total++;
    const st = states.get(card.id);
    if (!st || st.state === State.New) continue;
    row.seen++;
    if (st.state === State.Review && st.scheduled_days >= MATURE_DAYS) row.mature++;
  }
  return [...rows.values()];
}

/** Adds or removes a deck; `undefined` (all decks) becomes the explicit list first. */
export function toggleTopic(
  deck: Deck,
  topics: readonly string[] | undefined,
  name: string,
  on: boolean,
): string[] | undefined {
  const current = topics ?? deck.decks.map((d) => d.name);
  const next = on ? [...new Set([...current, name])] : current.filter((n) => n !== name);
  const all = deck.decks.every((d) => next.includes(d.name));
  return all ? undefined : deck.decks.map((d) => d.name).filter((n) => next.includes(n));
}
