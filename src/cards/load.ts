import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse, YAMLParseError } from "yaml";
import {
  buildDeck,
  type Deck,
  type DeckError,
  type DeckSource,
  emptyDeck,
  formatDeckError,
} from "../core/deck.js";
import { DeckLoadError } from "../errors.js";

export { DeckLoadError };

/** Reads every `*.yaml`/`*.yml` in `dir` (one deck a file) and validates them together. */
export function readDecks(dir: string): { deck: Deck; errors: DeckError[] } {
  const shown = (f: string) => relative(process.cwd(), f) || f;
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) {
      return {
        deck: emptyDeck(),
        errors: [{ file: shown(dir), message: "not a directory" }],
      };
    }
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch (err) {
    return {
      deck: emptyDeck(),
      errors: [{ file: shown(dir), message: `cannot read: ${(err as Error).message}` }],
    };
  }
  const errors: DeckError[] = [];
  const sources: DeckSource[] = [];
  for (const file of files) {
    try {
      sources.push({ file: shown(file), data: parse(readFileSync(file, "utf8")) });
    } catch (err) {
      const where =
        err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : "";
      errors.push({
        file: shown(file),
        message: `not valid YAML${where}: ${(err as Error).message.split("\n")[0]}`,
      });
    }
  }
  if (files.length === 0) errors.push({ file: shown(dir), message: "no .yaml deck files found" });
  const built = buildDeck(sources);
  return { deck: built.deck, errors: [...errors, ...built.errors] };
}

/** Like `readDecks` but throws on any error (start-up uses this). */
export function loadDecks(dir: string): Deck {
  const { deck, errors } = readDecks(dir);
  if (errors.length > 0) throw new DeckLoadError(errors.map(formatDeckError));
  return deck;
}
