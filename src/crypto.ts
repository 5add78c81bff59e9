import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ConfigError, PyjsError } from "./errors.js";

/**
 * Secrets at rest (Slack bot tokens): AES-256-GCM with a random 96-bit IV and a 128-bit
 * auth tag. A sealed value is one string,
 *
 *     v1.{key id}.{iv}.{tag}.{ciphertext}      (base64url parts)
 *
 * where the key id is the first 8 hex digits of SHA-256 of the key, so any number of
 * keys can be readable at once and a value says which one sealed it. `aad` (what the
 * value belongs to, e.g. the team's key) is authenticated too: a value copied onto
 * another record does not open.
 *
 * Rotation: set the new key as PYJS_ENCRYPTION_KEY and the old one(s) in
 * PYJS_ENCRYPTION_KEY_OLD (comma-separated); values sealed with an old key still open
 * and are sealed again with the new key when read (`needsReseal`), or all at once with
 * `pyjs slack reencrypt`. Then the old key can go.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A sealed value that does not open: tampered, truncated, or sealed with a key we lack. */
export class SealError extends PyjsError {
  constructor(message: string) {
    super("sealed_value", message);
  }
}

/** The key id of a key: the first 8 hex digits of its SHA-256. */
export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** A 32-byte key from base64 (standard or url-safe), or why not. */
export function parseKey(b64: string, name: string): Buffer | string {
  const text = b64.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text))
    return `${name}: not base64 (generate one with: openssl rand -base64 32)`;
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES)
    return `${name}: must be ${KEY_BYTES} bytes in base64, got ${key.length} (openssl rand -base64 32)`;
  return key;
}

const b64 = (b: Buffer) => b.toString("base64url");

export class Cipher {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  /** `current` seals; it and every `old` key open. */
  constructor(current: Buffer, old: Buffer[] = []) {
    this.current = { id: keyId(current), key: current };
    for (const k of [current, ...old]) this.keys.set(keyId(k), k);
  }

  /**
   * From PYJS_ENCRYPTION_KEY and PYJS_ENCRYPTION_KEY_OLD (comma list): a ConfigError
   * naming every bad key.
   */
  static fromEnv(current: string | undefined, old: string | undefined): Cipher {
    if (!current) throw new ConfigError(["PYJS_ENCRYPTION_KEY: required to store Slack tokens"]);
    const problems: string[] = [];
    const parsed = parseKey(current, "PYJS_ENCRYPTION_KEY");
    if (typeof parsed === "string") problems.push(parsed);
    const olds: Buffer[] = [];
    for (const [i, text] of (old ?? "")
      .split(",")
      .filter((s) => s.trim())
      .entries()) {
      const k = parseKey(text, `PYJS_ENCRYPTION_KEY_OLD (key ${i + 1})`);
      if (typeof k === "string") problems.push(k);
      else olds.push(k);
    }
    if (problems.length > 0 || typeof parsed === "string") throw new ConfigError(problems);
    return new Cipher(parsed, olds);
  }

  /** The id of the key that seals. */
  get keyId(): string {
    return this.current.id;
  }

  seal(plain: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv("aes-256-gcm", this.current.key, iv, { authTagLength: TAG_BYTES });
    c.setAAD(Buffer.from(aad, "utf8"));
    const body = Buffer.concat([c.update(plain, "utf8"), c.final()]);
    return [VERSION, this.current.id, b64(iv), b64(c.getAuthTag()), b64(body)].join(".");
  }

  open(sealed: string, aad: string): string {
    const [version, id, iv, tag, body, ...rest] = sealed.split(".");
    if (version !== VERSION || !id || !iv || !tag || body === undefined || rest.length)
      throw new SealError("not a sealed value (v1.key.iv.tag.data)");
    const key = this.keys.get(id);
    if (!key)
      throw new SealError(
        `sealed with key ${id}, which is neither PYJS_ENCRYPTION_KEY nor in PYJS_ENCRYPTION_KEY_OLD`,
      );
    try {
      const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
        authTagLength: TAG_BYTES,
      });
      d.setAAD(Buffer.from(aad, "utf8"));
      d.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([d.update(Buffer.from(body, "base64url")), d.final()]).toString("utf8");
    } catch {
      throw new SealError(`sealed value with key ${id} does not authenticate (altered or moved)`);
    }
  }

  /** Sealed with an older key: worth sealing again with the current one. */
  needsReseal(sealed: string): boolean {
    return sealed.split(".")[1] !== this.current.id;
  }
}
