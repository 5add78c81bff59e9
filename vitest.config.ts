import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The JSON report is what .ci/run counts; the default one is for people.
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    globalSetup: ["tests/support/global-redis.ts"],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Files share one test redis-server; each uses its own key prefix.
    fileParallelism: true,
    pool: "forks",
  },
});
