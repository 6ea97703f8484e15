/**
 * Heap bytes a NUTS transition loop allocates, per leapfrog, for bench/runtimeOverhead.ts and the
 * allocation test (test/runtime/nuts/allocation.test.ts).
 *
 * Method: a forced full GC empties V8's young generation; new objects are then bump-allocated
 * there, so its used size after the loop minus before is exactly what the loop allocated — as long
 * as no scavenge runs in between, which is why windows stay small (a boxed double is 16 bytes:
 * 20 000 leapfrogs allocating one each fill 320 KB, below the 1 MB young generation V8 starts
 * with). The cost of reading the statistics themselves is measured the same way and subtracted.
 */
import v8 from "node:v8";
import vm from "node:vm";
import type { NutsSampler } from "../../src/runtime/nuts/nutsSampler";

v8.setFlagsFromString("--expose-gc");
const forceGc = vm.runInNewContext("gc") as () => void;

function youngGenerationUsed(): number {
  for (const space of v8.getHeapSpaceStatistics()) if (space.space_name === "new_space") return space.space_used_size;
  throw new Error("V8 reports no new_space");
}

/** Bytes allocated by reading the statistics twice with nothing in between (the meter's own cost). */
function meterCost(): number {
  forceGc();
  const before = youngGenerationUsed();
  return youngGenerationUsed() - before;
}

export interface AllocationMeasurement {
  readonly leapfrogs: number;
  /** Young-generation bytes the loop allocated (meter cost subtracted; 0 = nothing). */
  readonly bytes: number;
  readonly bytesPerLeapfrog: number;
}

/** Runs `transitions` transitions and measures what they allocate. */
export function measureAllocation(sampler: NutsSampler, transitions: number): AllocationMeasurement {
  const cost = meterCost();
  forceGc();
  const before = youngGenerationUsed();
  let leapfrogs = 0;
  for (let i = 0; i < transitions; i++) {
    sampler.transition();
    leapfrogs += sampler.nLeapfrog;
  }
  const bytes = Math.max(0, youngGenerationUsed() - before - cost);
  return { leapfrogs, bytes, bytesPerLeapfrog: bytes / leapfrogs };
}

/**
 * The least of up to `windows` measurements, stopping early at one below `enough` bytes per
 * leapfrog: a window can include a function still running unoptimised while TurboFan compiles it
 * on a background thread (a busy machine delays that by seconds), and unoptimised code boxes every
 * double. Allocation that the optimised loop itself does shows in every window.
 */
export function steadyStateAllocation(
  sampler: NutsSampler,
  transitions: number,
  windows: number,
  enough = 0,
): AllocationMeasurement {
  let best: AllocationMeasurement | undefined;
  for (let w = 0; w < windows; w++) {
    const m = measureAllocation(sampler, transitions);
    if (!best || m.bytesPerLeapfrog < best.bytesPerLeapfrog) best = m;
    if (best.bytesPerLeapfrog < enough) break;
  }
  return best!;
}
