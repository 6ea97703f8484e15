/**
 * Imports flow one way (grammar → parse → … → codegen); the runtime stands alone so a generated
 * bundle carries no compiler code, and the grammar stays pure Chevrotain.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { sourceFiles } from "./sourceFiles";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

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

// ---------------------------------------------------------------------------------------------
// Module graph of src/: no cycles

const SRC = join(ROOT, "src");

/** The file a relative specifier names (`./x` → x.ts or x/index.ts), or undefined outside the sources. */
function resolveModule(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), spec).replace(/\.(js|ts)$/, "");
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

interface ModuleImport {
  readonly spec: string;
  /** `import type …`, or braces naming only types: erased when compiled, so never loaded. */
  readonly typeOnly: boolean;
}

/** Static imports and re-exports with whether they are type-only, side-effect and dynamic imports. */
function moduleImportsOf(file: string): ModuleImport[] {
  const text = readFileSync(file, "utf8");
  const out: ModuleImport[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(type\s+)?([^'"`;]*?)\s*from\s*["']([^"']+)["']/g)) {
    const braces = /^\{([^}]*)\}$/.exec(m[2].trim());
    const names = braces ? braces[1].split(",").map((n) => n.trim()).filter(Boolean) : [];
    out.push({ spec: m[3], typeOnly: m[1] !== undefined || (names.length > 0 && names.every((n) => n.startsWith("type "))) });
  }
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) out.push({ spec: m[1], typeOnly: false });
  for (const m of text.matchAll(/import\(\s*(?:\/\*[^*]*\*\/\s*)?["']([^"']+)["']\s*\)/g)) out.push({ spec: m[1], typeOnly: false });
  return out;
}

/**
 * src/ module → the src/ modules it imports: static and dynamic imports and re-exports, with
 * type-only ones when `withTypes` (those are erased at compile time, so they cannot make modules
 * load in a cycle, but they still tie the modules' designs together).
 */
function importGraph(withTypes: boolean): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = moduleImportsOf(file)
      .filter((i) => withTypes || !i.typeOnly)
      .flatMap((i) => resolveModule(file, i.spec) ?? []);
    graph.set(file, [...new Set(targets.filter((t) => t.startsWith(SRC)))]);
  }
  return graph;
}

/** Every cycle's modules in import order (one per strongly connected component; Tarjan). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  // name each component by one concrete cycle through it: a → b → … → a
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    const path = [start];
    const seen = new Set([start]);
    const step = (v: string): boolean => {
      for (const w of graph.get(v) ?? []) {
        if (w === start) return true;
        if (!members.has(w) || seen.has(w)) continue;
        seen.add(w);
        path.push(w);
        if (step(w)) return true;
        path.pop();
      }
      return false;
    };
    step(start);
    return [...path, start];
  });
}

const described = (cycle: readonly string[]) => cycle.map((f) => relative(ROOT, f)).join(" → ");

describe("module graph", () => {
  it("the cycle finder finds a cycle (so the rule below cannot pass vacuously)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
    ]);
    expect(importCycles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(importCycles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });

  it("no import cycle among the modules of src/", () => {
    const graph = importGraph(false);
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map(described)).toEqual([]);
  });

  it("no new cycle through type-only imports", () => {
    // Known, closed by an `import type` of a type that belongs in a module of its own; a cycle
    // that is fixed must leave the list too.
    const known = ["src/brms/buildModel.ts → src/brms/priors.ts → src/brms/buildModel.ts"];
    const found = importCycles(importGraph(true)).map(described);
    expect(found).toEqual(known);
  });
});

// ---------------------------------------------------------------------------------------------
// Only the driver chains stages

/**
 * The pipeline stages' entry functions and the folders of their stage. reverse mode (src/ad)
 * and code generation are one pass (`emit`) until the adjoint becomes IR, so codegen calls into
 * src/ad. A function's own folder is where it is defined, found below, so a stage may move.
 */
