import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Two cores on CI: forks with two workers keeps the suite in seconds without thrashing.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20000,
  },
});
