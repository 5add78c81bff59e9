import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connectRedis } from "../../src/redis/connect.js";
import { makeKeys } from "../../src/store/keys.js";
import { PromptStore } from "../../src/store/prompts.js";
import { luaDir, SCRIPTS } from "../../src/store/scripts.js";
import { SnapshotStore } from "../../src/store/snapshot.js";
import { dropPrefix, testRedis } from "../support/redis.js";

const { redis, prefix, url } = testRedis();
const other = connectRedis(url);
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
  other.disconnect();
});

describe("Lua scripts", () => {
  const dir = luaDir();

  it("every .lua file is in the loader's table, and every table entry has its file", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".lua"));
    expect(files.sort()).toEqual(
      Object.values(SCRIPTS)
        .map((s) => s.file)
        .sort(),
    );
  });

  it.each(Object.entries(SCRIPTS))("%s has an Input/Output header matching its KEYS", (_, s) => {
    const lua = readFileSync(join(dir, s.file), "utf8");
    const header = lua.slice(0, lua.indexOf("]]"));
    expect(header.startsWith("--[[")).toBe(true);
    expect(header).toMatch(/Input:/);
    expect(header).toMatch(/Output:/);
    const body = lua.slice(lua.indexOf("]]"));
    // Keys come from KEYS only: no key names built inside a script.
    expect(body).not.toMatch(/ARGV\[\d+\]\s*\.\./);
    if (s.numberOfKeys !== undefined) {
      const declared = [...header.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(Math.max(...declared)).toBe(s.numberOfKeys);
      const used = [...body.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1]));
      expect(Math.max(...used)).toBeLessThanOrEqual(s.numberOfKeys);
    }
  });
});

describe("snapshot of the open question", () => {
  it("follows a question opened by another process (a stale guess is retried)", async () => {
    const keys = makeKeys(prefix);
    const mine = new SnapshotStore(redis, keys);
    const elsewhere = new PromptStore(other, keys);
    const learner = "console:snap";
    expect((await mine.read(learner)).currentId).toBeUndefined();
    const p1 = await elsewhere.open(learner, "c1", new Date(1000));
    const s1 = await mine.read(learner);
    expect(s1.currentId).toBe(p1.id);
    expect(s1.prompt).toMatchObject({ id: p1.id, card: "c1", status: "open" });
    const p2 = await elsewhere.open(learner, "c2", new Date(2000));
    expect((await mine.read(learner)).prompt).toMatchObject({ id: p2.id, card: "c2" });
    // Asking for a prompt reads that one, whatever is open.
    expect((await mine.read(learner, p1.id)).prompt).toMatchObject({ id: p1.id, card: "c1" });
    expect((await mine.read(learner, "not a prompt id")).prompt).toBeUndefined();
    await elsewhere.clearCurrent(learner, p2.id);
    const cleared = await mine.read(learner);
    expect(cleared.currentId).toBeUndefined();
    expect(cleared.prompt).toBeUndefined();
  });
});
