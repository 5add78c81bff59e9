import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/** Paths whose values never reach a log line. */
export const REDACT = [
  "token",
  "*.token",
  "*.*.token",
  "botToken",
  "*.botToken",
  "signingSecret",
  "*.signingSecret",
  "appToken",
  "*.appToken",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
  "*.headers['x-slack-signature']",
  "password",
  "*.password",
  "env.SLACK_BOT_TOKEN",
  "env.SLACK_SIGNING_SECRET",
  "env.SLACK_APP_TOKEN",
  "env.SLACK_CLIENT_SECRET",
  "env.SLACK_STATE_SECRET",
  "env.PYJS_ENCRYPTION_KEY",
  "env.PYJS_ENCRYPTION_KEY_OLD",
  "refreshToken",
  "*.refreshToken",
  "*.*.refreshToken",
  "clientSecret",
  "*.clientSecret",
  "sealed",
  "*.sealed",
  "env.DISCORD_TOKEN",
  "env.REDIS_URL",
];

/**
 * JSON on stderr in production; pretty on a terminal (unless NODE_ENV=production).
 * stdout stays free for command output (the terminal quiz, `pyjs lookup`).
 */
export function createLogger(
  level: string,
  opts: { pretty?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const pretty =
    !opts.destination &&
    (opts.pretty ?? (process.stderr.isTTY && process.env.NODE_ENV !== "production"));
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: "[redacted]" },
      ...(pretty
        ? { transport: { target: "pino-pretty", options: { colorize: true, destination: 2 } } }
        : {}),
    },
    pretty ? undefined : (opts.destination ?? pino.destination({ dest: 2, sync: true })),
  );
}

const gates = new WeakMap<Logger, Map<string, { until: number; repeats: number }>>();

/**
 * Logs a background error (a BullMQ queue or worker losing Redis) as one JSON line, then
 * silences the same message for `windowMs` from every source on this logger, so an
 * outage writes a line a minute rather than hundreds (with the count it silenced).
 */
export function logErrorOnce(log: Logger, source: string, err: Error, windowMs = 60_000): void {
  let gate = gates.get(log);
  if (!gate) {
    gate = new Map();
    gates.set(log, gate);
  }
  const now = Date.now();
  const seen = gate.get(err.message);
  if (seen && now < seen.until) {
    seen.repeats++;
    return;
  }
  const repeats = seen?.repeats ?? 0;
  log.warn(
    { source, err: err.message, ...(repeats > 0 ? { repeats } : {}) },
    "background error (the same error is logged at most once a minute)",
  );
  gate.set(err.message, { until: now + windowMs, repeats: 0 });
}

/** Routes an emitter's `error` events (BullMQ Queue/Worker/QueueEvents) through `logErrorOnce`. */
export function routeErrors(
  emitter: { on(event: "error", fn: (err: Error) => void): unknown },
  source: string,
  log: Logger | undefined,
): void {
  emitter.on("error", (err) => {
    if (log) logErrorOnce(log, source, err);
  });
}
