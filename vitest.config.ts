import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Two cores on CI: forks keep worker_threads tests isolated.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
