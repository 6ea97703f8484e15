import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const ROOT_PATH = new URL(".", import.meta.url).pathname;
const ROOT = escapeRegExp(ROOT_PATH);
const TMP = escapeRegExp(tmpdir());

/**
 * Test helpers (test/**\/*.ts other than the test files) that do not use vitest's API, directly or
 * through another helper: the elementary functions' high-precision references, gradient checks,
 * fixture builders. The rest (sweepTests.ts, runCli.ts, …) call `it`/`expect`/`vi` and stay in
 * the runner.
 */
function helpersWithoutVitest(): string[] {
  const testDir = join(ROOT_PATH, "test");
  const helpers = (readdirSync(testDir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(testDir, f));
  const text = new Map(helpers.map((f) => [f, readFileSync(f, "utf8")]));
  const importsOf = (file: string) =>
    [...text.get(file)!.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)]
      .map((m) => resolve(dirname(file), m[1]).replace(/(\.ts)?$/, ".ts"))
      .filter((f) => text.has(f));
  const usesVitest = (file: string, seen = new Set<string>()): boolean => {
    if (seen.has(file)) return false;
    seen.add(file);
    return (
      /from\s+"vitest"/.test(text.get(file)!) || importsOf(file).some((f) => usesVitest(f, seen))
    );
  };
  return helpers.filter((f) => !usesVitest(f));
}

/**
 * Modules the slow tier's test processes load with Node itself (through tsx's loader, registered by
 * `execArgv`) instead of vitest's module runner: the compiler, the runtime, the validation helpers and scripts, every
 * generated model module (committed in generated/, cached in validation/.cache, or written to a
 * `stan2ts-*` temporary folder by a test) and the test helpers that do not use vitest's API. The
 * runner reaches an import through a property getter of a module object on every call, which made
 * sampling and finite differences about five times slower than plain Node (GARCH hard starts,
 * 2 seeds: 20.8 s CPU in the runner, 4.1 s native); the code and its results are the same. Test
 * files stay in the runner. One test file's modules are never another's: each test file gets a
 * new process (pool "forks").
 */
const NATIVE_MODULES = [
  new RegExp(`^${ROOT}(src|generated|validation|scripts)/.*\\.ts$`),
  new RegExp(`^${TMP}/stan2ts-[^/]+/.*\\.m?ts$`),
  ...helpersWithoutVitest().map((f) => new RegExp(`^${escapeRegExp(f)}$`)),
];

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
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, SLOW_TESTS],
        },
      },
      {
        extends: true,
        // Long studies on a loaded 2-core machine: a wider margin than the fast tier's.
        test: {
          name: "slow",
          include: [SLOW_TESTS],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Native modules (see NATIVE_MODULES) only here: a fast-tier file mostly compiles and
          // loads modules, which tsx's loader thread does no quicker than the runner.
          execArgv: ["--import", "tsx"],
          server: { deps: { external: NATIVE_MODULES } },
        },
      },
    ],
  },
});
