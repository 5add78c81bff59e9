/** Something with pino's `warn(obj, msg)` shape; the real logger or a test double. */
export interface WarnLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Runs a chart render; on any error logs a warning and returns undefined, never throws
 * (not even if the logger does). Callers then send their text-only message instead.
 */
export function tryRender<T>(
  log: WarnLogger,
  chart: string,
  render: () => T,
  context: Record<string, unknown> = {},
): T | undefined {
  try {
    return render();
  } catch (err) {
    try {
      log.warn({ ...context, chart, err }, "chart rendering failed; falling back to text");
    } catch {
      // A broken logger must not turn a missing chart into a failed command.
    }
    return undefined;
  }
}
