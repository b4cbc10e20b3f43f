import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Two cores on CI: forks with two workers keeps the suite in seconds without thrashing.
    pool: "forks",
    maxWorkers: 2,
    // Re-importing Probot, the schema packages and GitHub's OpenAPI description for every file cost
    // about 40 s of a 57 s run. Tests keep no module state of their own (nock is reset after each test
    // by test/setup.ts), so files share a worker's module cache.
    isolate: false,
    // A timeout only stops a hang; it asserts nothing. The machine is shared (load average 15-20 on
    // two cores): a test of 2 s alone takes 10 s and more there, so the limits leave room for that.
    // Tests that spawn processes or pack the package set longer ones of their own.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
