import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { StepUnit } from "ts-fsrs";
import { z } from "zod";
import { isTimeZone } from "./core/grammar.js";
import { parseKey } from "./crypto.js";
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
  ADMIN_TOKEN: z
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
  PYJS_LEECH_THRESHOLD: z.coerce.number().int().min(0).max(99).default(8),
  PYJS_WORKERS: bool.default(true),
  /** The FSRS optimizer: weekly fits, `optimize`, fitted parameters in use. off: defaults only. */
  PYJS_OPTIMIZER: bool.default(true),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-…)").optional(),
  SLACK_API_URL: z.url().optional(),
  /** Slack OAuth (many workspaces): Basic Information -> App Credentials. */
  SLACK_CLIENT_ID: z
    .string()
    .regex(/^\d+\.\d+$/, "must be the app's Client ID (digits.digits)")
    .optional(),
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  /** Signs the OAuth `state` parameter; any random string of 16+ characters. */
  SLACK_STATE_SECRET: z
    .string()
    .min(16, "must be at least 16 characters (openssl rand -hex 32)")
    .optional(),
  /** 32 bytes in base64: seals the bot tokens pyjs keeps in Redis. */
  PYJS_ENCRYPTION_KEY: z
    .string()
    .refine(
      (s) => typeof parseKey(s, "") !== "string",
      "must be 32 bytes in base64 (openssl rand -base64 32)",
    )
    .optional(),
  /** Earlier PYJS_ENCRYPTION_KEYs (comma-separated), still read while tokens are re-sealed. */
  PYJS_ENCRYPTION_KEY_OLD: z
    .string()
    .refine(
      (s) => s.split(",").every((k) => !k.trim() || typeof parseKey(k, "") !== "string"),
      "must be 32-byte base64 keys, comma-separated",
    )
    .optional(),
  /** Workspace-wide chat.postMessage ceiling for deliveries, shared by every process. */
  SLACK_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(20),
  DISCORD_TOKEN: z.string().min(1).optional(),
  /** Discord's global limit for this bot (50 unless Discord raised it), shared by every process. */
  DISCORD_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10000).default(50),
  /** Added to every rate-budget window, for network jitter (core/rate-limits.ts). */
  PYJS_RATE_MARGIN_MS: z.coerce.number().int().min(0).max(60000).default(50),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d+$/, "must be the numeric application id")
    .optional(),
  DISCORD_API_URL: z.url().optional(),
  DISCORD_SHARDS: z
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(4096)])
    .default("auto"),
});

export type Env = z.infer<typeof envSchema>;

export { ConfigError };

/**
 * How Slack runs: one workspace with SLACK_BOT_TOKEN, any number of workspaces installed
 * through OAuth (SLACK_CLIENT_ID and friends), or not at all.
 */
export function slackMode(env: Env): "token" | "oauth" | undefined {
  if (env.SLACK_BOT_TOKEN) return "token";
  return env.SLACK_CLIENT_ID ? "oauth" : undefined;
}

/** OAuth mode needs all of its variables, HTTP mode, and no single bot token beside it. */
function slackOAuthProblems(c: Env): string[] {
  const oauth = [c.SLACK_CLIENT_ID, c.SLACK_CLIENT_SECRET, c.SLACK_STATE_SECRET];
  if (!oauth.some(Boolean)) return [];
  const problems: string[] = [];
  if (!c.SLACK_CLIENT_ID) problems.push("SLACK_CLIENT_ID: required for Slack OAuth installs");
  if (!c.SLACK_CLIENT_SECRET)
    problems.push("SLACK_CLIENT_SECRET: required for Slack OAuth installs");
  if (!c.SLACK_STATE_SECRET) problems.push("SLACK_STATE_SECRET: required for Slack OAuth installs");
  if (!c.SLACK_SIGNING_SECRET)
    problems.push("SLACK_SIGNING_SECRET: required for Slack OAuth installs (HTTP mode)");
  if (!c.PYJS_ENCRYPTION_KEY)
    problems.push(
      "PYJS_ENCRYPTION_KEY: required for Slack OAuth installs (bot tokens are kept encrypted; openssl rand -base64 32)",
    );
  if (c.SLACK_BOT_TOKEN)
    problems.push(
      "SLACK_BOT_TOKEN: unset it for OAuth installs (SLACK_CLIENT_ID): one workspace uses a bot token, many use OAuth",
    );
  if (c.SLACK_APP_TOKEN)
    problems.push(
      "SLACK_APP_TOKEN: Socket Mode does not serve /slack/install and /slack/oauth_redirect; OAuth installs run in HTTP mode (unset it)",
    );
  return problems;
}

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
  problems.push(...slackOAuthProblems(c));
  if ((c.SLACK_SIGNING_SECRET || c.SLACK_APP_TOKEN) && !c.SLACK_BOT_TOKEN && !c.SLACK_CLIENT_ID)
    problems.push(
      "SLACK_BOT_TOKEN: required when Slack is configured (or SLACK_CLIENT_ID… for OAuth installs)",
    );
  if (c.REDIS_SENTINELS && !c.REDIS_SENTINEL_NAME)
    problems.push("REDIS_SENTINEL_NAME: required with REDIS_SENTINELS (the primary's name)");
  if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID)
    problems.push("DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set");
  if (problems.length > 0) throw new ConfigError(problems);
  return c;
}
