/**
 * The package's browser-safe entries (`stan2ts/runtime` and the runtime subpaths a compiled model
 * imports) load no compiler code and no Node built-in, and package.json `exports` names exactly
 * the subpaths that compiled models import and the bundler resolves.
 */
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PACKAGE_IMPORTS, RUNTIME_PACKAGE_MODULES } from "../../src/bundle/bundleModel";
import { compileStan } from "../../src/driver/compile";
import { ROOT } from "../bundle/helpers";

interface ModuleImport {
  readonly spec: string;
  /** `import("…")`: loaded only when the code calling it runs. */
  readonly dynamic: boolean;
  /** `import type`, `export type`, or braces naming only types: erased, never loaded. */
  readonly typeOnly: boolean;
}

function importsOf(file: string): ModuleImport[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const found: ModuleImport[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ spec: node.moduleSpecifier.text, dynamic: false, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const typeOnly = node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
      found.push({ spec: node.moduleSpecifier.text, dynamic: false, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push({ spec: node.arguments[0].text, dynamic: true, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolveSource(fromFile: string, spec: string): string {
  const base = resolve(dirname(fromFile), spec);
  const file = [`${base}.ts`, join(base, "index.ts")].find((f) => existsSync(f));
  if (!file) throw new Error(`${fromFile}: cannot resolve '${spec}'`);
  return file;
}

const isNodeBuiltin = (spec: string) => spec.startsWith("node:") || builtinModules.includes(spec);

/**
 * Every module a bundler would include from `entry` (static and dynamic imports, type-only ones
 * left out), and the rule breaks among them: a module outside src/runtime and src/codegen/support,
 * a static import of a Node built-in or of any package. A dynamic `import("node:…")` is allowed:
 * it sits on a Node-only code path.
 */
function browserSafetyProblems(entry: string): { modules: string[]; problems: string[] } {
  const allowed = [join(ROOT, "src/runtime"), join(ROOT, "src/codegen/support")];
  const seen = new Set<string>();
  const problems: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!allowed.some((dir) => file.startsWith(`${dir}/`))) problems.push(`${relative(ROOT, file)} is outside the runtime`);
    for (const i of importsOf(file)) {
      if (i.typeOnly) continue;
      if (i.spec.startsWith(".")) queue.push(resolveSource(file, i.spec));
      else if (!(i.dynamic && isNodeBuiltin(i.spec))) problems.push(`${relative(ROOT, file)} imports '${i.spec}'${i.dynamic ? " (dynamically)" : ""}`);
    }
  }
  return { modules: [...seen], problems };
}

const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
};

describe("browser-safe package entries", () => {
  it("the scanner sees static, dynamic and type-only imports (so the rule cannot pass vacuously)", () => {
    const imports = importsOf(join(ROOT, "src/runtime/sampler/sampleModule.ts"));
    expect(imports).toContainEqual({ spec: "node:worker_threads", dynamic: true, typeOnly: false });
    expect(imports).toContainEqual({ spec: "../model", dynamic: false, typeOnly: true });
    expect(imports).toContainEqual({ spec: "./chainScheduler", dynamic: false, typeOnly: false });
    const bad = browserSafetyProblems(join(ROOT, "src/runtime/io/fileSink.ts")).problems;
    expect(bad).toEqual(["src/runtime/io/fileSink.ts imports 'node:fs'"]);
  });

  it.each([...RUNTIME_PACKAGE_MODULES])("%s loads no compiler module, no package and no Node built-in", (_subpath, module) => {
    const { modules, problems } = browserSafetyProblems(`${module}.ts`);
    expect(problems).toEqual([]);
    expect(modules.length).toBeGreaterThan(0);
  });

  it("stan2ts/runtime reaches the sampler, diagnostics, CSV and the module API", () => {
    const { modules } = browserSafetyProblems(`${RUNTIME_PACKAGE_MODULES.get("stan2ts/runtime")}.ts`);
    const reached = modules.map((m) => relative(ROOT, m));
    for (const m of ["src/runtime/api.ts", "src/runtime/nuts/nutsSampler.ts", "src/runtime/diagnostics/convergence.ts", "src/runtime/io/readCmdStanCsv.ts", "src/runtime/sampler/sampleModule.ts"]) {
      expect(reached).toContain(m);
    }
  });
});

describe("package.json exports and the runtime subpaths compiled models import", () => {
  it("exports each subpath the bundler resolves, with types, at the built file of its module", () => {
    for (const [subpath, module] of RUNTIME_PACKAGE_MODULES) {
      const target = packageJson.exports[`.${subpath.slice("stan2ts".length)}`];
      const built = `./dist/${relative(ROOT, module)}`;
      expect(target, subpath).toEqual({ types: `${built}.d.ts`, default: `${built}.js` });
    }
  });

  it("a compiled model imports only exported runtime subpaths", async () => {
    const m1 = readFileSync(join(ROOT, "fixtures/stan/good/m1.stan"), "utf8");
    const { code } = await compileStan(m1, "m1.stan", PACKAGE_IMPORTS);
    const specifiers = [...code.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    // m1 uses the model contract, math kernels, transforms and the support helpers
    expect(new Set(specifiers)).toEqual(new Set(["stan2ts/runtime/model", "stan2ts/runtime/math/index", "stan2ts/runtime/math/transforms", "stan2ts/runtime/model-support"]));
    for (const s of specifiers) expect(RUNTIME_PACKAGE_MODULES.has(s)).toBe(true);
  });
});

describe("the command line starts light", () => {
  /** Modules `entry` loads before any of its code runs: static imports, type-only ones left out. */
  function staticClosure(entry: string): { modules: string[]; packages: string[] } {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const i of importsOf(file)) {
        if (i.typeOnly || i.dynamic) continue;
        if (i.spec.startsWith(".")) queue.push(resolveSource(file, i.spec));
        else packages.add(i.spec);
      }
    }
    return { modules: [...seen].map((m) => relative(ROOT, m)), packages: [...packages] };
  }

  it("src/driver/cli.ts loads no command module, compiler stage or package until a command runs (so --version is fast)", () => {
    const { modules, packages } = staticClosure(join(ROOT, "src/driver/cli.ts"));
    expect(modules).toContain("src/driver/commands/index.ts");
    expect(modules.filter((m) => m.startsWith("src/driver/commands/") && m !== "src/driver/commands/index.ts")).toEqual([]);
    expect(modules.filter((m) => /^src\/(parse|typecheck|ir|ad|codegen|bundle|brms|optimize|views)\//.test(m) || m.startsWith("grammar/"))).toEqual([]);
    expect(packages.filter((p) => !isNodeBuiltin(p))).toEqual([]);
  });

  it("`compile` of a Stan program loads neither the R front end nor esbuild, vega or csv readers before it needs them", () => {
    const { modules, packages } = staticClosure(join(ROOT, "src/driver/commands/compile.ts"));
    expect(modules.filter((m) => m.startsWith("grammar/r/") || m.startsWith("src/views/"))).toEqual([]);
    expect(modules).toContain("grammar/stan/parser.ts");
    expect(packages.filter((p) => !isNodeBuiltin(p) && p !== "csv-parse/sync")).toEqual(["chevrotain"]);
  });

  it("each command registry entry loads the command of its name", async () => {
    const { COMMANDS } = await import("../../src/driver/commands/index");
    for (const entry of COMMANDS) expect((await entry.load()).name).toBe(entry.name);
  });
});
