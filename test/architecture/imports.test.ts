/**
 * Imports flow one way (grammar → parse → … → codegen); the runtime stands alone so a generated
 * bundle carries no compiler code, and the grammar stays pure Chevrotain.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Module specifiers of static and dynamic imports (and re-exports) in a file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*["']([^"']+)["']/g)) specs.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) specs.push(m[1]);
  for (const m of text.matchAll(/import\(\s*(?:\/\*[^*]*\*\/\s*)?["']([^"']+)["']\s*\)/g)) specs.push(m[1]);
  return specs;
}

function offenders(folder: string, allowed: (spec: string, resolvedPath: string | undefined) => boolean): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(join(ROOT, folder))) {
    for (const spec of importsOf(file)) {
      const resolvedPath = spec.startsWith(".") ? resolve(dirname(file), spec) : undefined;
      if (!allowed(spec, resolvedPath)) bad.push(`${relative(ROOT, file)} imports '${spec}'`);
    }
  }
  return bad;
}

describe("import direction", () => {
  it("the scanner sees real imports (so the rules below cannot pass vacuously)", () => {
    const specs = importsOf(join(ROOT, "src/runtime/sampler/sampleModule.ts"));
    expect(specs).toContain("node:worker_threads");
    expect(specs.some((s) => s.startsWith("./"))).toBe(true);
  });

  it("src/runtime imports nothing outside src/runtime (except node built-ins)", () => {
    const runtime = join(ROOT, "src/runtime");
    const bad = offenders("src/runtime", (spec, path) =>
      path !== undefined ? path.startsWith(runtime) : spec.startsWith("node:"),
    );
    expect(bad).toEqual([]);
  });

  it("grammar/ imports only chevrotain and other grammar files", () => {
    const grammar = join(ROOT, "grammar");
    const bad = offenders("grammar", (spec, path) => (path !== undefined ? path.startsWith(grammar) : spec === "chevrotain"));
    expect(bad).toEqual([]);
  });

  it("the front end does not import later stages", () => {
    const later = ["src/optimize", "src/ir", "src/ad", "src/codegen", "src/bundle", "src/driver", "src/brms"].map((p) => join(ROOT, p));
    const bad = ["src/parse", "src/typecheck", "src/ast", "src/common"].flatMap((folder) =>
      offenders(folder, (_spec, path) => path === undefined || !later.some((l) => path.startsWith(l))),
    );
    expect(bad).toEqual([]);
  });

  it("src/optimize (AST → AST passes) reads and builds the AST only: no parser, no later stage, no brms", () => {
    const allowed = ["src/optimize", "src/ast", "src/common"].map((p) => join(ROOT, p));
    const bad = offenders("src/optimize", (_spec, path) => path !== undefined && allowed.some((a) => path.startsWith(a)));
    expect(bad).toEqual([]);
  });
});
