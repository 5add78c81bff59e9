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
