/**
 * Reusable work buffers for kernels that need temporaries (triangular solves, linear predictors).
 * Each kernel file owns its own pool, so buffers grow to the largest size seen and are then reused:
 * steady-state evaluations allocate nothing. Safe because kernels never re-enter their own file.
 */
export class ScratchPool {
  private readonly buffers: Float64Array[];

  constructor(slots: number) {
    this.buffers = Array.from({ length: slots }, () => new Float64Array(16));
  }

  /** Buffer `slot` with room for at least `n` values (contents unspecified). */
  get(slot: number, n: number): Float64Array {
    let b = this.buffers[slot];
    if (b.length < n) {
      b = new Float64Array(Math.max(n, 2 * b.length));
      this.buffers[slot] = b;
    }
    return b;
  }
}

/**
 * out[outStart … outStart+n−1] = src[srcStart … srcStart+n−1]. A plain loop: `out.set(src.subarray(…))`
 * would allocate a view object on every call.
 */
export function copyRange(
  out: Float64Array,
  outStart: number,
  src: Float64Array,
  srcStart: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) out[outStart + i] = src[srcStart + i];
}
