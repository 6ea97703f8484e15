#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx stan2ts` works right after `npm ci`
// with no build step to remember.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/driver/cli.ts");
await runCli();
