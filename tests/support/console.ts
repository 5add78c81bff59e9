import { PassThrough } from "node:stream";
import { runConsole } from "../../adapters/console/repl.js";
import type { App } from "../../src/app/service.js";

/** Pipes `lines` into a terminal session of `learner` (UTC, clock pinned at `at`); returns what it printed. */
export async function scriptConsole(
  app: App,
  lines: string[],
  learner: string,
  at: Date,
  /** Where `export` writes its file. */
  dir?: string,
): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (d: Buffer) => {
    text += d;
  });
  const done = runConsole({
    app,
    learner,
    tz: "UTC",
    input,
    output,
    now: () => at,
    ...(dir ? { dir } : {}),
  });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return text;
}
