import type { Part } from "../../../src/app/reply.js";
import { confirmForget, exported, forgotten, sentToDm } from "./account.js";
import type { Block, RenderContext, Renderer } from "./kit.js";
import { leaderboard, stats, teamLeeches, topics } from "./progress.js";
import { expired, greeting, leech, question, result, reveal, summary } from "./quiz.js";
import { help, lookup, text, unknown, usage } from "./reference.js";

/** One renderer per reply-part kind; a new kind does not compile until it has one. */
const renderers: { [K in Part["kind"]]: Renderer<K> } = {
  text,
  help,
  usage,
  lookup,
  unknown,
  question,
  reveal,
  result,
  leech,
  summary,
  stats,
  greeting,
  leaderboard,
  "confirm-forget": confirmForget,
  forgotten,
  "sent-to-dm": sentToDm,
  expired,
  export: exported,
  "team-leeches": teamLeeches,
  topics,
};

/** One reply part as Block Kit blocks. All user and card text is escaped here. */
export function renderPart(part: Part, ctx: RenderContext): Block[] {
  // The table pairs each kind with its renderer; TypeScript cannot follow that through
  // an index by a union, so the lookup is widened once here.
  const render = renderers[part.kind] as (part: Part, ctx: RenderContext) => Block[];
  return render(part, ctx);
}
