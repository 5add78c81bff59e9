import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { requestUrl } from "../../adapters/slack/manifest.js";
import { runCli } from "../support/cli.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

describe("CLI flags (issue 12, item 24)", () => {
  it("`pyjs start --help` prints help and starts nothing", async () => {
    // No REDIS_URL: starting would launch a local redis-server and wait for input.
    const r = await runCli(["start", "--help"], { env: { REDIS_URL: "redis://127.0.0.1:1" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage:");
    expect(r.stdout).toContain("pyjs start");
  }, 60_000);

  it("`pyjs --version` prints package.json's version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  }, 60_000);

  it("`pyjs lookup --help` prints the usage instead of looking up --help", async () => {
    const r = await runCli(["lookup", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("usage: pyjs lookup <term>");
  }, 60_000);

  it("`slack manifest --url http://…` is refused: Slack requires https", async () => {
    expect(() => requestUrl("http://pyjs.example.com")).toThrow(/https/);
    const r = await runCli(["slack", "manifest", "--url", "http://pyjs.example.com"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("must be an https:// URL");
    expect(requestUrl("https://pyjs.example.com")).toBe("https://pyjs.example.com/slack/events");
  }, 60_000);
});
