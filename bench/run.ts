/**
 * pyjs benchmarks: `npm run bench` (tsx bench/run.ts). One private redis-server on a free
 * port for the whole run, a fresh key prefix per section, every figure printed with its
 * unit. Settings: see bench/config.ts (BENCH_SECONDS, BENCH_LEARNERS, …).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";
import { loadDecks } from "../src/cards/load.js";
import { BUNDLED_CARDS_DIR } from "../src/config.js";
import { connectRedis } from "../src/redis/connect.js";
import { benchCharts, benchStatsPath } from "./charts.js";
import { stopChildren } from "./children.js";
import { benchEnvOverrides, loadBenchConfig } from "./config.js";
import { benchDiscord } from "./discord.js";
import { benchFanout, type FanoutResult } from "./fanout.js";
import { benchLookup, stopCannon } from "./lookup.js";
import { benchMemory } from "./memory.js";
import { benchPlatform } from "./platform.js";
import { type BenchRedis, info, startBenchRedis } from "./redis.js";
import { allReports, fmt, progress, Table } from "./report.js";
import { benchReview } from "./review.js";

function gitRevision(): string {
  try {
    const rev = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim();
    return dirty ? `${rev} + uncommitted changes` : rev;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const cfg = loadBenchConfig();
  const started = performance.now();
  let server: BenchRedis | undefined;
  let cleaning = false;
  const cleanup = async () => {
    if (cleaning) return;
    cleaning = true;
    stopCannon();
    stopChildren();
    await server?.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping the bench's redis-server and child processes`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    server = await startBenchRedis();
    const admin = connectRedis(server.url);
    const redisInfo = await info(admin, "server");
    const cpu = cpus();
    const header = new Table("Machine and command");
    header
      .add("CPU", `${cpu.length} × ${cpu[0]?.model.trim() ?? "?"}`, "cores")
      .add("memory", totalmem() / 2 ** 30, "GiB")
      .add("Node.js", process.version, "")
      .add(
        "Redis",
        redisInfo.redis_version ?? "?",
        "",
        `private redis-server on 127.0.0.1:${server.port}, no persistence`,
      )
      .add("pyjs revision", gitRevision(), "")
      .add("command", [...benchEnvOverrides(), "npm run bench"].join(" "), "", "= tsx bench/run.ts")
      .add(
        "settings",
        `BENCH_SECONDS=${cfg.seconds} BENCH_REVIEW_SECONDS=${cfg.reviewSeconds} BENCH_RAW_OPS=${cfg.rawOps} BENCH_LEARNERS=${cfg.learners} BENCH_DELIVERY_CONCURRENCY=${cfg.deliveryConcurrency} BENCH_FANOUT_PROCESSES=${cfg.fanoutProcesses} BENCH_FANOUT_BUDGET=${cfg.fanoutBudget} BENCH_MEM_LEARNERS=${cfg.memLearners}`,
        "",
      )
      .add("date", new Date().toISOString(), "");
    header.print();

    const deck = loadDecks(BUNDLED_CARDS_DIR);

    if (cfg.sections.has("review")) await benchReview(server.url, admin, cfg);

    if (cfg.sections.has("lookup")) {
      const t = new Table("2. Lookup path (/pyjs <term>)");
      await benchLookup(server.url, admin, cfg, deck, t);
      await benchDiscord(server.url, t);
      t.print();
    }

    let fanout: FanoutResult | undefined;
    if (cfg.sections.has("fanout")) {
      const t = new Table(
        "3. Daily fan-out (real tick + BullMQ delivery workers, no-op Messenger)",
      );
      fanout = await benchFanout(server.url, admin, cfg, deck, t);
      t.print();
    }

    if (cfg.sections.has("memory")) {
      const t = new Table("4. Memory");
      await benchMemory(server.url, cfg, deck, fanout, t);
      t.print();
    }

    if (cfg.sections.has("platform"))
      await benchPlatform(server.url, admin, deck, cfg.platformSeconds);

    // Charts need no redis; run on full runs only (BENCH_ONLY has no "charts" section).
    if (!process.env.BENCH_ONLY) {
      const t = new Table("5. Charts (ECharts SSR SVG → resvg PNG)");
      benchCharts(t);
      await benchStatsPath(t);
      t.print();
    }

    const secs = (performance.now() - started) / 1000;
    console.log(`\nTotal bench time: ${fmt(secs, 0)} s`);
    if (cfg.json) {
      writeFileSync(
        cfg.json,
        `${JSON.stringify({ seconds: secs, sections: allReports() }, null, 2)}\n`,
      );
      progress(`figures written to ${cfg.json}`);
    }
    admin.disconnect();
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
