#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx stan2ts` works right after `npm ci`
// with no build step to remember.
import { existsSync } from "node:fs";
import { register as registerHooks } from "node:module";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register();
// chevrotain's single-file build instead of ~650 lodash-es modules (see resolveHooks.mjs).
const chevrotainBundle = new URL("../chevrotain.mjs", import.meta.resolve("chevrotain"));
if (existsSync(fileURLToPath(chevrotainBundle))) {
  registerHooks("./resolveHooks.mjs", import.meta.url, { data: { chevrotainBundle: chevrotainBundle.href } });
}
const { runCli } = await import("../src/driver/cli.ts");
await runCli();
