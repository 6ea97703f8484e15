/**
 * The sampler runtime's own cost per leapfrog step, with a trivial density (−½·θᵀθ) so the model's
 * work is negligible, and what the transition loop allocates: bytes taken from V8's young
 * generation between two forced GCs (exact, as long as no GC runs in between), and the number of
 * GCs during the timed loop (reported to a PerformanceObserver).
 *
 * All runtime buffers are preallocated (NutsSampler, Hamiltonian, metric, tree levels); what
 * remains is V8 boxing a double into a 16-byte HeapNumber when it crosses a call V8 did not inline
 * (the model's returned log density, some `rng.uniform()` results).
 *
 *   node --import tsx bench/runtimeOverhead.ts [transitions=100000]
 */
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import type { ModelInstance } from "../src/runtime/model";
import type { MetricKind } from "../src/runtime/nuts/metric";
import { NutsSampler } from "../src/runtime/nuts/nutsSampler";
import { Xoshiro128 } from "../src/runtime/rng/xoshiro128";

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
    writeConstrained(theta, _rng, out) {
      out.set(theta);
    },
    unconstrain: () => new Float64Array(dim),
  };
}

v8.setFlagsFromString("--expose-gc");
const forceGc = vm.runInNewContext("gc") as () => void;
const youngGenerationUsed = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === "new_space")!.space_used_size;

/** Bytes allocated per leapfrog over `transitions` transitions (small enough not to trigger a GC). */
function bytesPerLeapfrog(sampler: NutsSampler, transitions: number): number {
  forceGc();
  const before = youngGenerationUsed();
  let leapfrogs = 0;
  for (let i = 0; i < transitions; i++) {
    sampler.transition();
    leapfrogs += sampler.nLeapfrog;
  }
  return (youngGenerationUsed() - before) / leapfrogs;
}

let gcCount = 0;
const observer = new PerformanceObserver((list) => {
  gcCount += list.getEntries().length;
});
observer.observe({ entryTypes: ["gc"] });

/** Lets queued GC performance entries arrive before reading the count. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

async function measure(dim: number, metric: MetricKind, transitions: number) {
  const sampler = new NutsSampler(trivialModel(dim), metric, new Xoshiro128(1));
  sampler.setPosition(new Float64Array(dim).fill(0.1));
  sampler.stepSize = dim <= 10 ? 0.6 : 0.3;
  // Warm up the JIT, then time.
  for (let i = 0; i < 20_000; i++) sampler.transition();
  const allocation = bytesPerLeapfrog(sampler, metric === "dense" && dim === 100 ? 100 : 1000);
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
    dim,
    metric,
    transitions,
    leapfrogs,
    nsPerLeapfrog: (seconds * 1e9) / leapfrogs,
    cpuNsPerLeapfrog: (cpuSeconds * 1e9) / leapfrogs,
    gcEvents: gcCount - gcBefore,
    heapGrowthBytes: heapAfter - heapBefore,
    bytesPerLeapfrog: allocation,
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
  rows.push(await measure(dim, metric, dim === 100 && metric === "dense" ? Math.ceil(transitions / 20) : transitions));
}
observer.disconnect();
console.log("NUTS runtime overhead with a trivial density (node " + process.version + ")");
console.table(
  rows.map((r) => ({
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
  "bytes/leapfrog: young-generation bytes allocated per leapfrog (0 = nothing; 16 per boxed double).",
);
