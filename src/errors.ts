/**
 * The one error family. Every failure pyjs expects to meet is a `PyjsError` with a
 * stable `code` and the exit code a command should end with; the CLI has one catch
 * site that prints `message` (no stack) for these and a stack only for bugs.
 */
export class PyjsError extends Error {
  /** Exit code for the CLI when this error ends a command. */
  readonly exitCode: number;

  constructor(
    readonly code: string,
    message: string,
    opts: { exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** A bad environment variable (or several): exit 2, like a usage error. */
export class ConfigError extends PyjsError {
  constructor(readonly problems: string[]) {
    super("config", `Bad configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`, {
      exitCode: 2,
    });
  }
}

/** A command line that cannot be run as written: exit 2 with the reason and the usage. */
export class UsageError extends PyjsError {
  constructor(message: string) {
    super("usage", message, { exitCode: 2 });
  }
}

/** Card decks that do not validate; `problems` are already formatted (file: card: field: message). */
export class DeckLoadError extends PyjsError {
  constructor(readonly problems: string[]) {
    super(
      "deck",
      `Invalid cards:\n${problems.map((p) => `  ${p}`).join("\n")}\n${problems.length} problem${problems.length === 1 ? "" : "s"} found.`,
      { exitCode: 2 },
    );
  }
}

/** Redis missing, unreachable or refusing writes. */
export class RedisError extends PyjsError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { exitCode: 1, cause });
  }
}

/**
 * A failed delivery. `permanent` ones (user gone, DMs closed, token revoked, channel
 * not postable) are not retried: the subscription or post is paused instead.
 */
export class DeliveryError extends PyjsError {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The platform's own error code (`channel_not_found`, `50007`…), when it gave one. */
    code?: string,
  ) {
    super(code ?? "delivery_failed", message);
  }
}

/**
 * A request that must wait: the shared rate budget is spent (pyjs's own count, before
 * sending) or the platform answered 429 (`fromPlatform`, with its Retry-After). The
 * delivery job is put back for `retryAfterMs`, not failed: nothing was sent. `shared`:
 * the budget is the workspace's or bot's (every job must wait), not one channel's.
 */
export class RateLimitedError extends DeliveryError {
  constructor(
    readonly retryAfterMs: number,
    readonly shared: boolean,
    readonly fromPlatform: boolean,
    what: string,
  ) {
    super(
      `${what}: rate limited${fromPlatform ? " by the platform" : ""}, retry in ${retryAfterMs} ms`,
      false,
      "ratelimited",
    );
  }
}

/** The message to print for an error that ends a command: no stack for expected ones. */
export function describeFailure(err: unknown): { text: string; exitCode: number } {
  if (err instanceof PyjsError) return { text: err.message, exitCode: err.exitCode };
  if (err instanceof Error) return { text: err.stack ?? err.message, exitCode: 1 };
  return { text: String(err), exitCode: 1 };
}

/** Redis replies that refuse a write: full disk, maxmemory, a read-only replica. */
const WRITE_REFUSED = /^(?:MISCONF|OOM|EXECABORT|READONLY|NOREPLICAS|NOTENOUGHREPLICAS)\b/;

/**
 * The error as a `RedisError` with code `redis_write_refused` when Redis refused a write
 * (nothing was saved; trying again later may work), else undefined.
 */
export function redisWriteRefused(err: unknown): RedisError | undefined {
  if (err instanceof RedisError) return err.code === "redis_write_refused" ? err : undefined;
  if (!(err instanceof Error) || !WRITE_REFUSED.test(err.message)) return undefined;
  const reason = err.message.split("\n")[0] ?? "";
  return new RedisError("redis_write_refused", `Redis refused a write: ${reason}`, err);
}
