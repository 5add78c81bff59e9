import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { Cipher, keyId, SealError } from "../src/crypto.js";
import { InstallationRecords } from "../src/store/installations.js";
import { makeKeys } from "../src/store/keys.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const key = () => randomBytes(32);
const AAD = "pyjs:slackinstall:T1";

describe("sealing tokens (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time and the key id in the envelope", () => {
    const k = key();
    const c = new Cipher(k);
    const a = c.seal("xoxb-secret-token", AAD);
    const b = c.seal("xoxb-secret-token", AAD);
    expect(a).not.toBe(b);
    expect(a).not.toContain("xoxb");
    expect(a.split(".")).toHaveLength(5);
    expect(a.split(".")[1]).toBe(keyId(k));
    expect(c.open(a, AAD)).toBe("xoxb-secret-token");
    expect(c.open(b, AAD)).toBe("xoxb-secret-token");
  });

  it("refuses a tampered value, a value moved to another record, and junk", () => {
    const c = new Cipher(key());
    const sealed = c.seal("xoxb-secret-token", AAD);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[4] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    const flipped = [...parts.slice(0, 4), body.toString("base64url")].join(".");
    expect(() => c.open(flipped, AAD)).toThrow(SealError);
    const tag = Buffer.from(parts[3] ?? "", "base64url");
    tag[0] = (tag[0] ?? 0) ^ 1;
    const badTag = [...parts.slice(0, 3), tag.toString("base64url"), parts[4]].join(".");
    expect(() => c.open(badTag, AAD)).toThrow(/does not authenticate/);
    expect(() => c.open(sealed, "pyjs:slackinstall:T2")).toThrow(/altered or moved/);
    expect(() => c.open("xoxb-plain", AAD)).toThrow(SealError);
  });

  it("opens values sealed with an old key after rotation, and says they need resealing", () => {
    const old = key();
    const fresh = key();
    const before = new Cipher(old).seal("xoxb-1", AAD);
    const rotated = new Cipher(fresh, [old]);
    expect(rotated.open(before, AAD)).toBe("xoxb-1");
    expect(rotated.needsReseal(before)).toBe(true);
    const again = rotated.seal("xoxb-1", AAD);
    expect(rotated.needsReseal(again)).toBe(false);
    // Once the old key is dropped, what it sealed no longer opens (and says which key).
    expect(() => new Cipher(fresh).open(before, AAD)).toThrow(new RegExp(keyId(old)));
  });

  it("reads PYJS_ENCRYPTION_KEY and a comma list of old keys from the environment", () => {
    const [a, b, c] = [key(), key(), key()];
    const cipher = Cipher.fromEnv(
      a.toString("base64"),
      `${b.toString("base64")}, ${c.toString("base64url")}`,
    );
    expect(cipher.keyId).toBe(keyId(a));
    expect(cipher.open(new Cipher(c).seal("x", AAD), AAD)).toBe("x");
    expect(() => Cipher.fromEnv(undefined, undefined)).toThrow(ConfigError);
    expect(() => Cipher.fromEnv(randomBytes(16).toString("base64"), undefined)).toThrow(/32 bytes/);
    expect(() => Cipher.fromEnv(a.toString("base64"), "not base64!")).toThrow(
      /PYJS_ENCRYPTION_KEY_OLD/,
    );
  });
});

describe("sealed installations in Redis", () => {
  const { redis, prefix } = testRedis();
  const keys = makeKeys(prefix);
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });
  const install = (team: string) => ({ team: { id: team }, bot: { token: `xoxb-${team}-secret` } });

  it("keeps only ciphertext, re-seals with the new key on read and with resealAll", async () => {
    const old = key();
    const fresh = key();
    const before = new InstallationRecords(redis, keys, new Cipher(old));
    await before.put("T1", install("T1"), { teamName: "One" });
    await before.put("T2", install("T2"), {});
    const raw = await redis.hget(keys.slackInstall("T1"), "sealed");
    expect(raw).not.toContain("xoxb");
    expect(raw?.split(".")[1]).toBe(keyId(old));

    const after = new InstallationRecords(redis, keys, new Cipher(fresh, [old]));
    expect(await after.get("T1")).toEqual(install("T1"));
    expect((await redis.hget(keys.slackInstall("T1"), "sealed"))?.split(".")[1]).toBe(keyId(fresh));
    expect(await after.resealAll()).toEqual({ resealed: 1, total: 2 });
    // The old key can go now.
    const only = new InstallationRecords(redis, keys, new Cipher(fresh));
    expect(await only.get("T2")).toEqual(install("T2"));
    expect(await only.meta("T1")).toMatchObject({ teamName: "One" });
    // A sealed value copied onto another team does not open there.
    await redis.hset(
      keys.slackInstall("T3"),
      "sealed",
      (await redis.hget(keys.slackInstall("T1"), "sealed")) ?? "",
    );
    await expect(only.get("T3")).rejects.toThrow(SealError);
  });
});

describe("Slack OAuth configuration", () => {
  const good = {
    SLACK_CLIENT_ID: "1111.2222",
    SLACK_CLIENT_SECRET: "client-secret",
    SLACK_STATE_SECRET: "a-state-secret-of-some-length",
    SLACK_SIGNING_SECRET: "signing",
    PYJS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  };
  const problems = (env: Record<string, string | undefined>): string => {
    try {
      loadConfig(env);
      return "";
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.join("\n");
      throw err;
    }
  };

  it("accepts the OAuth variables without a bot token", () => {
    expect(problems(good)).toBe("");
  });

  it("names each missing or wrong variable", () => {
    expect(problems({ ...good, PYJS_ENCRYPTION_KEY: undefined })).toMatch(
      /PYJS_ENCRYPTION_KEY: required/,
    );
    expect(problems({ ...good, PYJS_ENCRYPTION_KEY: "c2hvcnQ=" })).toMatch(
      /PYJS_ENCRYPTION_KEY: must be 32 bytes/,
    );
    expect(problems({ ...good, SLACK_STATE_SECRET: undefined })).toMatch(/SLACK_STATE_SECRET/);
    expect(problems({ ...good, SLACK_SIGNING_SECRET: undefined })).toMatch(/SLACK_SIGNING_SECRET/);
    expect(problems({ ...good, SLACK_BOT_TOKEN: "xoxb-1" })).toMatch(/SLACK_BOT_TOKEN: unset it/);
    expect(problems({ ...good, SLACK_APP_TOKEN: "xapp-1" })).toMatch(/Socket Mode does not serve/);
  });
});
