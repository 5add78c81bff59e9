import { describe, expect, it } from "vitest";
import { buildGlossary, complete, lookup } from "../src/core/lookup.js";
import { bundledDeck } from "./support/app.js";

const glossary = buildGlossary(bundledDeck());
const termsOf = (q: string) => {
  const r = lookup(glossary, q);
  return r.found ? r.entries.map((e) => e.term) : [];
};

describe("glossary lookup", () => {
  it("finds a Python term, ignoring case, spaces and punctuation", () => {
    expect(termsOf("pipx")).toEqual(["pipx"]);
    expect(termsOf("  PipX ")).toEqual(["pipx"]);
    expect(termsOf("requirements txt")).toEqual(["requirements.txt"]);
    expect(termsOf("Poetry-Lock")).toEqual(["poetry.lock"]);
  });

  it("finds the Python term from its JS equivalent", () => {
    expect(termsOf("npm")).toContain("pip");
    expect(termsOf("npx")).toContain("pipx");
    expect(termsOf("node_modules")).toContain("venv");
  });

  it("finds a term by alias", () => {
    const withAlias = bundledDeck().cards.find((c) => c.aliases.length > 0);
    expect(withAlias).toBeDefined();
    if (withAlias) expect(termsOf(withAlias.aliases[0] as string)).toContain(withAlias.term);
  });

  it("offers up to three suggestions for a typo", () => {
    const r = lookup(glossary, "gunicron");
    expect(r.found).toBe(false);
    if (!r.found) {
      expect(r.suggestions[0]).toBe("gunicorn");
      expect(r.suggestions.length).toBeLessThanOrEqual(3);
    }
  });

  it("has no suggestion for nonsense and echoes a bounded query", () => {
    const r = lookup(glossary, `zzqqxxvv${"y".repeat(10_000)}`);
    expect(r.found).toBe(false);
    if (!r.found) {
      expect(r.suggestions).toEqual([]);
      expect(r.query.length).toBeLessThanOrEqual(200);
    }
  });

  it("gives each entry its JS equivalent, a docs link and related terms", () => {
    const r = lookup(glossary, "pip");
    expect(r.found).toBe(true);
    if (r.found) {
      const [e] = r.entries;
      expect(e?.js).toBe("npm");
      expect(e?.link).toMatch(/^https:\/\//);
      expect(e?.related.length).toBeGreaterThan(0);
    }
  });

  it("completes partial input", () => {
    expect(complete(glossary, "gun")).toContain("gunicorn");
    expect(complete(glossary, "").length).toBeLessThanOrEqual(25);
  });
});
