#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { renderReply } from "../../adapters/console/render.js";
import { discordRegister } from "../../adapters/discord/commands.js";
import { printSlackManifest } from "../../adapters/slack/manifest.js";
import { readDecks } from "../cards/load.js";
import { type Env, loadConfig } from "../config.js";
import { conceptCount, formatDeckError } from "../core/deck.js";
import { buildGlossary, lookup } from "../core/lookup.js";
import { sharedAnswerErrors } from "../core/shared-answers.js";
import { describeFailure, UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { exportCommand } from "./export.js";
import { start, worker } from "./process.js";
import { printProposals } from "./proposals.js";
import { reencrypt } from "./reencrypt.js";
import { statsCommand } from "./stats-png.js";

const HELP = `pyjs — spaced-repetition flashcards that teach JavaScript developers the Python ecosystem

Usage:
  pyjs start                  run the bot (Slack/Discord from the environment, else the terminal quiz)
  pyjs worker                 run only the job workers (daily deliveries, weekly boards), to scale out
  pyjs lookup <term>          print a glossary entry (exit 1 with suggestions when unknown)
  pyjs cards check [dir]      validate card decks (default: CARDS_DIR or the bundled cards/)
  pyjs cards proposals [--team ID]
                              answers learners said were right, ready for a deck's accept list
  pyjs slack manifest [--url https://host [--oauth]] [--json]
                              print the Slack app manifest (Socket Mode without --url)
  pyjs slack reencrypt        seal every Slack installation again with PYJS_ENCRYPTION_KEY
  pyjs discord register [--guild ID]
                              register the /pyjs command (a guild for development, else global)
  pyjs stats --png FILE --learner ID
                              write a learner's stats charts (calendar, forecast, retention) as one PNG
  pyjs export --learner ID > reviews.csv
                              a learner's review log as CSV for the FSRS optimizer tools
  pyjs help                   this text (also: pyjs <command> --help)
  pyjs --version              the installed version

Environment: see README.md (REDIS_URL, PORT, LOG_LEVEL, CARDS_DIR, SLACK_*, DISCORD_*, PYJS_*).`;

const LOOKUP_USAGE = "usage: pyjs lookup <term>";

/** The package's version, from the package.json above this file (sources or dist/). */
export function version(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "pyjs" && pkg.version) return pkg.version;
    } catch {
      // not at this depth: try the next one
    }
  }
  return "unknown";
}

const wantsHelp = (args: string[]) => args.some((a) => a === "--help" || a === "-h");

/** `pyjs <command> --help` prints help and runs nothing (`lookup --help` its usage). */
function helpFor(cmd: string | undefined): number {
  out(cmd === "lookup" ? LOOKUP_USAGE : HELP);
  return 0;
}

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

function cardsCheck(dir: string): number {
  const read = readDecks(dir);
  const deck = read.deck;
  // The content gates run on decks that load; a load error already fails the check.
  const errors = read.errors.length > 0 ? read.errors : sharedAnswerErrors(deck);
  for (const e of errors) process.stderr.write(`${formatDeckError(e)}\n`);
  if (errors.length > 0) {
    process.stderr.write(`${errors.length} problem${errors.length === 1 ? "" : "s"} found.\n`);
    return 1;
  }
  out(`${deck.cards.length} cards OK in ${dir}`);
  out(`${deck.decks.length} decks, ${conceptCount(deck)} concepts, ${deck.cards.length} cards`);
  return 0;
}

function lookupCommand(env: Env, term: string): number {
  const { deck, errors } = readDecks(env.CARDS_DIR);
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(`${formatDeckError(e)}\n`);
    return 2;
  }
  const result = lookup(buildGlossary(deck), term);
  if (result.found) {
    out(renderReply({ parts: [{ kind: "lookup", entries: result.entries }] }));
    return 0;
  }
  out(
    renderReply({
      parts: [{ kind: "unknown", query: result.query, suggestions: result.suggestions }],
    }),
  );
  return 1;
}

/** Argument errors thrown by a command's parser become usage errors (exit 2, no stack). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function run(cmd: string | undefined, args: string[], env: Env): Promise<number | undefined> {
  if (cmd && wantsHelp(args)) return helpFor(cmd);
  switch (cmd) {
    case "--version":
    case "-v":
    case "version":
      out(version());
      return 0;
    case "lookup":
      if (args.length === 0) {
        process.stderr.write(`${LOOKUP_USAGE}\n`);
        return 2;
      }
      return lookupCommand(env, args.join(" "));
    case "cards":
      if (args[0] === "proposals") return printProposals(env, args.slice(1));
      return args[0] === "check" ? cardsCheck(resolve(args[1] ?? env.CARDS_DIR)) : undefined;
    case "start":
    case "worker": {
      const log = createLogger(env.LOG_LEVEL);
      return cmd === "start" ? start(env, log) : worker(env, log);
    }
    case "slack":
      if (args[0] === "reencrypt") return reencrypt(env, args.slice(1));
      if (args[0] !== "manifest") return undefined;
      out(usage(() => printSlackManifest(args.slice(1))).trimEnd());
      return 0;
    case "stats":
      return statsCommand(args, env);
    case "export":
      return exportCommand(args, env);
    case "discord":
      return args[0] === "register" ? discordRegister(args.slice(1), env) : undefined;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      out(HELP);
      return 0;
  }
  return undefined;
}

/** Runs one command. The one catch site: expected failures print their message, bugs a stack. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  try {
    const code = await run(cmd, args, loadConfig());
    if (code !== undefined) return code;
  } catch (err) {
    const { text, exitCode } = describeFailure(err);
    process.stderr.write(`${text}\n`);
    return exitCode;
  }
  process.stderr.write(`unknown command: ${argv.join(" ")}\n\n${HELP}\n`);
  return 2;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
