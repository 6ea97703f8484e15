/**
 * Bundles a generated model module with the runtime and the module API into one ESM `.js` file
 * that Node and browsers can import with no other files. The bundle is also its own chain-worker
 * script: at load it checks whether it was started as a Node worker thread or a Web Worker by
 * `model.sample()` and, if so, serves chains instead of acting as a library.
 */
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import type { BrmsNaming } from "./brmsLayout";

/** A module of this package, located from this one (src/bundle/ in the sources, dist/src/bundle/ built). */
const sibling = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Absolute paths (without extension) of this package's modules that generated modules and bundle entries import. */
export const RUNTIME_DIR = sibling("../runtime");
export const MODEL_SUPPORT = sibling("../codegen/support/modelSupport");
const API_MODULE = resolve(RUNTIME_DIR, "api");
const NODE_WORKER_MODULE = resolve(RUNTIME_DIR, "sampler/nodeChainWorker");
const WEB_WORKER_MODULE = resolve(RUNTIME_DIR, "sampler/webChainWorker");
const BRMS_LAYOUT_MODULE = sibling("./brmsLayout");

/**
 * The package's runtime as a compiled model's `.ts` imports it (`compile` writes these
 * specifiers; package.json `exports` names each one): subpath → module.
 */
export const RUNTIME_PACKAGE_MODULES: ReadonlyMap<string, string> = new Map([
  ["stan2ts/runtime", resolve(RUNTIME_DIR, "index")],
  ["stan2ts/runtime/model", resolve(RUNTIME_DIR, "model")],
  ["stan2ts/runtime/math/index", resolve(RUNTIME_DIR, "math/index")],
  ["stan2ts/runtime/math/transforms", resolve(RUNTIME_DIR, "math/transforms")],
  ["stan2ts/runtime/model-support", MODEL_SUPPORT],
]);

/** Import specifiers for `compileStan`: the runtime by package name, as an installed package's user writes it. */
export const PACKAGE_IMPORTS = { runtimeImport: "stan2ts/runtime", supportImport: "stan2ts/runtime/model-support" } as const;

/** Import specifiers for `compileStan` so a `model.ts` written anywhere imports this package's runtime. */
export function absoluteImports(): { runtimeImport: string; supportImport: string } {
  return { runtimeImport: toPosix(RUNTIME_DIR), supportImport: toPosix(MODEL_SUPPORT) };
}

function toPosix(path: string): string {
  return path.split("\\").join("/");
}

export interface BundleOptions {
  /** brms naming embedded for models built from an R script (brms names, `print(fit)` layout). */
  readonly brms?: BrmsNaming;
  /** Minify the bundle (default false: readable output). */
  readonly minify?: boolean;
  /**
   * Benchmarks only: the engine's `Math` functions in place of the runtime's deterministic
   * elementary functions, to measure what the determinism costs. The draws then depend on the
   * JavaScript engine (issue 16), so nothing a user runs sets this.
   */
  readonly engineMath?: boolean;
}

export interface BundleResult {
  readonly outFile: string;
  readonly bytes: number;
  readonly milliseconds: number;
}

/**
 * The bundle's entry: serve chains when started as a worker, otherwise export the model with the
 * module API. Paths are JSON-quoted, never spliced raw.
 */
function entrySource(modelModule: string, options: BundleOptions): string {
  const q = (path: string) => JSON.stringify(toPosix(path));
  const lines = [
    `import { model as compiled } from ${q(modelModule)};`,
    `import { defineModel } from ${q(API_MODULE)};`,
    `import { serveModelIfChainWorker } from ${q(NODE_WORKER_MODULE)};`,
    `import { serveModelIfWebChainWorker } from ${q(WEB_WORKER_MODULE)};`,
    `serveModelIfChainWorker(compiled) || serveModelIfWebChainWorker(compiled);`,
  ];
  if (options.brms) {
    lines.push(
      `import { brmsLayout } from ${q(BRMS_LAYOUT_MODULE)};`,
      `/** brms naming: CmdStan column → brms name, and what print(fit) shows. */`,
      `export const brmsNaming = ${JSON.stringify(options.brms)};`,
      `export const model = defineModel(compiled, { moduleUrl: import.meta.url, brms: brmsLayout(brmsNaming) });`,
    );
  } else {
    lines.push(`export const model = defineModel(compiled, { moduleUrl: import.meta.url });`);
  }
  lines.push(`export default model;`, "");
  return lines.join("\n");
}

const NODE_BUILTIN = /^node:|^(fs|os|path|url|worker_threads|module|crypto|util|events|stream)$/;
const SHIM_NAMESPACE = "stan2ts-node-builtin";

/**
 * Node built-ins become modules that load the real one with a dynamic import when running in Node
 * and export `undefined` elsewhere, so the same file loads in a browser. The runtime only touches
 * them on Node code paths (worker threads, file output).
 */
