/**
 * The same draws on every JavaScript engine (issue 16 item 3): eight schools and m1, sampled with
 * the same seed and settings from their model bundles in Node (worker_threads), headless Chromium
 * (Web Workers, driven by playwright-core), Deno and Bun (both from the npm registry's `deno` and
 * `bun` packages), must write byte-identical CmdStan CSVs — all but the elapsed-time lines, which
 * measure the machine. Chromium comes from Debian's package; an engine that is not installed is
 * skipped with a message (CI installs Chromium; Deno and Bun come with `npm ci` where their
 * platform packages exist).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileModelFile } from "../../src/driver/compile";
import { ROOT, tempDir } from "../bundle/helpers";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const DENO = join(ROOT, "node_modules/.bin/deno");
const BUN = join(ROOT, "node_modules/.bin/bun");

/** True when `binary --version` runs (the npm package installed its platform binary). */
function runs(binary: string): boolean {
  return existsSync(binary) && spawnSync(binary, ["--version"], { encoding: "utf8" }).status === 0;
}

const ENGINES_AVAILABLE = { chromium: CHROMIUM !== undefined, deno: runs(DENO), bun: runs(BUN) };
for (const [engine, available] of Object.entries(ENGINES_AVAILABLE)) {
  if (!available) console.warn(`test/e2e/engines.slow.test.ts: ${engine} skipped — not installed (${engine === "chromium" ? "apt-get install -y chromium" : `npm ci installs the '${engine}' package's binary`}).`);
}

/** Short seeded runs: two chains on two workers, seed 14 as in the issue's classroom example. */
const MODELS = [
  { name: "eight_schools_noncentered", data: "eight_schools_noncentered.data.json", settings: { chains: 2, cores: 2, warmup: 150, samples: 100, seed: 14 } },
  { name: "m1", data: "m1.data.json", settings: { chains: 2, cores: 2, warmup: 60, samples: 40, seed: 14 } },
] as const;

type ChainCsvs = Record<string, string>; // chain number → CSV text
type EngineOutput = Record<string, ChainCsvs>; // model name → chains

/**
 * The sampling code every engine runs: import the bundle, sample each model with a CSV sink per
 * chain (fixed start time in the header), return the CSVs. Plain JavaScript, so Chromium can take
 * it as a function body and Node, Deno and Bun as a module.
 */
function samplingScript(bundleUrls: Record<string, string>, parallelism: "auto" | "in-process"): string {
  const jobs = MODELS.map((m) => ({ name: m.name, url: bundleUrls[m.name], settings: m.settings, data: JSON.parse(readFileSync(join(ROOT, "fixtures/data", m.data), "utf8")) as unknown }));
  return `
    const jobs = ${JSON.stringify(jobs)};
    const output = {};
    for (const job of jobs) {
      const { model } = await import(job.url);
      const chains = {};
      const csv = {
        open: (chain) => {
          chains[chain] = "";
          return { write: (text) => { chains[chain] += text; } };
        },
        header: { startDatetime: new Date(0) },
      };
      await model.sample(job.data, { ...job.settings, parallelism: ${JSON.stringify(parallelism)}, csv });
      output[job.name] = chains;
    }`;
}

/** The CSV without its elapsed-time lines (`#  Elapsed Time: … seconds (Warm-up)` and the two after it). */
function withoutTiming(csv: string): string {
  return csv
    .split("\n")
    .filter((line) => !/^#\s+(Elapsed Time: )?[0-9.e+-]+ seconds \((Warm-up|Sampling|Total)\)$/.test(line))
    .join("\n");
}

/** Where `other` first differs from `reference`: model, chain and line, or nothing when identical. */
function differences(engine: string, reference: EngineOutput, other: EngineOutput): string[] {
  const found: string[] = [];
  for (const model of MODELS) {
    for (const chain of Object.keys(reference[model.name] ?? {})) {
      const want = withoutTiming(reference[model.name][chain]).split("\n");
      const got = withoutTiming(other[model.name]?.[chain] ?? "").split("\n");
      const line = want.findIndex((text, i) => got[i] !== text);
      if (line >= 0 || got.length !== want.length) {
        const at = line >= 0 ? line : want.length;
        found.push(`${engine} ${model.name} chain ${chain} line ${at + 1}: ${JSON.stringify(got[at]?.slice(0, 80))} (node: ${JSON.stringify(want[at]?.slice(0, 80))})`);
      }
    }
  }
  return found;
}

let dir = "";
const bundlePaths: Record<string, string> = {};
let server: Server | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = tempDir("engines");
  for (const m of MODELS) {
    const compiled = await compileModelFile(join(ROOT, `fixtures/stan/good/${m.name}.stan`), { outDir: dir });
    bundlePaths[m.name] = compiled.jsPath;
  }
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Runs the sampling script as a module under `command` and reads the output it prints. */
function runModule(engine: string, command: string, args: readonly string[]): EngineOutput {
  const urls = Object.fromEntries(MODELS.map((m) => [m.name, pathToFileURL(bundlePaths[m.name]).href]));
  const script = join(dir, `sample-${engine}.mjs`);
  writeFileSync(script, `${samplingScript(urls, engine === "node" ? "auto" : "in-process")}\nconsole.log("ENGINE-OUTPUT " + JSON.stringify(output));\n`);
  const result = spawnSync(command, [...args, script], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith("ENGINE-OUTPUT "));
  if (result.status !== 0 || line === undefined) throw new Error(`${engine} failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(line.slice("ENGINE-OUTPUT ".length)) as EngineOutput;
}

/** Serves the bundles on localhost and samples in a Chromium page (the bundles start Web Workers). */
async function runChromium(): Promise<EngineOutput> {
  const files = new Map(MODELS.map((m) => [`/${m.name}.js`, readFileSync(bundlePaths[m.name])]));
  server = createServer((req, res) => {
    const body = req.url === "/" ? "<!doctype html><title>stan2ts engines</title>" : files.get(req.url ?? "");
    if (body === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": req.url === "/" ? "text/html" : "text/javascript" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // no background networking: this machine's closed network refuses it (see the machine notes)
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const urls = Object.fromEntries(MODELS.map((m) => [m.name, `${origin}/${m.name}.js`]));
  // a string expression: Playwright awaits the promise and returns its JSON-able value
  const expression = `(async () => {${samplingScript(urls, "auto")}\nreturn { output, workers: typeof Worker === "function" };\n})()`;
  const result = (await page.evaluate(expression)) as { output: EngineOutput; workers: boolean };
  expect(result.workers).toBe(true);
  return result.output;
}

describe("the same draws on every JavaScript engine", () => {
  it("Node, Chromium, Deno and Bun write byte-identical CSVs for the same seed", async () => {
    const node = runModule("node", process.execPath, []);
    for (const m of MODELS) {
      expect(Object.keys(node[m.name])).toEqual(["1", "2"]);
      // header comments, the column line, the adaptation block, then one line per draw
      const drawLines = node[m.name]["1"].split("\n").filter((line) => /^-?[0-9]/.test(line));
      expect(drawLines).toHaveLength(m.settings.samples);
    }
    const others: [string, () => Promise<EngineOutput> | EngineOutput][] = [];
    if (ENGINES_AVAILABLE.chromium) others.push(["chromium", runChromium]);
    if (ENGINES_AVAILABLE.deno) others.push(["deno", () => runModule("deno", DENO, ["run", "--allow-read", "--allow-env", "--allow-sys", "--quiet"])]);
    if (ENGINES_AVAILABLE.bun) others.push(["bun", () => runModule("bun", BUN, ["run"])]);
    const differing: string[] = [];
    for (const [engine, run] of others) differing.push(...differences(engine, node, await run()));
    console.info(`test/e2e/engines.slow.test.ts: compared node with ${others.map(([engine]) => engine).join(", ") || "no other engine"}`);
    expect(differing).toEqual([]);
  }, 600_000);
});
