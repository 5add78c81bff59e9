import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { learner } from "../src/core/learner.js";
import { makeKeys } from "../src/store/keys.js";
import { ProposalStore } from "../src/store/proposals.js";
import { runCli } from "./support/cli.js";
import { dropPrefix, testRedis } from "./support/redis.js";

const { redis, prefix, url } = testRedis();
const store = new ProposalStore(redis, makeKeys(prefix));
const env = { REDIS_URL: url, REDIS_PREFIX: prefix };

/** A claim as the app records it (answer key = the grader's loose key). */
const claim = (tenant: string, card: string, text: string, user: string) =>
  store.propose(
    { tenant, card, key: text.toLowerCase(), text, learner: learner.slack(tenant, user) },
    false,
  );

beforeAll(async () => {
  await claim("T0ONE", "pip-to-npm", "node package manager", "U1");
  await claim("T0ONE", "pip-to-npm", "node package manager", "U2");
  await claim("T0ONE", "pip-to-npm", "npm cli tool", "U3");
  await claim("T0TWO", "pip-to-npm", "node package manager", "U4");
  await claim("T0TWO", "node-modules-to-venv", "venv folder", "U5");
});
afterAll(async () => {
  await dropPrefix(redis, prefix);
  redis.disconnect();
});

/** The YAML block printed for one card, parsed as a deck would read it. */
function blockOf(stdout: string, card: string): { accept: string[] } {
  const block = stdout.split("\n\n").find((b) => b.startsWith(`# ${card} `));
  if (!block) throw new Error(`no block for ${card} in:\n${stdout}`);
  return parse(block) as { accept: string[] };
}

describe("pyjs cards proposals", () => {
  it("lists every team's claims by card with counts, as accept lists to paste", async () => {
    const r = await runCli(["cards", "proposals"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '# pip-to-npm (cards/python-for-js-devs.yaml, answer "npm")\naccept:\n' +
        '  - "node package manager"  # 3 learners; accepted in T0ONE; proposed in T0TWO\n' +
        '  - "npm cli tool"  # 1 learner; proposed in T0ONE\n',
    );
    expect(blockOf(r.stdout, "pip-to-npm")).toEqual({
      accept: ["node package manager", "npm cli tool"],
    });
    expect(blockOf(r.stdout, "node-modules-to-venv")).toEqual({ accept: ["venv folder"] });
  }, 60_000);

  it("--team shows one team's claims only", async () => {
    const r = await runCli(["cards", "proposals", "--team", "T0TWO"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  - "node package manager"  # 1 learner; proposed in T0TWO\n');
    expect(r.stdout).not.toContain("T0ONE");
    expect(r.stdout).not.toContain("npm cli tool");
    expect(blockOf(r.stdout, "node-modules-to-venv")).toEqual({ accept: ["venv folder"] });

    const none = await runCli(["cards", "proposals", "--team", "T0NONE"], { env });
    expect(none.stdout).toBe("No proposals yet.\n");
  }, 60_000);

  it("a --team without an id is a usage error", async () => {
    const r = await runCli(["cards", "proposals", "--team"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("usage: pyjs cards proposals [--team ID]");
  }, 60_000);
});
