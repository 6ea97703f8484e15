#!/usr/bin/env node
// The stan2ts command: runs the compiled CLI in dist/ (`npm run build`; npm runs it on `npm ci`
// in a checkout through `prepare`, and before packing through `prepack`).
//
// In a source checkout (src/ present, as in the repository, never in the installed package),
// dist/ may be missing or older than an edited source file; then the TypeScript sources run
// through tsx (a devDependency), so `npx stan2ts` and the tests that spawn it never run stale code.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiledCli = new URL("../dist/src/driver/cli.js", import.meta.url);

/** Whether any .ts file under the source folders was modified after `builtAt` (ms). */
function sourcesNewerThan(builtAt) {
  for (const folder of ["../src/", "../grammar/"]) {
    const dir = fileURLToPath(new URL(folder, import.meta.url));
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts") && statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs > builtAt) return true;
    }
  }
  return false;
}

async function runFromSources() {
  let tsx;
  try {
    tsx = await import("tsx/esm/api");
  } catch {
    console.error("stan2ts: dist/ is missing or older than the sources and tsx is not installed: run `npm run build`.");
    process.exit(1);
  }
  tsx.register();
  // chevrotain's single-file build instead of ~650 lodash-es modules (see resolveHooks.mjs).
  const { register: registerHooks } = await import("node:module");
  const chevrotainBundle = new URL("../chevrotain.mjs", import.meta.resolve("chevrotain"));
  if (existsSync(fileURLToPath(chevrotainBundle))) {
    registerHooks("./resolveHooks.mjs", import.meta.url, { data: { chevrotainBundle: chevrotainBundle.href } });
  }
  return import("../src/driver/cli.ts");
}

const inCheckout = existsSync(new URL("../src/driver/cli.ts", import.meta.url));
const useSources = inCheckout && (!existsSync(compiledCli) || sourcesNewerThan(statSync(compiledCli).mtimeMs));
const { runCli } = useSources ? await runFromSources() : await import(compiledCli.href);
await runCli();
