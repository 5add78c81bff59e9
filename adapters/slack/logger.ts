import { inspect } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../src/logger.js";

type Level = "debug" | "info" | "warn" | "error";

/** Bolt's level for the most detailed one pino has enabled. */
function levelOf(log: Logger): LogLevel {
  if (log.isLevelEnabled("debug")) return LogLevel.DEBUG;
  if (log.isLevelEnabled("info")) return LogLevel.INFO;
  if (log.isLevelEnabled("warn")) return LogLevel.WARN;
  return LogLevel.ERROR;
}

/** One Bolt log method: an Error among the arguments becomes pino's `err`, the rest text. */
function writer(log: Logger, level: Level) {
  return (...msg: unknown[]): void => {
    if (!log.isLevelEnabled(level)) return;
    const err = msg.find((m): m is Error => m instanceof Error);
    const text = msg
      .filter((m) => !(m instanceof Error))
      .map((m) => (typeof m === "string" ? m : inspect(m, { depth: 3, breakLength: Infinity })))
      .join(" ");
    log[level](err ? { err } : {}, text || err?.message || "");
  };
}

/** Bolt and the web client log through pino (which redacts secrets), at pino's level. */
export function boltLogger(log: Logger): BoltLogger {
  return {
    debug: writer(log, "debug"),
    info: writer(log, "info"),
    warn: writer(log, "warn"),
    error: writer(log, "error"),
    setLevel: () => {},
    setName: () => {},
    getLevel: () => levelOf(log),
  };
}
