/**
 * The package as a user gets it (issue #18's "Done when"): `npm pack`, `npm install <tarball>` in
 * an empty project (dependencies from the npm registry, as CI has it), then
 * `import { compile, sample } from "stan2ts"` in Node with types — a TypeScript consumer
 * type-checked by tsc (module nodenext, the library's .d.ts checked too) and run — and the
 * installed `stan2ts` command, which must run without tsx.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../bundle/helpers";

const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let work: string;
let project: string;
let tarball: string;

function run(command: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const CONSUMER = `import { readFileSync } from "node:fs";
import { compile, sample, type StanData, type StanFit } from "stan2ts";
import { defineModel, rhat } from "stan2ts/runtime";

const data = JSON.parse(readFileSync("schools.data.json", "utf8")) as StanData;
const compiled = await compile("schools.stan", { outDir: "out" });
const settings = { chains: 2, warmup: 150, samples: 100, seed: 7 };
const fit: StanFit = await compiled.model.sample(data, settings);
const again: StanFit = await sample("schools.stan", "schools.data.json", settings);
const mu = fit.draws("mu");
const muAgain = again.draws("mu");
console.log(JSON.stringify({
  name: compiled.name,
  draws: mu.length,
  sameDraws: mu.length === muAgain.length && mu.every((x, i) => x === muAgain[i]),
  runtime: [typeof defineModel, typeof rhat],
}));
`;

beforeAll(() => {
  work = tempDir("package");
  // prepack builds dist/ (a no-op when it is current)
  run("npm", ["pack", "--pack-destination", work, "--silent"], ROOT);
  const packed = readdirSync(work).filter((f) => f.endsWith(".tgz"));
  expect(packed).toEqual([`stan2ts-${VERSION}.tgz`]);
  tarball = join(work, packed[0]);
  project = join(work, "consumer");
  execFileSync("mkdir", [project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  run("npm", ["install", tarball, "--no-audit", "--no-fund", "--loglevel=error"], project);
  copyFileSync(join(ROOT, "fixtures/stan/good/eight_schools_noncentered.stan"), join(project, "schools.stan"));
  copyFileSync(join(ROOT, "fixtures/data/eight_schools_noncentered.data.json"), join(project, "schools.data.json"));
  writeFileSync(join(project, "main.ts"), CONSUMER);
  const compilerOptions = {
    module: "nodenext",
    moduleResolution: "nodenext",
    target: "es2022",
    strict: true,
    skipLibCheck: false,
    outDir: "build",
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules/@types")],
  };
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["main.ts"] }, null, 2));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the installed package", () => {
  it("ships the compiled package only: no sources, tests or tsx", () => {
    const files = run("tar", ["tzf", tarball], work).trim().split("\n");
    const outside = files.filter(
      (f) => !/^package\/(package\.json|README\.md|LICENSE|bin\/stan2ts\.js|dist\/.+\.(js|d\.ts))$/.test(f) && !/^package\/fixtures\/(brms\/m1\.R|data\/lecture-sim\.(csv|truth\.json))$/.test(f),
    );
    expect(outside).toEqual([]);
    expect(files).toContain("package/dist/src/runtime/index.d.ts");
    expect(existsSync(join(project, "node_modules/tsx"))).toBe(false);
  });

  it("type-checks a TypeScript consumer of stan2ts and stan2ts/runtime, runs it: compile and sample work, same seed same draws", () => {
    run(process.execPath, [TSC, "-p", "."], project);
    const printed = JSON.parse(run(process.execPath, ["build/main.js"], project).trim().split("\n").pop()!) as Record<string, unknown>;
    expect(printed).toEqual({ name: "schools", draws: 200, sameDraws: true, runtime: ["function", "function"] });
  }, 600_000);

  it("the compiled model's .ts imports the runtime by package name and type-checks; the bundle imports nothing", () => {
    const ts = readFileSync(join(project, "out/schools.ts"), "utf8");
    const specifiers = [...ts.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.every((s) => s.startsWith("stan2ts/runtime"))).toBe(true);
    writeFileSync(
      join(project, "tsconfig.model.json"),
      JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true }, include: ["out/schools.ts"] }, null, 2),
    );
    run(process.execPath, [TSC, "-p", "tsconfig.model.json"], project);
    const bundle = readFileSync(join(project, "out/schools.js"), "utf8");
    expect(bundle).not.toMatch(/^\s*import\s[^(]/m);
    expect(bundle).not.toMatch(/stan2ts\/runtime/);
  }, 300_000);

  it("the stan2ts command runs the compiled JavaScript: --version, and compile into a folder", () => {
    const bin = join(project, "node_modules/.bin/stan2ts");
    expect(run(bin, ["--version"], project).trim()).toBe(VERSION);
    run(bin, ["compile", "schools.stan", "-o", "cli-out"], project);
    expect(existsSync(join(project, "cli-out/schools.js"))).toBe(true);
  }, 300_000);
});
