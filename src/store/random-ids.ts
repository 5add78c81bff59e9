import { randomBytes } from "node:crypto";

/** Random bytes drawn 4 KiB at a time, each byte handed out once. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = POOL_BYTES;

/**
 * `bytes` bytes from the CSPRNG, encoded: unguessable ids (prompts, budget grants).
 * They come from a pool refilled by one `randomBytes` call, because one small call per
 * id was a twentieth of a daily delivery's CPU (BENCHMARKS §3a); no byte is used twice.
 */
export function randomId(bytes: number, encoding: "base64url" | "hex"): string {
  if (bytes > POOL_BYTES) return randomBytes(bytes).toString(encoding);
  if (used + bytes > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  used += bytes;
  return pool.toString(encoding, used - bytes, used);
}
