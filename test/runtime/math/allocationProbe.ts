/**
 * Allocation measurement shared by `allocation.test.ts`, and, run as a script, the `_vp` kernels'
 * measurement in a fresh node process (so that every run sees the same history of calls), under
 * V8's default flags, in gradient-table order or (`reverse`) the opposite order:
 *
 *   node --import tsx test/runtime/math/allocationProbe.ts '{"normal_lpdf_vp": 17}' [reverse]
 *
 * prints `{"normal_lpdf_vp": <bytes per call>, …}` for every `_vp` kernel of the gradient table; the
 * argument gives each kernel's byte budget (measuring stops at the first steady round within it).
 */
import { getHeapSpaceStatistics } from "node:v8";
import { fileURLToPath } from "node:url";
import * as kernels from "../../../src/runtime/math/index";
import { type ArgValue, TestRandom, argLength } from "./gradientCheck";
import { VP_TABLE, type VpEntry } from "./kernelTable";

export type AnyKernel = (...args: unknown[]) => number;
export const exported = kernels as unknown as Record<string, AnyKernel>;

/** The boxed return value of one call (HeapNumber: map word + float64). */
export const BOX_BYTES = 16;
/** Measurement residue per call (the loop's own bookkeeping), far below any real allocation. */
export const SLACK = 1;

function youngGenerationUsed(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics())
    if (s.space_name === "new_space") used += s.space_used_size;
  return used;
}

/**
 * Young-generation growth per call of `run(calls)` (which makes `calls` kernel calls) in the kernel's
 * optimised steady state. A round warms up, then measures 9 batches; its value is their median, so a
 * batch cut by a scavenge does not count. The round counts only if the middle five batches agree and
 * none of them shrank the young generation: a round in which TurboFan finished mid-way has a batch
 * between the unoptimised and the optimised rate, and a busy collector (seen under load) can shrink
 * it in several batches running; either can be the median. On a busy machine the background compile
 * can also lag the warm-up (unoptimised code boxes every double), so up to `rounds` rounds run,
 * stopping at the first steady one within `budget`; the smallest steady value counts, as nothing
 * makes optimised code allocate less than its steady state. NaN if no round was steady.
 */
export function bytesPerCall(
  run: (calls: number) => void,
  budget: number,
  calls = 1000,
  rounds = 12,
): number {
  let best = Number.NaN;
  for (let r = 0; r < rounds && !(best <= budget); r++) {
    run(10 * calls); // warm up: optimise the kernel and its call site
    // reading the heap statistics allocates their result objects: measure that and take it off
    const probe = youngGenerationUsed();
    const overhead = youngGenerationUsed() - probe;
    const perCall: number[] = [];
    for (let b = 0; b < 9; b++) {
      const before = youngGenerationUsed();
      run(calls);
      perCall.push((youngGenerationUsed() - before - overhead) / calls);
    }
    perCall.sort((x, y) => x - y);
    const steady = perCall[2] >= -SLACK && perCall[6] - perCall[2] <= SLACK;
    if (steady && !(perCall[4] >= best)) best = perCall[4];
  }
  return best;
}

const sink = new Float64Array(1);

/** Calls fn with the arguments in `a` without a spread (a spread call allocates its arguments). */
export function callFixed(fn: AnyKernel, a: unknown[]): number {
  switch (a.length) {
    case 2:
      return fn(a[0], a[1]);
    case 3:
      return fn(a[0], a[1], a[2]);
    case 4:
      return fn(a[0], a[1], a[2], a[3]);
    case 5:
      return fn(a[0], a[1], a[2], a[3], a[4]);
    case 6:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case 8:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    case 9:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    case 10:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
    case 11:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
    case 12:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    case 13:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
    default:
      throw new Error(`callFixed: ${a.length} arguments`);
  }
}

/** `calls` calls of fn(args), results summed into a sink so none is dead code. */
export function repeat(fn: AnyKernel, args: unknown[]): (calls: number) => void {
  return (calls) => {
    for (let i = 0; i < calls; i++) sink[0] += callFixed(fn, args);
  };
}

/**
 * The full argument list of a `_vp` kernel at its table's first point: values, then `propto` (false)
 * where the kernel takes it, then a d_ buffer per varying argument (null for data).
 */
export function vpArguments(entry: VpEntry): unknown[] {
  const rng = new TestRandom(0xa110c + entry.kernel.length);
  const args = entry.points(rng)[0];
  const values: ArgValue[] = args.map((a) => a.value);
  const tail: unknown[] = entry.propto ? [false] : [];
  for (const a of args) {
    if (a.kind === "data") tail.push(null);
    else if (a.kind !== "fixed") tail.push(new Float64Array(argLength(a.value)));
  }
  return [...values, ...tail];
}

/**
 * Bytes per call of every `_vp` kernel, measuring each until it is within its budget (if given), in
 * table order or the reverse.
 */
export function measureVpKernels(
  budgets: Record<string, number>,
  reverse = false,
): Record<string, number> {
  const measured: Record<string, number> = {};
  const entries = reverse ? [...VP_TABLE].reverse() : VP_TABLE;
  for (const entry of entries) {
    const fn = exported[entry.kernel];
    const args = vpArguments(entry);
    if (!Number.isFinite(callFixed(fn, args)))
      throw new Error(`${entry.kernel}: non-finite value at the test point`);
    measured[entry.kernel] = bytesPerCall(repeat(fn, args), budgets[entry.kernel] ?? 0);
  }
  return measured;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const budgets = JSON.parse(process.argv[2] ?? "{}") as Record<string, number>;
  process.stdout.write(JSON.stringify(measureVpKernels(budgets, process.argv[3] === "reverse")));
}
