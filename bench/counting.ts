import type { Redis } from "ioredis";

/** What a wrapped ioredis connection sent. */
export interface CommandCount {
  /** Commands written (MULTI and EXEC count as commands). */
  commands: number;
  /**
   * Sequential round trips: a command sent while none of ours is awaiting its reply
   * starts one; commands sent while others are in flight (a pipeline, a MULTI, a
   * Promise.all) ride along. Meaningful with one caller at a time.
   */
  roundTrips: number;
  /** Pipelines and MULTI/EXEC blocks (commands written as one batch). */
  pipelines: number;
  /** Calls per "COMMAND ← caller" (the store method and the App method that sent it). */
  byCaller: Map<string, number>;
}

interface SentCommand {
  name: string;
  promise: Promise<unknown>;
}

type SendCommand = (command: SentCommand, stream?: unknown, node?: unknown) => unknown;

const SRC_FRAME = /at (?:async )?([\w$.<>]+) \(.*\/(src|adapters)\/([\w/-]+)\.ts:\d+:\d+\)/;

/** The innermost store function and the innermost App method on the stack. */
function callers(stack: string): string {
  let store: string | undefined;
  let app: string | undefined;
  for (const line of stack.split("\n")) {
    const m = SRC_FRAME.exec(line);
    if (!m) continue;
    const [, fn, , file] = m;
    if (!store && file?.startsWith("store/")) store = fn;
    if (!app && file?.startsWith("app/")) app = fn;
    if (store && app) break;
  }
  const named = [store, app].filter(Boolean).join(" ← ");
  if (named) return named;
  return stack.includes("/node_modules/bullmq/") ? "(BullMQ)" : "(bench or library)";
}

/**
 * Wraps `redis.sendCommand` (every command, pipelined or not, goes through it) to count
 * commands, pipelines and round trips, and with `trace` to name who sent each one.
 */
export function countCommands(redis: Redis, opts: { trace?: boolean } = {}) {
  const target = redis as unknown as { sendCommand: SendCommand };
  const original = target.sendCommand;
  const count: CommandCount = { commands: 0, roundTrips: 0, pipelines: 0, byCaller: new Map() };
  let inflight = 0;
  let lastStream: unknown;
  const done = () => {
    inflight--;
  };
  const spy = {
    count,
    /** Counting is on; while off, commands are only tracked for the in-flight state. */
    active: true,
    reset() {
      count.commands = 0;
      count.roundTrips = 0;
      count.pipelines = 0;
      count.byCaller.clear();
    },
    restore() {
      target.sendCommand = original;
    },
  };
  target.sendCommand = function (this: unknown, command, stream, node) {
    const fresh = inflight === 0;
    const batch = Boolean(stream) && stream !== lastStream;
    lastStream = stream;
    inflight++;
    command.promise.then(done, done);
    if (!spy.active) return original.call(this, command, stream, node);
    count.commands++;
    if (fresh) count.roundTrips++;
    if (batch) count.pipelines++;
    if (opts.trace) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const where = callers(new Error().stack ?? "");
      Error.stackTraceLimit = limit;
      const key = `${command.name.toUpperCase()} ← ${where}`;
      count.byCaller.set(key, (count.byCaller.get(key) ?? 0) + 1);
    }
    return original.call(this, command, stream, node);
  };
  return spy;
}
