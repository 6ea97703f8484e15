/**
 * Speed of the deterministic elementary functions (src/runtime/math/elementary) against the
 * engine's Math.*: nanoseconds per call over 4,096 arguments in each function's typical range.
 *
 *   node --import tsx bench/elementary.ts [--rounds N]
 *
 * The functions are first bundled with esbuild, as the runtime ships (run through tsx directly,
 * every imported constant would be read through a getter). Each function gets its own loop
 * (compiled separately with `new Function`, so every call site stays monomorphic and can be
 * inlined as it would be in generated code); ours and Math's loops alternate, the time is the
 * process's CPU time (the machine is shared), and the best of the rounds is reported. The checksum
 * keeps the results alive. The last columns are heap bytes allocated per call, measured as
 * bench/runtime/allocation.ts does (young generation after a forced GC; ~2 bytes is the meter's
 * own noise, in a loop that itself allocates nothing): a double crossing a call the engine does not inline is boxed, so the functions pass
 * doubles between their parts in preallocated arrays.
 */
import { buildSync } from "esbuild";
import v8 from "node:v8";
import vm from "node:vm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type Elementary = typeof import("../src/runtime/math/elementary/index");

async function loadBundled(): Promise<Elementary> {
  const dir = mkdtempSync(join(tmpdir(), "stan2ts-elementary-"));
  try {
    const outfile = join(dir, "elementary.mjs");
    buildSync({
      entryPoints: [
        fileURLToPath(new URL("../src/runtime/math/elementary/index.ts", import.meta.url)),
      ],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile,
      logLevel: "warning",
    });
    return (await import(pathToFileURL(outfile).href)) as Elementary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SIZE = 4096;

type Unary = (x: number) => number;
type Binary = (x: number, y: number) => number;

interface Subject {
  name: string;
  ours: Unary | Binary;
  math: Unary | Binary;
  arity: 1 | 2;
  /** Argument i of SIZE (uniform u ∈ [0, 1) from a fixed sequence). */
  argument: (u: () => number) => number[];
}

const subjectsOf = (elementary: Elementary): Subject[] => [
  {
    name: "exp",
    ours: elementary.exp,
    math: Math.exp,
    arity: 1,
    argument: (u) => [-20 + 40 * u()],
  },
  {
    name: "expm1",
    ours: elementary.expm1,
    math: Math.expm1,
    arity: 1,
    argument: (u) => [-2 + 4 * u()],
  },
  {
    name: "log",
    ours: elementary.log,
    math: Math.log,
    arity: 1,
    argument: (u) => [1e-5 + 1e5 * u() ** 4],
  },
  {
    name: "log1p",
    ours: elementary.log1p,
    math: Math.log1p,
    arity: 1,
    argument: (u) => [-0.9 + 10 * u() ** 2],
  },
  {
    name: "log2",
    ours: elementary.log2,
    math: Math.log2,
    arity: 1,
    argument: (u) => [1e-5 + 1e5 * u() ** 4],
  },
  {
    name: "log10",
    ours: elementary.log10,
    math: Math.log10,
    arity: 1,
    argument: (u) => [1e-5 + 1e5 * u() ** 4],
  },
  {
    name: "pow",
    ours: elementary.pow,
    math: Math.pow,
    arity: 2,
    argument: (u) => [0.01 + 10 * u(), -5 + 10 * u()],
  },
  {
    name: "cbrt",
    ours: elementary.cbrt,
    math: Math.cbrt,
    arity: 1,
    argument: (u) => [-100 + 200 * u()],
  },
  {
    name: "hypot",
    ours: elementary.hypot,
    math: Math.hypot,
    arity: 2,
    argument: (u) => [-10 + 20 * u(), -10 + 20 * u()],
  },
  {
    name: "sinh",
    ours: elementary.sinh,
    math: Math.sinh,
    arity: 1,
    argument: (u) => [-5 + 10 * u()],
  },
  {
    name: "cosh",
    ours: elementary.cosh,
    math: Math.cosh,
    arity: 1,
    argument: (u) => [-5 + 10 * u()],
  },
  {
    name: "tanh",
    ours: elementary.tanh,
    math: Math.tanh,
    arity: 1,
    argument: (u) => [-5 + 10 * u()],
  },
  {
    name: "asinh",
    ours: elementary.asinh,
    math: Math.asinh,
    arity: 1,
    argument: (u) => [-50 + 100 * u()],
  },
  {
    name: "acosh",
    ours: elementary.acosh,
    math: Math.acosh,
    arity: 1,
    argument: (u) => [1 + 50 * u()],
  },
  {
    name: "atanh",
    ours: elementary.atanh,
    math: Math.atanh,
    arity: 1,
    argument: (u) => [-0.99 + 1.98 * u()],
  },
];

/** A loop of its own for one function: calls it on every argument `repeats` times, returns the sum. */
function makeLoop(
  arity: 1 | 2,
): (f: Unary | Binary, xs: Float64Array, ys: Float64Array, repeats: number) => number {
  const call = arity === 1 ? "f(xs[i])" : "f(xs[i], ys[i])";
  return new Function(
    "f",
    "xs",
    "ys",
    "repeats",
    `let sum = 0; for (let r = 0; r < repeats; r++) for (let i = 0; i < xs.length; i++) sum += ${call}; return sum;`,
  ) as (f: Unary | Binary, xs: Float64Array, ys: Float64Array, repeats: number) => number;
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function timeLoop(
  loop: ReturnType<typeof makeLoop>,
  f: Unary | Binary,
  xs: Float64Array,
  ys: Float64Array,
  repeats: number,
): { ns: number; checksum: number } {
  const start = process.cpuUsage();
  const checksum = loop(f, xs, ys, repeats);
  const used = process.cpuUsage(start);
  return { ns: ((used.user + used.system) * 1000) / (repeats * xs.length), checksum };
}

v8.setFlagsFromString("--expose-gc");
const forceGc = vm.runInNewContext("gc") as () => void;

function youngGenerationUsed(): number {
  for (const space of v8.getHeapSpaceStatistics())
    if (space.space_name === "new_space") return space.space_used_size;
  throw new Error("V8 reports no new_space");
}

/**
 * Heap bytes per call: a loop of its own that accumulates into a Float64Array (so the loop itself
 * allocates nothing), warmed up to optimised code, then one pass measured.
 */
function bytesPerCall(arity: 1 | 2, f: Unary | Binary, xs: Float64Array, ys: Float64Array): number {
  const call = arity === 1 ? "f(xs[i])" : "f(xs[i], ys[i])";
  const loop = new Function(
    "f",
    "xs",
    "ys",
    "out",
    `for (let i = 0; i < xs.length; i++) out[0] += ${call};`,
  ) as (f: Unary | Binary, xs: Float64Array, ys: Float64Array, out: Float64Array) => void;
  const out = new Float64Array(1);
  for (let w = 0; w < 300; w++) loop(f, xs, ys, out);
  forceGc();
  const before = youngGenerationUsed();
  loop(f, xs, ys, out);
  return (youngGenerationUsed() - before) / xs.length;
}

async function main(): Promise<void> {
  const subjects = subjectsOf(await loadBundled());
  const at = process.argv.indexOf("--rounds");
  const rounds = at >= 0 ? Number(process.argv[at + 1]) : 7;
  const repeats = 100;
  console.log(
    `| function | ours (ns/call) | Math (ns/call) | ours/Math | ours (bytes/call) | Math (bytes/call) |`,
  );
  console.log(`|---|---:|---:|---:|---:|---:|`);
  let checksum = 0;
  for (const s of subjects) {
    const u = lcg(12345);
    const xs = new Float64Array(SIZE);
    const ys = new Float64Array(SIZE);
    for (let i = 0; i < SIZE; i++) {
      const a = s.argument(u);
      xs[i] = a[0];
      ys[i] = a[1] ?? 0;
    }
    const oursLoop = makeLoop(s.arity);
    const mathLoop = makeLoop(s.arity);
    let bestOurs = Infinity;
    let bestMath = Infinity;
    // Warm-up to optimised code, then alternate.
    timeLoop(oursLoop, s.ours, xs, ys, 20);
    timeLoop(mathLoop, s.math, xs, ys, 20);
    for (let r = 0; r < rounds; r++) {
      const o = timeLoop(oursLoop, s.ours, xs, ys, repeats);
      const m = timeLoop(mathLoop, s.math, xs, ys, repeats);
      bestOurs = Math.min(bestOurs, o.ns);
      bestMath = Math.min(bestMath, m.ns);
      checksum += o.checksum - m.checksum;
    }
    const bytesOurs = bytesPerCall(s.arity, s.ours, xs, ys);
    const bytesMath = bytesPerCall(s.arity, s.math, xs, ys);
    console.log(
      `| ${s.name} | ${bestOurs.toFixed(1)} | ${bestMath.toFixed(1)} | ${(bestOurs / bestMath).toFixed(2)} | ${bytesOurs.toFixed(1)} | ${bytesMath.toFixed(1)} |`,
    );
  }
  console.log(
    `\n(checksum of differences ${checksum.toExponential(3)}; node ${process.version}, best of ${rounds} rounds of ${repeats}×${SIZE} calls)`,
  );
}

await main();
