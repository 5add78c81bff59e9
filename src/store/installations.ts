import type { Redis } from "ioredis";
import type { Cipher } from "../crypto.js";
import { scanKeys } from "../redis/scan.js";
import type { Keys } from "./keys.js";
import { type ScriptedRedis, withScripts } from "./scripts.js";

/** What is kept in clear beside a sealed installation (no secrets). */
export interface InstallMeta {
  teamName?: string | undefined;
  /** The Slack user who installed (or last reinstalled) the app. */
  installedBy?: string | undefined;
  /** Epoch ms of the last install. */
  installedAt?: number | undefined;
}

/**
 * Slack workspace installations (OAuth): per team one hash whose `sealed` field is the
 * whole installation (bot token included) encrypted with {@link Cipher}, bound to the
 * team's key so a sealed value cannot be moved to another team. Values sealed with an
 * older key are sealed again with the current one when read.
 */
export class InstallationRecords {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    private readonly cipher: Cipher,
  ) {
    this.redis = withScripts(redis);
  }

  async put(team: string, installation: unknown, meta: InstallMeta): Promise<void> {
    const key = this.keys.slackInstall(team);
    const sealed = this.cipher.seal(JSON.stringify(installation), key);
    const fields: Record<string, string> = { sealed, keyId: this.cipher.keyId };
    if (meta.teamName) fields.teamName = meta.teamName;
    if (meta.installedBy) fields.installedBy = meta.installedBy;
    if (meta.installedAt !== undefined) fields.installedAt = String(meta.installedAt);
    await this.redis.hset(key, fields);
  }

  /** The installation as stored, or undefined when the team has none. */
  async get(team: string): Promise<unknown> {
    const key = this.keys.slackInstall(team);
    const sealed = await this.redis.hget(key, "sealed");
    if (!sealed) return undefined;
    const plain = this.cipher.open(sealed, key);
    if (this.cipher.needsReseal(sealed)) await this.reseal(key, sealed, plain);
    return JSON.parse(plain) as unknown;
  }

  async meta(team: string): Promise<InstallMeta | undefined> {
    const raw = await this.redis.hgetall(this.keys.slackInstall(team));
    if (!raw.sealed) return undefined;
    return {
      teamName: raw.teamName,
      installedBy: raw.installedBy,
      installedAt: raw.installedAt ? Number(raw.installedAt) : undefined,
    };
  }

  /** Removes the team's installation; true when there was one. */
  async delete(team: string): Promise<boolean> {
    return (await this.redis.del(this.keys.slackInstall(team))) === 1;
  }

  /** Teams with an installation. */
  async teams(): Promise<string[]> {
    const scan = this.keys.slackInstallScan();
    const found = await scanKeys(this.redis, scan.pattern);
    const head = this.keys.slackInstall("");
    return found.filter(scan.owns).map((k) => k.slice(head.length));
  }

  /**
   * Seals every installation sealed with an older key again with the current one
   * (`pyjs slack reencrypt`); answers how many were rewritten and how many there are.
   */
  async resealAll(): Promise<{ resealed: number; total: number }> {
    const teams = await this.teams();
    let resealed = 0;
    for (const team of teams) {
      const key = this.keys.slackInstall(team);
      const sealed = await this.redis.hget(key, "sealed");
      if (!sealed || !this.cipher.needsReseal(sealed)) continue;
      if (await this.reseal(key, sealed, this.cipher.open(sealed, key))) resealed++;
    }
    return { resealed, total: teams.length };
  }

  /** Rewrites `sealed` with the current key unless it changed since it was read. */
  private async reseal(key: string, was: string, plain: string): Promise<boolean> {
    const now = this.cipher.seal(plain, key);
    // Compare-and-set: a reinstall that wrote meanwhile wins.
    return (await this.redis.pyjsResealInstall(key, was, now, this.cipher.keyId)) === 1;
  }
}

/**
 * OAuth `state` values handed out by /slack/install: each one's install options, kept
 * for `ttlSeconds` and taken (read and deleted) once, so a state cannot be replayed.
 */
export class OAuthStates {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async put(id: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.oauthState(id), value, "EX", ttlSeconds);
  }

  /** The value, once; undefined when unknown, expired or already taken. */
  async take(id: string): Promise<string | undefined> {
    return (await this.redis.getdel(this.keys.oauthState(id))) ?? undefined;
  }
}
