import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Cluster, Redis } from "ioredis";

/**
 * The Lua scripts in `src/store/lua/`, each defined once per connection as an ioredis
 * command (EVALSHA, falling back to EVAL after a script flush). Every key a script
 * touches is passed in KEYS; each file's header says what KEYS, ARGV and the reply are.
 * `numberOfKeys` undefined: the key count varies, and the caller passes it first.
 */
export const SCRIPTS = {
  pyjsApplyReview: { file: "apply-review.lua", numberOfKeys: undefined },
  pyjsApplyBoard: { file: "apply-board.lua", numberOfKeys: 3 },
  pyjsReadSnapshot: { file: "read-snapshot.lua", numberOfKeys: 6 },
  pyjsClearCurrent: { file: "clear-current.lua", numberOfKeys: 1 },
  pyjsRevealPrompt: { file: "reveal-prompt.lua", numberOfKeys: 1 },
  pyjsSetPromptRef: { file: "set-prompt-ref.lua", numberOfKeys: 1 },
  pyjsOpenPrompt: { file: "open-prompt.lua", numberOfKeys: 3 },
  pyjsAdvanceSchedule: { file: "advance-schedule.lua", numberOfKeys: 1 },
  pyjsCaptureReview: { file: "capture-review.lua", numberOfKeys: undefined },
  pyjsUndoReview: { file: "undo-review.lua", numberOfKeys: undefined },
  pyjsResealInstall: { file: "reseal-install.lua", numberOfKeys: 1 },
  pyjsTakeRate: { file: "take-rate.lua", numberOfKeys: undefined },
} as const satisfies Record<string, { file: string; numberOfKeys: number | undefined }>;

export type ScriptName = keyof typeof SCRIPTS;

type Arg = string | number;

/** The commands the scripts add to a connection (replies as Redis sends them). */
export interface ScriptCommands {
  pyjsApplyReview(numberOfKeys: number, ...keysAndArgs: Arg[]): Promise<string[]>;
  pyjsApplyBoard(target: string, marker: string, prior: string, ...args: Arg[]): Promise<number>;
  pyjsReadSnapshot(...keysAndArgs: Arg[]): Promise<[string, ...unknown[]]>;
  pyjsClearCurrent(key: string, promptId: string): Promise<number>;
  pyjsRevealPrompt(key: string): Promise<number>;
  pyjsSetPromptRef(key: string, ref: string): Promise<number>;
  pyjsOpenPrompt(prompt: string, current: string, learner: string, ...args: Arg[]): Promise<number>;
  pyjsAdvanceSchedule(key: string, movesJson: string): Promise<number>;
  pyjsUndoReview(numberOfKeys: number, ...keysAndArgs: Arg[]): Promise<string[]>;
  pyjsResealInstall(key: string, was: string, sealed: string, keyId: string): Promise<number>;
  pyjsTakeRate(numberOfKeys: number, ...keysAndArgs: Arg[]): Promise<[number, number]>;
}

/** The scripts queued in a MULTI (replies come back from `exec`). */
export interface ScriptChain {
  pyjsCaptureReview(numberOfKeys: number, ...keysAndArgs: Arg[]): ScriptChain;
  pyjsApplyReview(numberOfKeys: number, ...keysAndArgs: Arg[]): ScriptChain;
  exec(): Promise<[Error | null, unknown][] | null>;
}

export type ScriptedRedis<R extends Redis | Cluster = Redis> = R & ScriptCommands;

/**
 * The folder holding the .lua files: next to this module (src/ under tsx, dist/ after
 * `npm run build`, which copies them), else the package's own src/store/lua (a bare
 * `tsc` build that did not copy them).
 */
export function luaDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, "lua")];
  for (let dir = here; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) {
      candidates.push(join(dir, "src", "store", "lua"));
      break;
    }
  }
  const found = candidates.find((d) => existsSync(join(d, SCRIPTS.pyjsApplyReview.file)));
  if (!found) throw new Error(`pyjs Lua scripts not found in ${candidates.join(" or ")}`);
  return found;
}

let sources: Map<ScriptName, string> | undefined;

/** Each script's source, read from disk once per process. */
export function scriptSources(): Map<ScriptName, string> {
  if (!sources) {
    const dir = luaDir();
    sources = new Map(
      Object.entries(SCRIPTS).map(([name, s]) => [
        name as ScriptName,
        readFileSync(join(dir, s.file), "utf8"),
      ]),
    );
  }
  return sources;
}

/** Defines every script on `redis` (once per connection) and returns it typed. */
export function withScripts<R extends Redis | Cluster>(redis: R): ScriptedRedis<R> {
  for (const [name, lua] of scriptSources()) {
    if (name in redis) continue;
    const { numberOfKeys } = SCRIPTS[name];
    redis.defineCommand(name, numberOfKeys === undefined ? { lua } : { lua, numberOfKeys });
  }
  return redis as ScriptedRedis<R>;
}
