#!/usr/bin/env node
import { userInfo } from "node:os";
import { resolve } from "node:path";
import { renderReply } from "../adapters/console/render.js";
import { runConsole } from "../adapters/console/repl.js";
import { readDecks } from "./cards/load.js";
import { ConfigError, type Env, loadConfig } from "./config.js";
import { formatDeckError } from "./core/deck.js";
import { isTimeZone } from "./core/grammar.js";
import { buildGlossary, lookup } from "./core/lookup.js";
import { createLogger, type Logger } from "./logger.js";
import { RedisNotInstalledError } from "./redis/local-server.js";
import { startRuntime } from "./runtime.js";

const HELP = `pyjs — spaced-repetition flashcards that teach JavaScript developers the Python ecosystem

Usage:
  pyjs start                  run the bot (Slack/Discord from the environment, else the terminal quiz)
  pyjs lookup <term>          print a glossary entry (exit 1 with suggestions when unknown)
  pyjs cards check [dir]      validate card decks (default: CARDS_DIR or the bundled cards/)
  pyjs help                   this text

Environment: see README.md (REDIS_URL, PORT, LOG_LEVEL, CARDS_DIR, SLACK_*, DISCORD_*, PYJS_*).`;

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

function cardsCheck(dir: string): number {
  const { deck, errors } = readDecks(dir);
  for (const e of errors) process.stderr.write(`${formatDeckError(e)}\n`);
  if (errors.length > 0) {
    process.stderr.write(`${errors.length} problem${errors.length === 1 ? "" : "s"} found.\n`);
    return 1;
  }
  out(`${deck.cards.length} cards OK in ${dir}`);
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

function localZone(env: Env): string {
  const tz = env.PYJS_TZ ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return tz && isTimeZone(tz) ? tz : "UTC";
}

async function start(env: Env, log: Logger): Promise<number> {
  const rt = await startRuntime(env, log);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await rt.close();
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (closing) process.exit(130);
    log.info({ signal: sig }, "shutting down");
    void close().then(() => process.exit(0));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const name = env.PYJS_USER ?? userInfo().username ?? "me";
    await runConsole({ app: rt.app, learner: `console:${name}`, tz: localZone(env) });
  } finally {
    await close();
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  let env: Env;
  try {
    env = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  switch (cmd) {
    case "lookup":
      if (args.length === 0) {
        process.stderr.write("usage: pyjs lookup <term>\n");
        return 2;
      }
      return lookupCommand(env, args.join(" "));
    case "cards":
      if (args[0] !== "check") break;
      return cardsCheck(resolve(args[1] ?? env.CARDS_DIR));
    case "start": {
      const log = createLogger(env.LOG_LEVEL);
      try {
        return await start(env, log);
      } catch (err) {
        if (err instanceof RedisNotInstalledError) {
          process.stderr.write(`${err.message}\n`);
          return 1;
        }
        throw err;
      }
    }
    case undefined:
    case "help":
    case "--help":
    case "-h":
      out(HELP);
      return 0;
  }
  process.stderr.write(`unknown command: ${argv.join(" ")}\n\n${HELP}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
