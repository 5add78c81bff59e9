import { createInterface } from "node:readline";
import type { Reply } from "../../src/app/reply.js";
import type { App } from "../../src/app/service.js";
import type { Actor } from "../../src/app/types.js";
import { renderReply } from "./render.js";

export interface ConsoleOptions {
  app: App;
  learner: string;
  tz: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Clock for tests; defaults to the real time. */
  now?: () => Date;
}

/**
 * The terminal adapter: each line is a message to the app (a lookup, a command, or the
 * answer to the open question); replies are printed as plain text. Works the same with
 * stdin piped, one command per line, and returns at end of input.
 */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const actor: Actor = { learner: opts.learner, platform: "console", tz: opts.tz };
  const now = opts.now ?? (() => new Date());
  await opts.app.resetConversation(actor);
  const rl = createInterface({ input, terminal: interactive, ...(interactive ? { output } : {}) });
  const write = (s: string) => output.write(`${s}\n`);
  if (interactive) {
    write('pyjs — type a term (pip, venv, npx…), "quiz", "stats", "help"; Ctrl-D to leave.');
    rl.setPrompt("> ");
    rl.prompt();
  }
  // `forget me` asks for a button press on chat platforms; here the button is typing "yes".
  let confirmingForget = false;
  for await (const line of rl) {
    if (line.trim()) {
      const confirmed = confirmingForget && line.trim().toLowerCase() === "yes";
      const r: Reply = confirmed
        ? await opts.app.handleAction(actor, { type: "forget-confirm" }, now())
        : await opts.app.handleMessage(actor, line, now());
      confirmingForget = r.parts.some((p) => p.kind === "confirm-forget");
      const shown = renderReply(r, opts.tz);
      if (shown) write(shown);
    }
    if (interactive) rl.prompt();
  }
}
