import type { Part, Reply } from "../../src/app/reply.js";

/** The question among a reply's parts, if it asks one. */
export function questionIn(parts: Part[] | undefined) {
  const q = parts?.find((p) => p.kind === "question");
  return q?.kind === "question" ? q.question : undefined;
}

/** A reply as one string: text parts as written, other parts by their kind. */
export const said = (r: Reply) =>
  r.parts.map((p) => (p.kind === "text" ? p.text : p.kind)).join("\n");