function nodeBuiltinsShim(): Plugin {
  const require = createRequire(import.meta.url);
  return {
    name: "stan2ts-node-builtins",
    setup(b) {
      b.onResolve({ filter: NODE_BUILTIN }, (args) =>
        // The shim's own dynamic import stays a real import of the built-in.
        args.namespace === SHIM_NAMESPACE
          ? { path: args.path, external: true }
          : { path: args.path.replace(/^node:/, ""), namespace: SHIM_NAMESPACE },
      );
      b.onLoad({ filter: /.*/, namespace: SHIM_NAMESPACE }, (args) => {
        const real = require(`node:${args.path}`) as Record<string, unknown>;
        const names = Object.keys(real).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
        const contents = [
          `const isNode = typeof globalThis.process === "object" && globalThis.process !== null && !!globalThis.process.versions?.node;`,
          `const real = isNode ? await import(${JSON.stringify(`node:${args.path}`)}) : {};`,
          ...names.map((n) => `export const ${n} = real.${n};`),
          `export default real.default;`,
        ].join("\n");
        return { contents, loader: "js" };
      });
    },
  };
}

/** The elementary functions' index without extension (`.ts` in the sources, `.js` in dist/). */
const ELEMENTARY_INDEX = resolve(RUNTIME_DIR, "math/elementary/index");
const ENGINE_MATH_NAMESPACE = "stan2ts-engine-math";

/** `BundleOptions.engineMath`: every import of the elementary functions' index gets `Math`'s. */
function engineMathShim(): Plugin {
  return {
    name: "stan2ts-engine-math",
    setup(b) {
      b.onResolve({ filter: /(^|\/)elementary(\/index)?(\.[jt]s)?$/ }, (args) => {
        const target = resolve(args.resolveDir, args.path).replace(/\.[jt]s$/, "");
        const isIndex = target === ELEMENTARY_INDEX || `${target}/index` === ELEMENTARY_INDEX;
        return isIndex ? { path: ELEMENTARY_INDEX, namespace: ENGINE_MATH_NAMESPACE } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: ENGINE_MATH_NAMESPACE }, () => ({ contents: ENGINE_MATH_MODULE, loader: "js" }));
    },
  };
}

const ENGINE_MATH_FUNCTIONS = [
  "exp", "expm1", "log", "log1p", "log2", "log10", "pow", "cbrt", "hypot",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
];
// log1pExp is a fused log1p(exp(x)) of the deterministic functions, written with Math's here
const ENGINE_MATH_MODULE = [
  ...ENGINE_MATH_FUNCTIONS.map((f) => `export const ${f} = Math.${f};`),
  "export const log1pExp = (x) => Math.log1p(Math.exp(x));",
].join("\n");

/**
 * `stan2ts/runtime…` imports resolve to this package's own files (the sources, or dist/ when
 * built), wherever the model's `.ts` is and whether or not a stan2ts is installed beside it: the
 * bundle carries the runtime of the compiler that made it.
 */
function ownRuntime(): Plugin {
  return {
    name: "stan2ts-own-runtime",
    setup(b) {
      b.onResolve({ filter: /^stan2ts(\/|$)/ }, (args) => {
        const module = RUNTIME_PACKAGE_MODULES.get(args.path);
        if (module === undefined) return { errors: [{ text: `stan2ts has no module '${args.path}' for a compiled model to import` }] };
        const file = [`${module}.ts`, `${module}.js`].find((f) => existsSync(f));
        return file === undefined ? { errors: [{ text: `internal error: ${module}.ts/.js is missing` }] } : { path: file };
      });
    },
  };
}

/**
 * Writes `outFile`: the generated model module (a `.ts` path, or its source text with `sourceDir`
 * for resolving its imports) bundled with the runtime and the module API.
 */
export async function bundleModel(
  generatedTsPathOrSource: string,
  outFile: string,
  options: BundleOptions & { sourceDir?: string } = {},
): Promise<BundleResult> {
  const started = globalThis.performance.now();
  const isSource = generatedTsPathOrSource.includes("\n");
  let modelModule: string;
  const plugins: Plugin[] = [nodeBuiltinsShim(), ownRuntime()];
  if (options.engineMath) plugins.push(engineMathShim());
  if (isSource) {
    const virtualPath = resolve(options.sourceDir ?? process.cwd(), "__stan2ts_model__.ts");
    modelModule = virtualPath;
    const contents = generatedTsPathOrSource;
    plugins.push({
      name: "stan2ts-model-source",
      setup(b) {
        b.onResolve({ filter: /__stan2ts_model__\.ts$/ }, (args) => ({ path: args.path }));
        b.onLoad({ filter: /__stan2ts_model__\.ts$/ }, () => ({ contents, loader: "ts", resolveDir: dirname(virtualPath) }));
      },
    });
  } else {
    modelModule = resolve(generatedTsPathOrSource);
  }
  // Loaded on first use: commands that never bundle do not start esbuild.
  const { build } = await import("esbuild");
  const result = await build({
    stdin: { contents: entrySource(modelModule, options), loader: "ts", resolveDir: sibling("."), sourcefile: "stan2ts-bundle-entry.ts" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    minify: options.minify ?? false,
    legalComments: "none",
    logLevel: "silent",
    write: false,
    plugins,
    banner: { js: "// stan2ts model bundle: the model, the NUTS runtime and the module API in one ESM file." },
  });
  const text = result.outputFiles[0].text;
  writeFileSync(outFile, text);
  return { outFile, bytes: Buffer.byteLength(text), milliseconds: globalThis.performance.now() - started };
}
