/**
 * `npm run build`: compiles the shipped sources (tsconfig.build.json: src/ and grammar/) to
 * JavaScript and `.d.ts` files in dist/, mirroring the source folders (dist/src/driver/cli.js).
 *
 * The sources import each other without extensions (`from "../ir/ir"`), which bundlers and tsx
 * accept but Node's ESM loader does not, so the emit rewrites every relative specifier to the
 * file Node must load (`../ir/ir.js`, `./math/index.js`), in the JavaScript and in the
 * declarations alike; a specifier that names no source file stops the build. In the JavaScript
 * only, `chevrotain` becomes `#chevrotain` (package.json `imports`): under Node that is the
 * module written here that loads chevrotain's single-file build instead of its per-module one
 * (~650 lodash-es modules, ~0.3 s of every cold start); elsewhere (browser bundlers) it is
 * plain `chevrotain`.
 *
 * npm runs it for `prepack` and `prepare`, so `npm pack` asks twice: when dist/ is newer than
 * every input (the sources, the tsconfigs, this script, package.json) it says so and stops;
 * `--force` builds anyway.
 *
 *   node --import tsx scripts/build.ts [--force]
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
/** The module `#chevrotain` names under Node (package.json `imports`). */
const CHEVROTAIN_SHIM = join(DIST, "vendor/chevrotain.js");

/** Dates the build: dist/ is removed first, so every emitted file is as new as the build. */
const BUILT_MARKER = join(DIST, "src/driver/cli.js");

/** Newest modification time (ms) of what the build reads. */
function newestInput(): number {
  let newest = 0;
  for (const file of ["package.json", "tsconfig.json", "tsconfig.build.json", "scripts/build.ts"]) {
    newest = Math.max(newest, statSync(join(ROOT, file)).mtimeMs);
  }
  for (const folder of ["src", "grammar"]) {
    for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The specifier Node loads for `spec`, imported from the source file `fromFile`. */
function nodeSpecifier(spec: string, fromFile: string, inDeclaration: boolean): string {
  if (spec === "chevrotain") return inDeclaration ? spec : "#chevrotain";
  if (!spec.startsWith("./") && !spec.startsWith("../")) return spec;
  if (/\.(m?js|json)$/.test(spec)) return spec;
  const target = resolve(dirname(fromFile), spec);
  if (existsSync(`${target}.ts`)) return `${spec}.js`;
  if (existsSync(join(target, "index.ts"))) return `${spec}/index.js`;
  throw new Error(`${fromFile}: the import '${spec}' names no .ts file or folder with index.ts`);
}

/** Rewrites the module specifiers of imports, re-exports, `import()` calls and `import("…")` types. */
function specifierRewriter(inDeclaration: boolean): ts.TransformerFactory<ts.SourceFile | ts.Bundle> {
  return (context) => {
    const f = context.factory;
    const rewriteFile = (file: ts.SourceFile): ts.SourceFile => {
      const literal = (node: ts.Expression | undefined): ts.StringLiteral | undefined => {
        if (node === undefined || !ts.isStringLiteral(node)) return undefined;
        const rewritten = nodeSpecifier(node.text, file.fileName, inDeclaration);
        return rewritten === node.text ? undefined : f.createStringLiteral(rewritten);
      };
      const visit = (node: ts.Node): ts.Node => {
        if (ts.isImportDeclaration(node)) {
          const spec = literal(node.moduleSpecifier);
          if (spec) return f.updateImportDeclaration(node, node.modifiers, node.importClause, spec, node.attributes);
        } else if (ts.isExportDeclaration(node)) {
          const spec = literal(node.moduleSpecifier);
          if (spec) return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, spec, node.attributes);
        } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
          const spec = literal(node.arguments[0]);
          if (spec) return f.updateCallExpression(node, node.expression, node.typeArguments, [spec, ...node.arguments.slice(1)]);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
          const spec = literal(node.argument.literal as ts.Expression);
          if (spec) {
            const argument = f.updateLiteralTypeNode(node.argument, spec);
            return f.updateImportTypeNode(node, argument, node.attributes, node.qualifier, node.typeArguments, node.isTypeOf);
          }
        }
        return ts.visitEachChild(node, visit, context);
      };
      return ts.visitEachChild(file, visit, context);
    };
    return (node) => (ts.isSourceFile(node) ? rewriteFile(node) : f.updateBundle(node, node.sourceFiles.map(rewriteFile)));
  };
}

/** The Node-only `#chevrotain`: chevrotain's own single-file ESM build, same version and API. */
async function writeChevrotainShim(): Promise<void> {
  const bundled = new URL("../chevrotain.mjs", import.meta.resolve("chevrotain"));
  const names = Object.keys((await import(bundled.href)) as object).filter((n) => n !== "default");
  const text = [
    "// Written by scripts/build.ts. Under Node, package.json maps `#chevrotain` here: chevrotain's",
    "// single-file build (lib/chevrotain.mjs, which its `exports` do not name, hence the URL) loads",
    "// in ~15 ms where its per-module build loads ~650 lodash-es modules (~0.3 s).",
    'const chevrotain = await import(new URL("../chevrotain.mjs", import.meta.resolve("chevrotain")).href);',
    `export const { ${names.join(", ")} } = chevrotain;`,
    "",
  ].join("\n");
  mkdirSync(dirname(CHEVROTAIN_SHIM), { recursive: true });
  writeFileSync(CHEVROTAIN_SHIM, text);
}

function formatDiagnostics(diagnostics: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnosticsWithColorAndContext(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  });
}

async function build(force: boolean): Promise<number> {
  const started = performance.now();
  if (!force && existsSync(BUILT_MARKER) && existsSync(CHEVROTAIN_SHIM) && statSync(BUILT_MARKER).mtimeMs > newestInput()) {
    console.log("dist/ is up to date (npm run build -- --force rebuilds it)");
    return 0;
  }
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.build.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => console.error(formatDiagnostics([d])),
  });
  if (!config) return 1;
  if (config.errors.length > 0) {
    console.error(formatDiagnostics(config.errors));
    return 1;
  }
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length > 0) {
    console.error(formatDiagnostics(problems));
    return 1;
  }
  rmSync(DIST, { recursive: true, force: true });
  const emitted = program.emit(undefined, undefined, undefined, false, {
    after: [specifierRewriter(false) as ts.TransformerFactory<ts.SourceFile>],
    afterDeclarations: [specifierRewriter(true)],
  });
  if (emitted.emitSkipped || emitted.diagnostics.length > 0) {
    console.error(formatDiagnostics(emitted.diagnostics));
    return 1;
  }
  await writeChevrotainShim();
  console.log(`built dist/ (${config.fileNames.length} modules) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = await build(process.argv.includes("--force"));
