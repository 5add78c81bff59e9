/** `pyjs slack reencrypt`: every Slack installation sealed again with PYJS_ENCRYPTION_KEY. */
import type { Env } from "../config.js";
import { Cipher } from "../crypto.js";
import { UsageError } from "../errors.js";
import { createLogger } from "../logger.js";
import { startRuntime } from "../runtime.js";
import { InstallationRecords } from "../store/installations.js";

export const REENCRYPT_USAGE = "usage: pyjs slack reencrypt";

/**
 * After a key rotation (new PYJS_ENCRYPTION_KEY, the old one in PYJS_ENCRYPTION_KEY_OLD):
 * seals every installation still sealed with an old key with the new one, so the old key
 * can be dropped. Reads also do this one team at a time; this does all of them now.
 */
export async function reencrypt(env: Env, args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(REENCRYPT_USAGE);
  const cipher = Cipher.fromEnv(env.PYJS_ENCRYPTION_KEY, env.PYJS_ENCRYPTION_KEY_OLD);
  const rt = await startRuntime(env, createLogger("warn"));
  try {
    const records = new InstallationRecords(rt.redis, rt.stores.keys, cipher);
    const { resealed, total } = await records.resealAll();
    process.stdout.write(
      `${resealed} of ${total} Slack installation${total === 1 ? "" : "s"} sealed again with key ${cipher.keyId}.\n`,
    );
    return 0;
  } finally {
    await rt.close();
  }
}
