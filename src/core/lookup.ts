import type { Card, Deck } from "./deck.js";
import { bound, editDistance, termKey } from "./text.js";

/** What `/pyjs <term>` shows: one glossary term gathered from its cards. */
export interface GlossaryEntry {
  term: string;
  js?: string | undefined;
  aliases: string[];
  explain: string;
  link: string;
  tags: string[];
  cardIds: string[];
  related: string[];
}

export interface Glossary {
  entries: GlossaryEntry[];
  /** termKey -> entries (a JS name can map to several Python terms). */
  index: Map<string, GlossaryEntry[]>;
  /** Every name people may type, for suggestions and autocomplete. */
  names: { name: string; key: string; entry: GlossaryEntry }[];
}

export type LookupResult =
  | { found: true; entries: GlossaryEntry[] }
  | { found: false; query: string; suggestions: string[] };

const MAX_RELATED = 4;

export function buildGlossary(deck: Deck): Glossary {
  const byTerm = new Map<string, { entry: GlossaryEntry; cards: Card[] }>();
  for (const card of deck.cards) {
    const key = termKey(card.term);
    let slot = byTerm.get(key);
    if (!slot) {
      slot = {
        entry: {
          term: card.term,
          js: card.js,
          aliases: [],
          explain: card.explain,
          link: card.link,
          tags: [],
          cardIds: [],
          related: [],
        },
        cards: [],
      };
      byTerm.set(key, slot);
    }
    const { entry } = slot;
    slot.cards.push(card);
    entry.cardIds.push(card.id);
    entry.js ??= card.js;
    for (const a of card.aliases) if (!entry.aliases.includes(a)) entry.aliases.push(a);
    for (const t of card.tags) if (!entry.tags.includes(t)) entry.tags.push(t);
  }
  const entries = [...byTerm.values()].map((s) => s.entry);
  setRelated(entries);
  const index = new Map<string, GlossaryEntry[]>();
  const names: Glossary["names"] = [];
  const add = (name: string, entry: GlossaryEntry) => {
    const key = termKey(name);
    if (!key) return;
    const list = index.get(key) ?? [];
    // Each (key, entry) pair once, in the index and in `names` alike.
    if (list.includes(entry)) return;
    list.push(entry);
    index.set(key, list);
    names.push({ name, key, entry });
  };
  // Python terms first, so an exact term match outranks a JS name that collides.
  for (const e of entries) add(e.term, e);
  for (const e of entries) for (const a of e.aliases) add(a, e);
  for (const e of entries) if (e.js) for (const part of splitJs(e.js)) add(part, e);
  return { entries, index, names };
}

/** Entries with the same set of tags: they have the same related terms. */
interface TagGroup {
  tags: string[];
  /** Indexes into the entries, ascending. */
  members: number[];
}

function tagGroups(entries: readonly GlossaryEntry[]): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  entries.forEach((e, i) => {
    const tags = [...new Set(e.tags)].sort();
    const sig = tags.join("\n");
    const g = groups.get(sig) ?? { tags, members: [] };
    g.members.push(i);
    groups.set(sig, g);
  });
  return [...groups.values()];
}

/** The best related entries for a group: most shared tags first, then deck order. */
function groupCandidates(g: TagGroup, byTag: Map<string, TagGroup[]>): number[] {
  const shared = new Map<TagGroup, number>();
  for (const t of g.tags) {
    for (const o of byTag.get(t) ?? []) shared.set(o, (shared.get(o) ?? 0) + 1);
  }
  const candidates: { index: number; score: number }[] = [];
  for (const [o, score] of shared) {
    // One more than needed: a member must not list itself.
    for (const index of o.members.slice(0, MAX_RELATED + 1)) candidates.push({ index, score });
  }
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  return candidates.slice(0, MAX_RELATED + 1).map((c) => c.index);
}

/**
 * Sets each entry's `related`: up to MAX_RELATED other terms sharing the most tags (ties
 * in deck order). Works on groups of entries with equal tag sets, so a deck of thousands
 * of cards with a few hundred tag combinations costs milliseconds, not a pairwise pass.
 */
function setRelated(entries: GlossaryEntry[]): void {
  const groups = tagGroups(entries);
  const byTag = new Map<string, TagGroup[]>();
  for (const g of groups) {
    for (const t of g.tags) {
      const list = byTag.get(t);
      if (list) list.push(g);
      else byTag.set(t, [g]);
    }
  }
  for (const g of groups) {
    const best = groupCandidates(g, byTag);
    for (const member of g.members) {
      const entry = entries[member];
      if (!entry) continue;
      entry.related = best
        .filter((i) => i !== member)
        .slice(0, MAX_RELATED)
        .map((i) => entries[i]?.term ?? "");
    }
  }
}

/** "yarn/pnpm" and "yarn or pnpm" both name two JS tools. */
function splitJs(js: string): string[] {
  const parts = js.split(/\s*(?:\/|,|\bor\b)\s*/).filter(Boolean);
  return parts.length > 1 ? [js, ...parts] : [js];
}

export function lookup(glossary: Glossary, query: string): LookupResult {
  const shown = bound(query).trim();
  const key = termKey(shown);
  const hit = key ? glossary.index.get(key) : undefined;
  if (hit && hit.length > 0) return { found: true, entries: hit };
  return { found: false, query: shown, suggestions: suggest(glossary, key, 3) };
}

/** Up to `limit` names close to the key: prefix matches first, then by edit distance. */
export function suggest(glossary: Glossary, key: string, limit: number): string[] {
  if (!key) return [];
  const max = Math.max(2, Math.floor(key.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const n of glossary.names) {
    let score: number;
    if (n.key.startsWith(key) || key.startsWith(n.key)) score = 0.5;
    else score = editDistance(key, n.key, max);
    if (score <= max) scored.push({ name: n.entry.term, score });
  }
  scored.sort((a, b) => a.score - b.score);
  const out: string[] = [];
  for (const s of scored) {
    if (!out.includes(s.name)) out.push(s.name);
    if (out.length === limit) break;
  }
  return out;
}

/** Names that start with (or contain) what was typed so far, for autocomplete. */
export function complete(glossary: Glossary, partial: string, limit = 25): string[] {
  const key = termKey(partial);
  const starts: string[] = [];
  const contains: string[] = [];
  for (const n of glossary.names) {
    if (!key || n.key.startsWith(key)) starts.push(n.name);
    else if (n.key.includes(key)) contains.push(n.name);
  }
  return [...new Set([...starts, ...contains])].slice(0, limit);
}