const STAGE_ENTRIES: readonly { readonly name: string; readonly stage?: readonly string[] }[] = [
  { name: "parseStan" },
  { name: "checkProgram" },
  { name: "rewriteGaussianSufficientStats" },
  { name: "lowerProgram" },
  { name: "structureContinue" },
  { name: "fuseLoops" },
  { name: "logOfExp" },
  { name: "hoistReciprocals" },
  { name: "hoistDataCalls" },
  { name: "dropRepeatedComments" },
  { name: "constTransformedScalars" },
  { name: "analyse" },
  { name: "differentiate" },
  { name: "emitModule" },
  { name: "emitModuleText" },
  { name: "layoutModule" },
  { name: "bundleModel" },
  { name: "buildFromScriptFile" },
];

/**
 * Calls that cross a stage outside the driver and are known, each with why; remove an entry
 * when its cause goes (the test fails on an entry that no longer matches a call).
 */
const KNOWN_CROSSINGS: readonly { readonly file: string; readonly calls: string; readonly why: string }[] = [];

/** Every call of a named function (`f(…)`, `m.f(…)`) and every import of that name, in a file. */
function namedUses(file: string): { name: string; line: number }[] {
  const text = readFileSync(file, "utf8");
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const uses: { name: string; line: number }[] = [];
  const line = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) uses.push({ name: callee.text, line: line(node) });
      else if (ts.isPropertyAccessExpression(callee)) uses.push({ name: callee.name.text, line: line(node) });
    } else if (ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) {
      uses.push({ name: (node.propertyName ?? node.name).text, line: line(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return uses;
}

/** Folder (relative to the root) of the file that defines `export function name`. */
function definingFolder(name: string): string | undefined {
  const pattern = new RegExp(`export (?:async )?function ${name}\\b`);
  const file = sourceFiles(SRC).find((f) => pattern.test(readFileSync(f, "utf8")));
  return file === undefined ? undefined : relative(ROOT, dirname(file));
}

/** `file:line calls name` for each use of a stage entry outside the driver and the entry's own stage. */
function stageCrossings(): string[] {
  const homes = new Map(
    STAGE_ENTRIES.map((e) => {
      const folder = definingFolder(e.name);
      if (folder === undefined) throw new Error(`no src/ file defines the stage entry '${e.name}'`);
      return [e.name, e.stage ?? [folder.split("/").slice(0, 2).join("/")]] as const;
    }),
  );
  const crossings: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = relative(ROOT, file);
    if (rel.startsWith("src/driver/")) continue;
    for (const use of namedUses(file)) {
      const home = homes.get(use.name);
      if (home && !home.some((folder) => rel.startsWith(`${folder}/`))) crossings.push(`${rel}:${use.line} ${use.name}`);
    }
  }
  return crossings;
}

describe("only src/driver chains the pipeline's stages", () => {
  it("no module outside src/driver imports src/driver", () => {
    const driver = join(ROOT, "src/driver");
    const bad = offenders("src", (_spec, path) => path === undefined || !path.startsWith(driver)).filter(
      (line) => !line.startsWith("src/driver/"),
    );
    expect(bad).toEqual([]);
  });

  it("the call finder sees calls, imports and re-exports (so the rule below cannot pass vacuously)", () => {
    const uses = namedUses(join(ROOT, "src/driver/compile.ts")).map((u) => u.name);
    for (const name of ["parseStan", "checkProgram", "lowerProgram", "fuseLoops", "differentiate", "emitModuleText", "bundleModel"]) {
      expect(uses).toContain(name);
    }
    expect(namedUses(join(ROOT, "src/bundle/index.ts")).map((u) => u.name)).toContain("bundleModel");
  });

  it("stage entry functions are called and imported only from src/driver or their own stage", () => {
    const crossings = stageCrossings();
    const known = (c: string) => KNOWN_CROSSINGS.some((k) => c.startsWith(`${k.file}:`) && c.endsWith(` ${k.calls}`));
    expect(crossings.filter((c) => !known(c))).toEqual([]);
    // a known crossing that is gone must leave the list
    expect(KNOWN_CROSSINGS.filter((k) => !crossings.some((c) => c.startsWith(`${k.file}:`) && c.endsWith(` ${k.calls}`)))).toEqual([]);
  });
});
