import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import autocannon, { type Options, type Result } from "autocannon";
import type { Redis } from "ioredis";
import type { Deck } from "../src/core/deck.js";
import { slackSignature, slashCommandBody } from "../tests/fakes/slack-requests.js";
import { nextMessage, track } from "./children.js";
import type { BenchConfig } from "./config.js";
import { BOT_TOKEN, type ServerMessage } from "./lookup-protocol.js";
import { callDelta, commandCalls } from "./redis.js";
import { fmt, progress, type Table } from "./report.js";
import { Samples } from "./stats.js";

type Stats = Extract<ServerMessage, { type: "stats" }>;

/** Lookup terms as people type them: Python names, JS names, and some misses (typos). */
export function lookupTerms(deck: Deck): string[] {
  const hits = new Set<string>();
  for (const c of deck.cards) {
    hits.add(c.term);
    if (c.js) hits.add(c.js);
  }
  const misses = ["pipp", "virtualenvv", "nodemodules", "gunicron", "kubernetes"];
  const out = [...hits];
  // About one lookup in ten is a miss ("did you mean"), the costlier path.
  const every = Math.max(1, Math.round(out.length / misses.length / 1.1));
  misses.forEach((m, i) => {
    out.splice(Math.min(out.length, (i + 1) * every), 0, m);
  });
  return out;
}

let current: ReturnType<typeof autocannon> | undefined;

/** Stops a running autocannon (Ctrl-C). */
export function stopCannon(): void {
  current?.stop();
}

/** Runs autocannon; latencies are taken from its response events (sub-millisecond). */
function cannon(opts: Options): Promise<{ result: Result; latency: Samples }> {
  const latency = new Samples();
  return new Promise((resolve, reject) => {
    current = autocannon(opts, (err, result) => {
      current = undefined;
      if (err) reject(err);
      else resolve({ result, latency });
    });
    current.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latency.push(ms);
    });
  });
}

interface Load {
  connections: number;
  /** Requests per second overall (autocannon overallRate); closed loop without. */
  rate?: number;
}

const CONNECTIONS = 10;
const FLOOR = "floor: fake Slack API auth.test";
const LOOKUP = "/pyjs <term> via Bolt HTTP";

const loadName = (l: Load) =>
  l.rate ? `fixed ${l.rate} req/s (${l.connections} conn)` : `closed loop, ${l.connections} conn`;

export interface LookupRun {
  label: string;
  load: Load;
  result: Result;
  latency: Samples;
  serverCpuUsPerRequest: number;
  redisCommandsPerRequest: number;
  redisCommands: Map<string, number>;
}

