/**
 * The package's Node API (`import { compile, sample } from "stan2ts"`, src/driver/api.ts), from
 * the sources; test/package/installedPackage.slow.test.ts runs it from an installed tarball.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CompileError, compile, sample } from "../../src/driver/api";
import { ROOT, tempDir } from "../bundle/helpers";

const SCHOOLS = join(ROOT, "fixtures/stan/good/eight_schools_noncentered.stan");
const SCHOOLS_DATA = join(ROOT, "fixtures/data/eight_schools_noncentered.data.json");
const SETTINGS = { chains: 2, warmup: 60, samples: 40, seed: 3 };

describe("stan2ts's Node API", () => {
  it("compile writes the .ts and the bundle and returns the bundle's model; sample(file) gives the same draws for the same seed", async () => {
    const out = tempDir("api");
    // the bundle apart from the .ts: vitest, like tsx, would load x.ts for x.js
    const compiled = await compile(SCHOOLS, { outDir: out, bundleDir: join(out, "bundle") });
    expect(compiled.name).toBe("eight_schools_noncentered");
    expect(compiled.tsPath).toBe(join(out, "eight_schools_noncentered.ts"));
    expect(existsSync(compiled.jsPath)).toBe(true);
    expect(readFileSync(compiled.tsPath, "utf8")).toContain('from "stan2ts/runtime/model"');
    expect(compiled.standata).toBeUndefined();
    const data = JSON.parse(readFileSync(SCHOOLS_DATA, "utf8")) as Record<string, unknown>;
    const fit = await compiled.model.sample(data, SETTINGS);
    const fromFile = await sample(SCHOOLS, SCHOOLS_DATA, SETTINGS);
    expect(fit.draws("mu").length).toBe(80);
    expect([...fromFile.draws("mu")]).toEqual([...fit.draws("mu")]);
    expect([...(await sample(compiled.model, data, SETTINGS)).draws("tau")]).toEqual([...fit.draws("tau")]);
  });

  it("a program that does not compile rejects with a located CompileError", async () => {
    const dir = tempDir("api-bad");
    const file = join(dir, "bad.stan");
    writeFileSync(file, "parameters {\n  real mu;\n}\nmodel {\n  mu ~ normal(0, undefined_sd);\n}\n");
    const error = await compile(file, { outDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).message).toMatch(/undefined_sd/);
  });
});
