/** Text helpers shared by lookup and grading. Pure. */

/** Longest text we ever look at; anything longer is cut before any work is done on it. */
export const MAX_INPUT = 200;

/** Bidi overrides, embeddings and isolates (and the marks): they reorder what is shown. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]+/g;

/** Cuts over-long input and removes control characters and bidi overrides (keeps it printable). */
export function bound(input: string, max = MAX_INPUT): string {
  const clean = input.replace(BIDI, "").replace(CONTROLS, " ");
  return clean.length > max ? clean.slice(0, max) : clean;
}

/**
 * Text safe to print on a terminal: C0 controls (but tab and newline), DEL, C1
 * controls (escape sequences: clear screen, clipboard writes) and bidi overrides removed.
 */
export function printable(text: string): string {
  return text.replace(BIDI, "").replace(CONTROLS_BUT_LINES, "");
}

/**
 * A lookup key: lowercase, accents folded, every non-alphanumeric dropped, so
 * "Node_Modules", "node modules" and "node-modules" are one key.
 */
export function termKey(input: string): string {
  return bound(input)
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Optimal-string-alignment Damerau–Levenshtein distance, giving up above `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
