import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Part, Reply } from "../../src/app/reply.js";
import type { App, Conversation } from "../../src/app/service.js";
import type { Actor } from "../../src/app/types.js";
import { type Clock, systemClock } from "../../src/core/clock.js";
import { describeFailure, PyjsError, redisWriteRefused } from "../../src/errors.js";
import { renderReply } from "./render.js";

export interface ConsoleOptions {
  app: App;
  learner: string;
  tz: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Where an unexpected failure's details go (default stderr); the session goes on. */
  errors?: NodeJS.WritableStream;
  /** Clock for tests; defaults to the real time. */
  now?: Clock;
  /** Where `export` writes its CSV (default: the current folder). */
  dir?: string;
}

/**
 * `export` in the terminal: the review log is written as a file in `dir` and the reply
 * says where (the file's name is `pyjs-reviews-<learner>.csv`).
 */
async function saveExports(r: Reply, dir: string): Promise<Reply> {
  const saved = async (p: Part): Promise<Part> => {
    if (p.kind !== "export") return p;
    const path = resolve(dir, p.file.name);
    await writeFile(path, p.file.csv, "utf8");
    return {
      kind: "text",
      text: `Wrote your review log to ${path}: ${p.file.reviews} review(s) of ${p.file.cards} card(s), in the CSV layout the FSRS optimizer tools read (card_id,review_time,review_rating,review_state,review_duration).`,
    };
  };
  if (!r.parts.some((p) => p.kind === "export")) return r;
  return { ...r, parts: await Promise.all(r.parts.map(saved)) };
}

/** What the learner reads when a line fails: the session stays open either way. */
export function lineFailure(err: unknown): { say: string; details?: string } {
  if (redisWriteRefused(err)) return { say: "Couldn't save that — try again in a moment." };
  if (err instanceof PyjsError) return { say: `${err.message} — try again.` };
  return {
    say: "Something went wrong with that line — try again.",
    details: describeFailure(err).text,
  };
}

const broken = new WeakSet<NodeJS.WritableStream>();

/** The reader of `output` went away (EPIPE) or it was closed. */
function outputGone(output: NodeJS.WritableStream): boolean {
  const w = output as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  return broken.has(output) || Boolean(w.destroyed || w.writableEnded);
}

/**
 * The terminal adapter: each line is a message to the app (a lookup, a command, or the
 * answer to the open question); replies are printed as plain text. Works the same with
 * stdin piped, one command per line, and returns at end of input. An empty line shows
 * help; a line that fails (Redis refusing a write, say) is reported and the session goes on.
 */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const errors = opts.errors ?? process.stderr;
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const actor: Actor = { learner: opts.learner, platform: "console", tz: opts.tz };
  const now = opts.now ?? systemClock;
  const rl = createInterface({ input, terminal: interactive, ...(interactive ? { output } : {}) });
  const write = (s: string) => output.write(`${s}\n`);
  output.on("error", () => broken.add(output));
  if (interactive) {
    write('pyjs — type a term (pip, venv, npx…), "quiz", "stats", "help"; Ctrl-D to leave.');
    rl.setPrompt("> ");
    rl.prompt();
  }
  // The question this session shows (another session of the same learner may move on).
  const conversation: Conversation = {};
  // `forget me` asks for a button press on chat platforms; here the button is typing "yes".
  let confirmingForget = false;
  const handle = async (line: string): Promise<Reply> => {
    const confirmed = confirmingForget && line.trim().toLowerCase() === "yes";
    if (!confirmed) return opts.app.handleMessage(actor, line, now(), { conversation });
    conversation.promptId = undefined;
    return opts.app.handleAction(actor, { type: "forget-confirm" }, now());
  };
  for await (const line of rl) {
    if (outputGone(output)) break;
    try {
      const r = await saveExports(await handle(line), opts.dir ?? process.cwd());
      confirmingForget = r.parts.some((p) => p.kind === "confirm-forget");
      const shown = renderReply(r, opts.tz);
      if (shown) write(shown);
    } catch (err) {
      // The reader went away (`pyjs start | head -1`): the process is closing; say nothing.
      if (outputGone(output)) break;
      confirmingForget = false;
      const failure = lineFailure(err);
      if (failure.details) errors.write(`${failure.details}\n`);
      write(failure.say);
    }
    if (interactive) rl.prompt();
  }
}