/** Starts the server process; returns how to drive it and to stop it. */
async function startServer(url: string) {
  const secret = randomBytes(16).toString("hex");
  const prefix = `bl${randomBytes(3).toString("hex")}:`;
  const child = track(
    fork(new URL("./lookup-server.ts", import.meta.url), {
      env: {
        ...process.env,
        BENCH_REDIS_URL: url,
        BENCH_PREFIX: prefix,
        BENCH_SIGNING_SECRET: secret,
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  const ready = await nextMessage<Extract<ServerMessage, { type: "ready" }>>(child, "ready");
  const stats = async (): Promise<Stats> => {
    const p = nextMessage<Stats>(child, "stats");
    child.send({ type: "stats" });
    return p;
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.send({ type: "stop" });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  return { secret, port: ready.port, apiBase: ready.apiBase, stats, stop };
}

const cpuUs = (a: Stats, b: Stats) => b.cpu.user + b.cpu.system - (a.cpu.user + a.cpu.system);

/**
 * `/pyjs <term>` through Bolt's HTTP receiver at fixed rates, every request signed with
 * a fresh timestamp; plus the same load on the fake Slack API (a bare node:http JSON
 * handler in the same process) as the floor of this HTTP stack.
 */
export async function benchLookup(
  url: string,
  admin: Redis,
  cfg: BenchConfig,
  deck: Deck,
  t: Table,
): Promise<void> {
  progress("lookup: starting the Slack HTTP server process");
  const server = await startServer(url);
  try {
    const terms = lookupTerms(deck);
    const users = 1000;
    const seconds = cfg.seconds;
    const runs: LookupRun[] = [];
    const apiCalls: Record<string, number> = {};
    const run = async (label: string, load: Load, opts: Options, secs: number) => {
      progress(`lookup: ${label}, ${loadName(load)}, ${secs} s`);
      const s0 = await server.stats();
      const c0 = await commandCalls(admin);
      const { result, latency } = await cannon({
        ...opts,
        duration: secs,
        connections: load.connections,
        ...(load.rate ? { overallRate: load.rate, ignoreCoordinatedOmission: true } : {}),
      });
      const c1 = await commandCalls(admin);
      const s1 = await server.stats();
      if (label === LOOKUP)
        for (const [m, c] of Object.entries(s1.apiCalls)) apiCalls[m] = (apiCalls[m] ?? 0) + c;
      const done = result["2xx"] + result.non2xx;
      const redisCommands = callDelta(c0, c1, new Set(["info", "ping"]));
      let total = 0;
      for (const v of redisCommands.values()) total += v;
      runs.push({
        label,
        load,
        result,
        latency,
        serverCpuUsPerRequest: cpuUs(s0, s1) / Math.max(1, done),
        redisCommandsPerRequest: total / Math.max(1, done),
        redisCommands,
      });
      return s1;
    };

    // The floor: the fake Slack API's auth.test (node:http, JSON, no Bolt, no signature).
    const floor: Options = {
      url: `${server.apiBase}/api/auth.test`,
      method: "POST",
      headers: {
        authorization: `Bearer ${BOT_TOKEN}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "",
    };
    let n = 0;
    const lookups: Options = {
      url: `http://127.0.0.1:${server.port}/slack/events`,
      requests: [
        {
          method: "POST",
          setupRequest: (req) => {
            const i = n++;
            const term = terms[i % terms.length] as string;
            const user = `U${(i % users).toString(36).toUpperCase().padStart(10, "0")}`;
            const body = slashCommandBody({ team: "T0TEAM", user }, term, {
              responseUrl: `${server.apiBase}/respond/bench`,
            });
            const ts = Math.floor(Date.now() / 1000);
            return {
              ...req,
              body,
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                "x-slack-request-timestamp": String(ts),
                "x-slack-signature": slackSignature(server.secret, ts, body),
              },
            };
          },
        },
      ],
      verifyBody: (body) => body.includes('"response_type":"ephemeral"'),
    };
    const short = Math.min(5, seconds);
    const loads: { load: Load; floorSecs: number; secs: number }[] = [
      { load: { connections: 1 }, floorSecs: short, secs: short },
      { load: { connections: CONNECTIONS }, floorSecs: short, secs: short },
      {
        load: { connections: CONNECTIONS, rate: 200 },
        floorSecs: Math.min(10, seconds),
        secs: seconds,
      },
      {
        load: { connections: CONNECTIONS, rate: 1000 },
        floorSecs: Math.min(10, seconds),
        secs: seconds,
      },
    ];
    for (const l of loads) await run(FLOOR, l.load, floor, l.floorSecs);
    let last: Stats | undefined;
    for (const l of loads) last = await run(LOOKUP, l.load, lookups, l.secs);

    for (const r of runs) {
      const res = r.result;
      const lat = r.latency;
      const done = res["2xx"] + res.non2xx;
      const bad = res.errors + res.timeouts + res.non2xx + res.mismatches;
      t.add(
        `${r.label}, ${loadName(r.load)}`,
        `${fmt(lat.percentile(50), 2)} / ${fmt(lat.percentile(99), 2)} / ${fmt(lat.max(), 1)}`,
        "ms p50/p99/max",
        [
          `${fmt(done / res.duration, 0)} req/s (${done} in ${fmt(res.duration, 0)} s)`,
          `errors/timeouts/non-2xx/wrong body ${res.errors}/${res.timeouts}/${res.non2xx}/${res.mismatches}${bad ? " (!)" : ""}`,
          `server CPU ${fmt(r.serverCpuUsPerRequest, 0)} µs/req`,
          ...(r.label === LOOKUP
            ? [
                `Redis ${fmt(r.redisCommandsPerRequest, 2)} cmds/req (${[...r.redisCommands].map(([k, v]) => `${k.toUpperCase()} ${fmt(v / Math.max(1, done), 2)}`).join(", ")})`,
              ]
            : []),
        ].join("; "),
      );
    }
    const calls = Object.entries(apiCalls);
    t.note(
      `Load: autocannon 9 in the bench process, the server in its own process (fake Slack API + App + Slack adapter in HTTP mode on pyjs's HTTP server, log level info to /dev/null). "closed loop" = each connection sends its next request when the last one is answered (1 connection: the unloaded latency; ${CONNECTIONS}: the capacity). "fixed" = overallRate: autocannon releases each connection's per-second quota back to back at the top of every second, so the load is a burst of ${CONNECTIONS} concurrent requests at a time, not evenly spaced arrivals. Latencies are every response's own time from autocannon's response events (autocannon's histogram has 1 ms resolution, and its coordinated-omission correction uses an expected interval of ceil(1/rate) = 1 ms, adding a synthetic sample for every millisecond of every response, so it is off).`,
    );
    t.note(
      `Lookups: ${terms.length} terms cycled (Python and JS names, ~1 in 10 a miss that gets suggestions), ${users} users of one workspace; each request signed (v0 HMAC-SHA256 with a fresh timestamp) in setupRequest. Slack Web API calls made while answering the lookups: ${calls.length ? calls.map(([m, c]) => `${m} ${c}`).join(", ") : "none"}. Server RSS after the runs: ${last ? fmt(last.rss / 2 ** 20, 0) : "?"} MiB.`,
    );
  } finally {
    await server.stop();
  }
}
