/**
 * The blind labelled grading set (tests/grading-set/*.jsonl): loading it and measuring
 * how often the grader agrees with the fair teacher's label, per category, with the
 * confusion matrix (expected × got). Used by the test suite and `npm run grading-report`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Deck } from "../core/deck.js";

export type Label = "right" | "typo" | "wrong";
export const LABELS: readonly Label[] = ["right", "typo", "wrong"];

export interface LabelledAnswer {
  file: string;
  card: string;
  typed: string;
  expect: Label;
  category: string;
}

export interface Evaluation {
  total: number;
  agreed: number;
  byCategory: Map<string, { total: number; agreed: number }>;
  /** confusion.get(expected).get(got) = count */
  confusion: Map<Label, Map<Label, number>>;
  misses: (LabelledAnswer & { got: Label })[];
  /** Lines naming a card that is not in the deck (skipped). */
  orphans: LabelledAnswer[];
}

export function loadGradingSet(dir: string): LabelledAnswer[] {
  const out: LabelledAnswer[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const row = JSON.parse(line) as Omit<LabelledAnswer, "file">;
      if (!LABELS.includes(row.expect))
        throw new Error(`${file}:${i + 1}: bad label ${row.expect}`);
      out.push({ file, ...row });
    });
  }
  return out;
}

export function evaluate(
  deck: Deck,
  set: readonly LabelledAnswer[],
  grade: (cardId: string, typed: string) => Label,
): Evaluation {
  const ev: Evaluation = {
    total: 0,
    agreed: 0,
    byCategory: new Map(),
    confusion: new Map(LABELS.map((l) => [l, new Map(LABELS.map((g) => [g, 0]))])),
    misses: [],
    orphans: [],
  };
  for (const row of set) {
    if (!deck.byId.has(row.card)) {
      ev.orphans.push(row);
      continue;
    }
    const got = grade(row.card, row.typed);
    const ok = got === row.expect;
    ev.total++;
    if (ok) ev.agreed++;
    else ev.misses.push({ ...row, got });
    const cat = ev.byCategory.get(row.category) ?? { total: 0, agreed: 0 };
    cat.total++;
    if (ok) cat.agreed++;
    ev.byCategory.set(row.category, cat);
    const line = ev.confusion.get(row.expect);
    line?.set(got, (line.get(got) ?? 0) + 1);
  }
  return ev;
}

const pct = (a: number, b: number) => (b === 0 ? "–" : `${((100 * a) / b).toFixed(1)}%`);

/** The table `npm run grading-report` prints (Markdown, ready for BENCHMARKS.md). */
export function formatEvaluation(ev: Evaluation): string {
  const cats = [...ev.byCategory.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const lines = [
    `Agreement with the blind labels: ${ev.agreed}/${ev.total} = ${pct(ev.agreed, ev.total)}`,
    "",
    "| category | answers | agreed | accuracy |",
    "| --- | ---: | ---: | ---: |",
    ...cats.map(([c, v]) => `| ${c} | ${v.total} | ${v.agreed} | ${pct(v.agreed, v.total)} |`),
    "",
    "| expected \\ got | right | typo | wrong |",
    "| --- | ---: | ---: | ---: |",
    ...LABELS.map(
      (e) => `| ${e} | ${LABELS.map((g) => ev.confusion.get(e)?.get(g) ?? 0).join(" | ")} |`,
    ),
  ];
  if (ev.orphans.length) lines.push("", `${ev.orphans.length} lines name cards not in the deck.`);
  return lines.join("\n");
}
