/** `npm run grading-report`: the grader against the blind labelled set, per category. */

import { evaluate, formatEvaluation, loadGradingSet } from "../src/cards/grading-set.js";
import { loadDecks } from "../src/cards/load.js";
import { BUNDLED_CARDS_DIR } from "../src/config.js";
import { Grader } from "../src/core/grading.js";

const deck = loadDecks(process.env.CARDS_DIR ?? BUNDLED_CARDS_DIR);
const grader = new Grader(deck);
const ev = evaluate(deck, loadGradingSet("tests/grading-set"), (id, typed) =>
  grader.label(id, typed),
);
console.log(formatEvaluation(ev));
if (process.argv.includes("--misses")) {
  for (const m of ev.misses)
    console.log(
      `${m.category}\t${m.card}\t${JSON.stringify(m.typed)}\texpected ${m.expect}, got ${m.got}`,
    );
}
