import { z } from "zod";

/** One flashcard. Its `id` is stable: review history is keyed by it. */
export interface Card {
  id: string;
  /** The Python-side term this card teaches (lookups group cards by it). */
  term: string;
  /** The closest JavaScript equivalent, when there is one. */
  js?: string | undefined;
  /** Other spellings of the term that lookups should find. */
  aliases: string[];
  /** The question, with `___` where the answer goes. */
  prompt: string;
  answer: string;
  /** Other answers graded as right. */
  accept: string[];
  /**
   * Accepted answers that are also the answer of another card about the same term,
   * on purpose: entry -> why (`pyjs cards check` refuses such an entry without it).
   */
  accept_shared?: Record<string, string> | undefined;
  explain: string;
  link: string;
  tags: string[];
  /** The deck (file name without extension) the card came from. */
  deck: string;
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** C0 controls (but tab and newline), DEL, C1 controls and bidi overrides: never in deck text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max)
    .refine((s) => !UNSAFE.test(s), "must not contain control characters or bidi overrides");

export const cardSchema = z.strictObject({
  id: z.string().regex(ID, "must be lowercase kebab-case (a-z, 0-9, -)").max(80),
  term: text(80),
  js: text(80).optional(),
  aliases: z.array(text(80)).default([]),
  prompt: text(300).refine(
    (p) => p.split("___").length === 2,
    "must contain exactly one ___ blank",
  ),
  answer: text(120),
  accept: z.array(text(120)).default([]),
  accept_shared: z.record(text(120), text(300)).default({}),
  explain: text(600),
  link: z.url({ protocol: /^https$/, error: "must be an https URL" }),
  tags: z.array(text(40)).min(1, "needs at least one tag"),
});

export const deckFileSchema = z.strictObject({
  title: text(120),
  description: text(600).optional(),
  /** Where the deck comes in a new learner's path (essentials first); default 100. */
  order: z.number().int().min(0).max(1000).optional(),
  cards: z.array(z.unknown()).min(1, "a deck needs at least one card"),
});

export interface DeckSource {
  /** File name as shown to people, e.g. `cards/python-for-js-devs.yaml`. */
  file: string;
  /** Parsed YAML document (unknown shape until validated). */
  data: unknown;
}

export interface DeckError {
  file: string;
  card?: string | undefined;
  field?: string | undefined;
  message: string;
}

export function formatDeckError(e: DeckError): string {
  const where = [
    e.file,
    e.card ? `card ${e.card}` : undefined,
    e.field ? `field ${e.field}` : undefined,
  ]
    .filter(Boolean)
    .join(": ");
  return `${where}: ${e.message}`;
}

/** One deck file: a topic a learner can pick. */
export interface DeckInfo {
  name: string;
  /** The file it was read from, as shown to people. */
  file?: string | undefined;
  title: string;
  description?: string | undefined;
  order: number;
  cards: number;
}

export interface Deck {
  cards: Card[];
  byId: Map<string, Card>;
  /** The topics, essentials first (by `order`, then name). */
  decks: DeckInfo[];
}

/** An empty deck (nothing loaded). */
export function emptyDeck(): Deck {
  return { cards: [], byId: new Map(), decks: [] };
}

/** Distinct terms: what `cards check` counts as concepts. */
export function conceptCount(deck: Deck): number {
  return new Set(deck.cards.map((c) => c.term.toLowerCase())).size;
}

function deckName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.ya?ml$/i, "");
}

function pathOf(path: readonly PropertyKey[]): string | undefined {
  return path.length === 0 ? undefined : path.map(String).join(".");
}

/**
 * Validates parsed deck files. Pure: the caller reads the files. Every problem is
 * reported (not just the first) with the file, the card (id, or #index when the id
 * itself is bad) and the field.
 */
export function buildDeck(sources: readonly DeckSource[]): { deck: Deck; errors: DeckError[] } {
  const errors: DeckError[] = [];
  const cards: Card[] = [];
  const decks: DeckInfo[] = [];
  const seen = new Map<string, string>();
  for (const { file, data } of sources) {
    const head = deckFileSchema.safeParse(data);
    if (!head.success) {
      for (const issue of head.error.issues) {
        errors.push({ file, field: pathOf(issue.path), message: issue.message });
      }
      continue;
    }
    const before = cards.length;
    head.data.cards.forEach((raw, index) => {
      const rawId =
        raw && typeof raw === "object" && "id" in raw && typeof raw.id === "string"
          ? raw.id
          : undefined;
      const label = rawId ?? `#${index + 1}`;
      const parsed = cardSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          errors.push({ file, card: label, field: pathOf(issue.path), message: issue.message });
        }
        return;
      }
      const card: Card = { ...parsed.data, deck: deckName(file) };
      const first = seen.get(card.id);
      if (first !== undefined) {
        errors.push({
          file,
          card: card.id,
          field: "id",
          message: `duplicate id (first defined in ${first})`,
        });
        return;
      }
      seen.set(card.id, file);
      cards.push(card);
    });
    const { title, description, order } = head.data;
    decks.push({
      name: deckName(file),
      file,
      title,
      description,
      order: order ?? 100,
      cards: cards.length - before,
    });
  }
  decks.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  return { deck: { cards, byId: new Map(cards.map((c) => [c.id, c])), decks }, errors };
}
