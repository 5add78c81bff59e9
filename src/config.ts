import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { StepUnit } from "ts-fsrs";
import { z } from "zod";
import { isTimeZone } from "./core/grammar.js";
import { ConfigError } from "./errors.js";

/** The package's own cards/ folder, the default deck directory. */
export const BUNDLED_CARDS_DIR = fileURLToPath(new URL("../cards/", import.meta.url)).replace(
  /\/dist\/cards\/$/,
  "/cards/",
);

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));
const step = z.string().regex(/^\d+(\.\d+)?[mhd]$/, "steps look like 1m, 10m, 1h, 1d");
const steps = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(step))
  // The regex above is exactly ts-fsrs's StepUnit template type.
  .transform((a) => a as StepUnit[]);

/** A redis(s):// URL a client can use: it parses, names a host, and any port is 1-65535. */
function redisUrlOk(s: string): boolean {
  if (s.startsWith("unix://")) return s.length > "unix://".length;
  try {
    const u = new URL(s);
    return u.hostname !== "" && (u.port === "" || Number(u.port) > 0);
  } catch {
    return false;
  }
}

/** `.data` at the project root (the nearest folder up from here with a package.json). */
export function defaultDataDir(cwd = process.cwd()): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return join(dir, ".data");
    if (dirname(dir) === dir) return resolve(cwd, ".data");
  }
}

const hostPorts = z
  .string()
  .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, "must be host:port[,host:port…]");

const envSchema = z.object({
  REDIS_URL: z
    .string()
    .regex(/^(rediss?|unix):\/\//, "must be a redis://, rediss:// or unix:// URL")
    .refine(redisUrlOk, "must name a host (and a port 1-65535), e.g. redis://127.0.0.1:6379")
    .optional(),
  /** `host:port,…`: a Redis Cluster (wins over REDIS_URL and REDIS_SENTINELS). */
  REDIS_CLUSTER_NODES: hostPorts.optional(),
  /** `host:port,…` of Sentinels watching REDIS_SENTINEL_NAME's primary. */
  REDIS_SENTINELS: hostPorts.optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,32}$/)
    .default("pyjs:"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:_-]{1,253}$/, "must be an address or host name, e.g. 127.0.0.1 or 0.0.0.0")
    .optional(),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,256}$/, "must be 16-256 printable characters, no spaces")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CARDS_DIR: z.string().min(1).default(BUNDLED_CARDS_DIR),
  PYJS_DATA_DIR: z.string().min(1).default(defaultDataDir),
  PYJS_USER: z.string().min(1).max(64).optional(),
  PYJS_TZ: z.string().refine(isTimeZone, "not an IANA time zone (e.g. Europe/Berlin)").optional(),
  PYJS_NEW_PER_DAY: z.coerce.number().int().min(0).max(1000).default(5),
  PYJS_MAX_REVIEWS_PER_DAY: z.coerce.number().int().min(1).max(10000).default(50),
  PYJS_RETENTION: z.coerce.number().min(0.7).max(0.99).default(0.9),
  PYJS_MAX_INTERVAL_DAYS: z.coerce.number().int().min(1).max(36500).default(36500),
  PYJS_LEARNING_STEPS: steps.default(["1m", "10m"] as StepUnit[]),
  PYJS_RELEARNING_STEPS: steps.default(["10m"] as StepUnit[]),
  PYJS_FUZZ: bool.default(true),
  PYJS_WORKERS: bool.default(true),
  /** The FSRS optimizer: weekly fits, `optimize`, fitted parameters in use. off: defaults only. */
  PYJS_OPTIMIZER: bool.default(true),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-…)").optional(),
  SLACK_API_URL: z.url().optional(),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d+$/, "must be the numeric application id")
    .optional(),
  DISCORD_API_URL: z.url().optional(),
});

export type Env = z.infer<typeof envSchema>;

export { ConfigError };

/** Reads the environment once; lists every bad variable, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(environment)"}: ${i.message}`),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN)
    problems.push(
      "SLACK_SIGNING_SECRET: required for Slack HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  if ((c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) && !c.SLACK_BOT_TOKEN)
    problems.push("SLACK_BOT_TOKEN: required when Slack is configured");
  if (c.REDIS_SENTINELS && !c.REDIS_SENTINEL_NAME)
    problems.push("REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the primary's name)");
  if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID)
    problems.push("DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set");
  if (problems.length > 0) throw new ConfigError(problems);
  return c;
}
