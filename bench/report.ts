/** One printed figure: what, how much, in which unit, and a short note. */
export interface Figure {
  name: string;
  value: number | string;
  unit: string;
  note?: string;
}

export interface SectionReport {
  title: string;
  figures: Figure[];
  /** Free lines printed under the table (how it was measured, what limits it). */
  notes: string[];
}

const all: SectionReport[] = [];

export function allReports(): readonly SectionReport[] {
  return all;
}

/** Numbers with a sensible number of digits and thousands separators. */
export function fmt(n: number, digits?: number): string {
  if (!Number.isFinite(n)) return String(n);
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3);
  return n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** A section's table, built row by row and printed at once (markdown, so it can be pasted). */
export class Table {
  readonly report: SectionReport;

  constructor(title: string) {
    this.report = { title, figures: [], notes: [] };
    all.push(this.report);
  }

  add(name: string, value: number | string, unit: string, note?: string): this {
    this.report.figures.push({ name, value, unit, ...(note ? { note } : {}) });
    return this;
  }

  note(line: string): this {
    this.report.notes.push(line);
    return this;
  }

  print(): void {
    const rows = this.report.figures.map((f) => [
      f.name,
      typeof f.value === "number" ? fmt(f.value) : f.value,
      f.unit,
      f.note ?? "",
    ]);
    const head = ["figure", "value", "unit", "note"];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 1 ? c.padStart(width[i] ?? 0) : c.padEnd(width[i] ?? 0))).join(" | ")} |`;
    const out = [
      "",
      `## ${this.report.title}`,
      "",
      line(head),
      `|${width.map((w, i) => (i === 1 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`,
      ...rows.map(line),
    ];
    if (this.report.notes.length) out.push("", ...this.report.notes.map((n) => `- ${n}`));
    console.log(out.join("\n"));
  }
}

/** Progress lines go to stderr, so stdout is only the figures. */
export function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}
