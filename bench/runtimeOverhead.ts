/**
 * The sampler runtime's own cost per leapfrog step, and what the transition loop allocates.
 *
 * Rows: a trivial density (−½·θᵀθ, so the model's work is negligible) for several D and metrics,
 * then a generated model (fixtures/stan/good/eight_schools_noncentered.stan, compiled now), which
 * the sampler calls through `logDensityGradientInto` (a double returned from its gradient function,
 * too big for V8 to inline, would be boxed: 16 bytes per leapfrog).
 *
 * bytes/leapfrog: young-generation bytes allocated between two forced GCs, divided by leapfrogs
 * (bench/runtime/allocation.ts; 0 means the loop allocates nothing). GC events: collections
 * during the timed loop (reported to a PerformanceObserver).
 *
 *   node --import tsx bench/runtimeOverhead.ts [transitions=100000]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { compileStan } from "../src/driver/compile";
import type { CompiledModel, ModelInstance } from "../src/runtime/model";
import type { MetricKind } from "../src/runtime/nuts/metric";
import { NutsSampler } from "../src/runtime/nuts/nutsSampler";
import { Xoshiro128 } from "../src/runtime/rng/xoshiro128";
import { steadyStateAllocation } from "./runtime/allocation";

function trivialModel(dim: number): ModelInstance {
  return {
    name: "trivial",
    dim,
    variables: [{ name: "x", block: "parameters", dims: [dim], isInteger: false }],
    outputLength: dim,
    unconstrainedNames: [],
    logDensity(theta) {
      let lp = 0;
      for (let i = 0; i < dim; i++) lp -= 0.5 * theta[i] * theta[i];
      return lp;
    },
    logDensityGradient(theta, grad) {
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        lp -= 0.5 * theta[i] * theta[i];
        grad[i] = -theta[i];
      }
      return lp;
    },
    logDensityGradientInto(theta, grad, lpOut) {
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        lp -= 0.5 * theta[i] * theta[i];
        grad[i] = -theta[i];
      }
      lpOut[0] = lp;
    },
    writeConstrained(theta, _rng, out) {
      out.set(theta);
    },
    unconstrain: () => new Float64Array(dim),
  };
}

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Compiles a fixture to a temporary module (imports pointing at src/) and creates an instance. */
async function generatedModel(name: string): Promise<ModelInstance> {
  const compiled = await compileStan(readFileSync(`${ROOT}fixtures/stan/good/${name}.stan`, "utf8"), `${name}.stan`, {
    runtimeImport: join(ROOT, "src/runtime"),
    supportImport: join(ROOT, "src/codegen/support/modelSupport"),
  });
  const dir = join(tmpdir(), "stan2ts-bench");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${compiled.name}_${process.pid}.ts`);
  writeFileSync(path, compiled.code);
  const module = (await import(path)) as { model: CompiledModel };
  return module.model.create(JSON.parse(readFileSync(`${ROOT}fixtures/data/${name}.data.json`, "utf8")) as Record<string, unknown>);
}

let gcCount = 0;
const observer = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
observer.observe({ entryTypes: ["gc"] });

/** Lets queued GC performance entries arrive before reading the count. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

async function measure(label: string, model: ModelInstance, metric: MetricKind, stepSize: number, transitions: number) {
  const dim = model.dim;
  const sampler = new NutsSampler(model, metric, new Xoshiro128(1));
  sampler.setPosition(new Float64Array(dim).fill(0.1));
  sampler.stepSize = stepSize;
  // Warm up the JIT, then measure allocation (least of 3 windows of ≤ ~20 000 leapfrogs) and time.
  for (let i = 0; i < 20_000; i++) sampler.transition();
  const allocation = steadyStateAllocation(sampler, metric === "dense" && dim === 100 ? 100 : 1000, 3);
  await settle();
  const gcBefore = gcCount;
  const heapBefore = process.memoryUsage().heapUsed;
  let leapfrogs = 0;
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < transitions; i++) {
    sampler.transition();
    leapfrogs += sampler.nLeapfrog;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const heapAfter = process.memoryUsage().heapUsed;
  await settle();
  return {
    label,
    dim,
    metric,
    transitions,
    leapfrogs,
    nsPerLeapfrog: (seconds * 1e9) / leapfrogs,
    cpuNsPerLeapfrog: (cpuSeconds * 1e9) / leapfrogs,
    gcEvents: gcCount - gcBefore,
    heapGrowthBytes: heapAfter - heapBefore,
    bytesPerLeapfrog: allocation.bytesPerLeapfrog,
  };
}

/**
 * Context for the numbers: CPU ns for 20 plain passes `c[i] = a[i] + 0.5·b[i]` over D elements —
 * roughly the vector work of one leapfrog plus its tree bookkeeping.
 */
function twentyPassesNs(dim: number): number {
  const a = new Float64Array(dim).fill(1.1);
  const b = new Float64Array(dim).fill(0.3);
  const c = new Float64Array(dim);
  const pass = () => {
    for (let i = 0; i < c.length; i++) c[i] = a[i] + 0.5 * b[i];
  };
  for (let k = 0; k < 20_000; k++) pass();
  const repeats = Math.ceil(2e7 / dim / 20);
  const start = process.cpuUsage();
  for (let k = 0; k < repeats; k++) for (let j = 0; j < 20; j++) pass();
  const cpu = process.cpuUsage(start);
  return ((cpu.user + cpu.system) * 1000) / repeats;
}

const transitions = Number(process.argv[2] ?? 100_000);
const rows = [];
for (const [dim, metric] of [
  [1, "diag"],
  [10, "diag"],
  [100, "diag"],
  [10, "dense"],
  [100, "dense"],
] as Array<[number, MetricKind]>) {
  const count = dim === 100 && metric === "dense" ? Math.ceil(transitions / 20) : transitions;
  rows.push(await measure("trivial", trivialModel(dim), metric, dim <= 10 ? 0.6 : 0.3, count));
}
const eightSchools = await generatedModel("eight_schools_noncentered");
rows.push(await measure("eight schools (generated)", eightSchools, "diag", 0.5, Math.ceil(transitions / 4)));
observer.disconnect();
console.log("NUTS runtime overhead and allocation (node " + process.version + ")");
console.table(
  rows.map((r) => ({
    model: r.label,
    D: r.dim,
    metric: r.metric,
    transitions: r.transitions,
    leapfrogs: r.leapfrogs,
    "wall ns/leapfrog": r.nsPerLeapfrog.toFixed(0),
    "CPU ns/leapfrog": r.cpuNsPerLeapfrog.toFixed(0),
    "CPU ns, 20 vector passes": twentyPassesNs(r.dim).toFixed(0),
    "bytes/leapfrog": r.bytesPerLeapfrog.toFixed(1),
    "GC events (timed loop)": r.gcEvents,
  })),
);
console.log("CPU ns/leapfrog counts this process's CPU time only (robust on a shared machine); wall time includes waiting.");
console.log(
  "bytes/leapfrog: young-generation bytes allocated per leapfrog, least of 3 windows (0 = nothing; 16 per boxed double).",
);

