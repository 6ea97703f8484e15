import { configDefaults, defineConfig } from "vitest/config";

/**
 * Two test tiers, told apart by the file name:
 *
 * - `fast`: every `test/**\/*.test.ts` except the slow ones. `npm test` runs it (with tsc and
 *   generate:check) and must stay within 2 minutes on 2 cores: run it while developing.
 * - `slow`: `test/**\/*.slow.test.ts`. A file belongs here when it samples for long, runs a
 *   validation study (SBC, recovery, agreement with Stan), spawns the CLI end to end or a browser,
 *   or walks a large table (e.g. compiling and gradient-checking every signature of every
 *   primitive). `npm run test:slow` runs only these.
 *
 * `npm run test:all` (what `.ci/run` calls) runs both. A single file runs in either tier with
 * `npx vitest run path/to/file.test.ts`. To move a test between tiers, rename its file.
 * Files run in parallel, the tests of one file one after another: split a long sweep into several
 * files (e.g. one per primitive family) so that both workers share it.
 */
const SLOW_TESTS = "test/**/*.slow.test.ts";

export default defineConfig({
  test: {
    // Forks keep the worker_threads tests isolated.
    pool: "forks",
    // Vitest's default is one worker less than the cores: a single worker on a 2-core machine.
    // The main process mostly waits on the workers, so two run the suite in about half the time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "fast", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, SLOW_TESTS] },
      },
      {
        extends: true,
        // Long studies on a loaded 2-core machine: a wider margin than the fast tier's.
        test: { name: "slow", include: [SLOW_TESTS], testTimeout: 300_000, hookTimeout: 300_000 },
      },
    ],
  },
});
