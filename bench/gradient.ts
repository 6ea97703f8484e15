/**
 * Microseconds per log density and per gradient for the generated lecture models m1–m3 on the
 * lecture data (../shared/data/williams-seed.csv), and the gradient / log-density cost ratio.
 * Run: node --import tsx bench/gradient.ts [m1 m2 m3] [--seconds S]
 * Targets (issue 3): m1 ≤ 90 µs per gradient, m3 ≤ 250 µs, m2 ≤ 1.2 ms; gradient ≤ 3× log density.
 */
import { model as m1 } from "../generated/m1";
import { model as m2 } from "../generated/m2";
import { model as m3 } from "../generated/m3";
import type { CompiledModel, ModelInstance } from "../src/runtime/model";
import { lectureDataAvailable, lectureStanData } from "../test/models/lectureData";

const MODELS: Record<string, CompiledModel> = { m1, m2, m3 };
const TARGET_US: Record<string, number> = { m1: 90, m2: 1200, m3: 250 };

function timePerCall(fn: () => void, seconds: number): number {
  // warm up, then time batches until `seconds` have passed; report the fastest batch (least disturbed)
  for (let i = 0; i < 50; i++) fn();
  let best = Infinity;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const n = 20;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

function fixedPoint(inst: ModelInstance): Float64Array {
  // the oracle's point1: θ_i = 0.1·sin(i + 1)
  const t = new Float64Array(inst.dim);
  for (let i = 0; i < t.length; i++) t[i] = 0.1 * Math.sin(i + 1);
  return t;
}

function main(): void {
  if (!lectureDataAvailable()) {
    console.error("bench/gradient.ts needs ../shared/data/williams-seed.csv");
    process.exitCode = 1;
    return;
  }
  const args = process.argv.slice(2);
  const si = args.indexOf("--seconds");
  const seconds = si >= 0 ? Number(args[si + 1]) : 2;
  const names = args.filter((a, i) => a in MODELS && (si < 0 || i !== si + 1));
  console.log("model  dim    log density µs  gradient µs  ratio  target µs  allocation-free");
  for (const name of names.length > 0 ? names : Object.keys(MODELS)) {
    const inst = MODELS[name].create(lectureStanData(name as "m1"));
    const theta = fixedPoint(inst);
    const grad = new Float64Array(inst.dim);
    const tv = timePerCall(() => inst.logDensity(theta), seconds);
    const tg = timePerCall(() => inst.logDensityGradient(theta, grad), seconds);
    // allocation check: heap growth over many gradients (typed arrays are preallocated)
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 200; i++) inst.logDensityGradient(theta, grad);
    const growth = process.memoryUsage().heapUsed - before;
    console.log(
      `${name.padEnd(6)} ${String(inst.dim).padEnd(6)} ${tv.toFixed(1).padStart(14)} ${tg.toFixed(1).padStart(12)} ${(tg / tv).toFixed(2).padStart(6)} ${String(TARGET_US[name]).padStart(10)}  ${growth < 64 * 1024 ? "yes" : `no (+${(growth / 1024).toFixed(0)} KiB)`}`,
    );
  }
}

main();
