/**
 * What the same-draws-on-every-engine promise costs (issue 16): gradient evaluations per second of
 * each model bundled twice in one process — with the runtime's deterministic elementary functions
 * (src/runtime/math/elementary, what users get) and with the engine's `Math` in their place
 * (`bundleModel`'s benchmark-only `engineMath`) — measured in alternating rounds so machine load
 * hits both alike; then nanoseconds per call of each function against `Math`'s.
 *
 *   node --import tsx bench/elementaryCost.ts [--quick] [--models m1,m2,eight_schools_noncentered]
 *
 * Models: the lecture models m1–m3 (generated/, on ../shared/data/williams-seed.csv when present,
 * else skipped) and every fixtures/stan/good program with fixtures/data/<name>.data.json. Also a
 * section of `npm run bench`.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundleModel } from "../src/bundle/bundleModel";
import { compileModelFile } from "../src/driver/compile";
import * as elementary from "../src/runtime/math/elementary";
import { digamma, lbeta, lchoose, lgamma } from "../src/runtime/math/special";
import type { SampleableModel } from "../src/runtime/api";
import type { ModelInstance, StanData } from "../src/runtime/model";
import { lectureDataAvailable, lectureStanData } from "../test/models/lectureData";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const now = () => performance.now();

/** µs of this process's CPU time so far (on a shared machine, time spent descheduled is not ours). */
function cpuMicros(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

/** Best-of-batches CPU µs per call (the least disturbed batch), after a warm-up. */
function microsPerCall(fn: () => void, seconds: number): number {
  const warm = now() + (seconds * 1000) / 4;
  for (let i = 0; i < 100 || now() < warm; i++) fn();
  let best = Infinity;
  const end = now() + seconds * 1000;
  do {
    let n = 0;
    const c0 = cpuMicros();
    // batches of at least 20 ms of CPU: cpuUsage counts in µs
    while (cpuMicros() - c0 < 20_000) {
      fn();
      n++;
    }
    best = Math.min(best, (cpuMicros() - c0) / n);
  } while (now() < end);
  return best;
}

/** A fixed unconstrained point away from zero (some transforms are special at 0). */
function fixedPoint(dim: number): Float64Array {
  const theta = new Float64Array(dim);
  for (let i = 0; i < dim; i++) theta[i] = 0.1 * ((i % 7) - 3) + 0.05;
  return theta;
}

interface Target {
  name: string;
  /** The generated TypeScript module to bundle. */
  tsPath: string;
  data: StanData;
}

async function targets(workDir: string, only: readonly string[] | undefined): Promise<Target[]> {
  const out: Target[] = [];
  const wanted = (name: string) => only === undefined || only.includes(name);
  for (const name of ["m1", "m2", "m3"] as const) {
    if (!wanted(name)) continue;
    if (!lectureDataAvailable()) {
      console.log(`${name}: skipped (the lecture data ../shared/data/williams-seed.csv is missing)`);
      continue;
    }
    out.push({ name, tsPath: join(ROOT, `generated/${name}.ts`), data: lectureStanData(name) as StanData });
  }
  const good = join(ROOT, "fixtures/stan/good");
  for (const file of readdirSync(good).filter((f) => f.endsWith(".stan")).sort()) {
    const name = file.replace(/\.stan$/, "");
    const dataPath = join(ROOT, "fixtures/data", `${name}.data.json`);
    if (/^m[123]$/.test(name) || !existsSync(dataPath) || !wanted(name)) continue;
    const compiled = await compileModelFile(join(good, file), { outDir: join(workDir, name) });
    out.push({ name, tsPath: compiled.tsPath, data: JSON.parse(readFileSync(dataPath, "utf8")) as StanData });
  }
  return out;
}

async function instanceFrom(tsPath: string, outFile: string, engineMath: boolean, data: StanData): Promise<ModelInstance> {
  await bundleModel(tsPath, outFile, { engineMath });
  const { model } = (await import(pathToFileURL(outFile).href)) as { model: SampleableModel };
  return model.create(data);
}

/** Per model: gradients/s with the deterministic functions and with Math, and the cost in %. */
export async function gradientCostRows(quick: boolean, only?: readonly string[]): Promise<string[][]> {
  const workDir = mkdtempSync(join(tmpdir(), "stan2ts-elementary-"));
  const rounds = quick ? 1 : 3;
  const seconds = quick ? 0.2 : 0.7;
  const rows: string[][] = [];
  try {
    for (const t of await targets(workDir, only)) {
      const deterministic = await instanceFrom(t.tsPath, join(workDir, `${t.name}.deterministic.mjs`), false, t.data);
      const engine = await instanceFrom(t.tsPath, join(workDir, `${t.name}.engine-math.mjs`), true, t.data);
      const theta = fixedPoint(deterministic.dim);
      const grad = new Float64Array(deterministic.dim);
      let sink = 0;
      let bestDeterministic = Infinity;
      let bestEngine = Infinity;
      // alternate, so a burst of load on the shared machine does not land on one variant only
      for (let r = 0; r < rounds; r++) {
        bestDeterministic = Math.min(bestDeterministic, microsPerCall(() => (sink += deterministic.logDensityGradient(theta, grad)), seconds));
        bestEngine = Math.min(bestEngine, microsPerCall(() => (sink += engine.logDensityGradient(theta, grad)), seconds));
      }
      if (Number.isNaN(sink)) console.log(`${t.name}: the log density is NaN at the benchmark point`);
      const cost = (bestDeterministic / bestEngine - 1) * 100;
      rows.push([t.name, String(deterministic.dim), fmt(1e6 / bestEngine), fmt(1e6 / bestDeterministic), `${cost >= 0 ? "+" : ""}${cost.toFixed(1)}%`]);
      process.stderr.write(`elementary cost: ${t.name} done\n`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return rows;
}

type Unary = (x: number) => number;
type Binary = (x: number, y: number) => number;

/** Arguments where each function is usually called by the models (log densities, transforms). */
const FUNCTIONS: { name: string; deterministic: Unary | Binary; engine: Unary | Binary; from: number; to: number; second?: [number, number] }[] = [
  { name: "exp", deterministic: elementary.exp, engine: Math.exp, from: -20, to: 20 },
  { name: "expm1", deterministic: elementary.expm1, engine: Math.expm1, from: -2, to: 2 },
  { name: "log", deterministic: elementary.log, engine: Math.log, from: 1e-3, to: 1e3 },
  { name: "log1p", deterministic: elementary.log1p, engine: Math.log1p, from: -0.5, to: 10 },
  { name: "log2", deterministic: elementary.log2, engine: Math.log2, from: 1e-3, to: 1e3 },
  { name: "log10", deterministic: elementary.log10, engine: Math.log10, from: 1e-3, to: 1e3 },
  { name: "pow", deterministic: elementary.pow, engine: Math.pow, from: 0.01, to: 10, second: [-3, 3] },
  { name: "cbrt", deterministic: elementary.cbrt, engine: Math.cbrt, from: -100, to: 100 },
  { name: "hypot", deterministic: elementary.hypot, engine: Math.hypot, from: -10, to: 10, second: [-10, 10] },
  { name: "sin", deterministic: elementary.sin, engine: Math.sin, from: -10, to: 10 },
  { name: "cos", deterministic: elementary.cos, engine: Math.cos, from: -10, to: 10 },
  { name: "tan", deterministic: elementary.tan, engine: Math.tan, from: -1.5, to: 1.5 },
  { name: "asin", deterministic: elementary.asin, engine: Math.asin, from: -1, to: 1 },
  { name: "acos", deterministic: elementary.acos, engine: Math.acos, from: -1, to: 1 },
  { name: "atan", deterministic: elementary.atan, engine: Math.atan, from: -10, to: 10 },
  { name: "atan2", deterministic: elementary.atan2, engine: Math.atan2, from: -10, to: 10, second: [-10, 10] },
  { name: "sinh", deterministic: elementary.sinh, engine: Math.sinh, from: -5, to: 5 },
  { name: "cosh", deterministic: elementary.cosh, engine: Math.cosh, from: -5, to: 5 },
  { name: "tanh", deterministic: elementary.tanh, engine: Math.tanh, from: -5, to: 5 },
  { name: "asinh", deterministic: elementary.asinh, engine: Math.asinh, from: -10, to: 10 },
  { name: "acosh", deterministic: elementary.acosh, engine: Math.acosh, from: 1, to: 10 },
  { name: "atanh", deterministic: elementary.atanh, engine: Math.atanh, from: -0.99, to: 0.99 },
];

/** ns per call of each function, deterministic and `Math`, on 4096 spread arguments. */
export function functionCostRows(quick: boolean): string[][] {
  const n = 4096;
  const seconds = quick ? 0.1 : 0.4;
  const rows: string[][] = [];
  for (const f of FUNCTIONS) {
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = f.from + ((f.to - f.from) * ((i * 2654435761) % n)) / n;
      if (f.second) ys[i] = f.second[0] + ((f.second[1] - f.second[0]) * ((i * 40503) % n)) / n;
    }
    let sink = 0;
    const sweep = (fn: Binary) => () => {
      for (let i = 0; i < n; i++) sink += fn(xs[i], ys[i]);
    };
    let det = Infinity;
    let eng = Infinity;
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      det = Math.min(det, (microsPerCall(sweep(f.deterministic as Binary), seconds) * 1000) / n);
      eng = Math.min(eng, (microsPerCall(sweep(f.engine as Binary), seconds) * 1000) / n);
    }
    if (Number.isNaN(sink)) console.log(`${f.name}: NaN in the sweep`);
    rows.push([f.name, det.toFixed(1), eng.toFixed(1), `${(det / eng).toFixed(2)}×`]);
  }
  return rows;
}

/** The special functions built on the elementary ones (no `Math` counterpart): ns per call, as above. */
const SPECIAL: { name: string; fn: Binary; x: (u: number) => number; y?: (u: number, x: number) => number }[] = [
  { name: "lgamma", fn: lgamma, x: (u) => 0.01 + 30 * u * u },
  { name: "digamma", fn: digamma, x: (u) => 0.01 + 30 * u * u },
  { name: "lbeta", fn: lbeta, x: (u) => 0.1 + 20 * u, y: (u) => 0.1 + 20 * u },
  { name: "lchoose", fn: lchoose, x: (u) => Math.floor(50 * u), y: (u, x) => Math.floor(x * u) },
];

export function specialCostRows(quick: boolean): string[][] {
  const n = 4096;
  const seconds = quick ? 0.1 : 0.4;
  const rows: string[][] = [];
  for (const f of SPECIAL) {
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = f.x(((i * 2654435761) % n) / n);
      if (f.y) ys[i] = f.y(((i * 40503) % n) / n, xs[i]);
    }
    let sink = 0;
    let best = Infinity;
    for (let r = 0; r < (quick ? 1 : 3); r++)
      best = Math.min(best, (microsPerCall(() => { for (let i = 0; i < n; i++) sink += f.fn(xs[i], ys[i]); }, seconds) * 1000) / n);
    if (Number.isNaN(sink)) console.log(`${f.name}: NaN in the sweep`);
    rows.push([f.name, best.toFixed(1)]);
  }
  return rows;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** The section `npm run bench` prints. */
export async function elementaryCostSection(quick: boolean, only?: readonly string[]): Promise<string[]> {
  const gradientRows = await gradientCostRows(quick, only);
  return [
    "Gradient evaluations per second at a fixed point, the same model bundled with the engine's Math and with the",
    "deterministic elementary functions (same draws on every engine), best of alternating rounds in one process,",
    "CPU time (process.cpuUsage), so other work on the machine does not count:",
    "",
    table(["model", "params", "gradients/s Math", "gradients/s deterministic", "cost"], gradientRows),
    "",
    "Per call (CPU ns, 4096 spread arguments, best of rounds):",
    "",
    table(["function", "ns deterministic", "ns Math", "ratio"], functionCostRows(quick)),
    "",
    "Special functions built on them (CPU ns per call, no Math counterpart):",
    "",
    table(["function", "ns"], specialCostRows(quick)),
  ];
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const quick = argv.includes("--quick");
  const modelsAt = argv.indexOf("--models");
  const only = modelsAt >= 0 ? (argv[modelsAt + 1] ?? "").split(",").filter(Boolean) : undefined;
  console.log(`node ${process.versions.node}, ${new Date().toISOString()}, load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  for (const line of await elementaryCostSection(quick, only)) console.log(line);
}
