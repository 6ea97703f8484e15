/**
 * Argsort of doubles by LSD radix on the IEEE bit patterns. V8's TypedArray sort is several times
 * slower for the few thousand draws per variable that the summaries rank, and it cannot return
 * the permutation. Keys map the bits to unsigned order (negative: all bits flipped; positive:
 * sign bit set), so −Inf < … < −0 < +0 < … < +Inf. NaN must be filtered out beforehand.
 *
 * Radix passes run over the high 32 bits only (sign, exponent, 20 mantissa bits); runs that tie
 * there are then ordered by the low 32 bits, which for continuous draws touches almost nothing
 * and for discrete draws (long runs of equal values) is a linear check.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

let keyLo = new Uint32Array(0);
let hiA = new Uint32Array(0);
let hiB = new Uint32Array(0);
let indexB = new Uint32Array(0);
const digitCounts = new Uint32Array(1 << DIGIT_BITS);

/** Writes into `order[0..size)` the indices of `values[0..size)` in ascending value order. */
export function argsortFloat64(values: Float64Array, size: number, order: Uint32Array): void {
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < size; i++) order[i] = i;
    order.subarray(0, size).sort((a, b) => values[a] - values[b] || a - b);
    return;
  }
  if (keyLo.length < size) {
    const capacity = Math.max(size, 2 * keyLo.length);
    keyLo = new Uint32Array(capacity);
    hiA = new Uint32Array(capacity);
    hiB = new Uint32Array(capacity);
    indexB = new Uint32Array(capacity);
  }
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * size);
  // Locals, not the module-level bindings, inside hot loops (no TDZ checks per access).
  const keyLo_ = keyLo;
  const hiA_ = hiA;
  for (let i = 0; i < size; i++) {
    const lo = bits[2 * i];
    const hi = bits[2 * i + 1];
    if (hi & 0x80000000) {
      keyLo_[i] = ~lo >>> 0;
      hiA_[i] = ~hi >>> 0;
    } else {
      keyLo_[i] = lo;
      hiA_[i] = (hi | 0x80000000) >>> 0;
    }
    order[i] = i;
  }
  // Keys travel with their indices so every pass reads sequentially.
  let keys: Uint32Array = hiA;
  let index: Uint32Array = order;
  let otherKeys: Uint32Array = hiB;
  let otherIndex: Uint32Array = indexB;
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    if (!radixPass(keys, index, otherKeys, otherIndex, shift, size)) continue;
    const k = keys;
    keys = otherKeys;
    otherKeys = k;
    const ix = index;
    index = otherIndex;
    otherIndex = ix;
  }
  if (index !== order) order.set(index.subarray(0, size));
  orderTiesByLowBits(keys, order, size);
}

/** One counting pass on the digit at `shift`; false (nothing moved) when all digits are equal. */
function radixPass(
  keys: Uint32Array,
  index: Uint32Array,
  targetKeys: Uint32Array,
  targetIndex: Uint32Array,
  shift: number,
  size: number,
): boolean {
  const counts = digitCounts;
  counts.fill(0);
  for (let i = 0; i < size; i++) counts[(keys[i] >>> shift) & DIGIT_MASK]++;
  if (size === 0 || counts[(keys[0] >>> shift) & DIGIT_MASK] === size) return false;
  let total = 0;
  for (let d = 0; d <= DIGIT_MASK; d++) {
    const c = counts[d];
    counts[d] = total;
    total += c;
  }
  for (let i = 0; i < size; i++) {
    const key = keys[i];
    const slot = counts[(key >>> shift) & DIGIT_MASK]++;
    targetKeys[slot] = key;
    targetIndex[slot] = index[i];
  }
  return true;
}

function lowKeys(): Uint32Array {
  return keyLo;
}

/** Sorts each run of equal high keys by the low 32 bits (`sortedHi` is in `order`'s order). */
function orderTiesByLowBits(sortedHi: Uint32Array, order: Uint32Array, size: number): void {
  let start = 0;
  while (start < size) {
    const hi = sortedHi[start];
    let end = start + 1;
    while (end < size && sortedHi[end] === hi) end++;
    if (end - start > 1) sortRunByLow(order, start, end);
    start = end;
  }
}

function sortRunByLow(order: Uint32Array, start: number, end: number): void {
  const keyLo = lowKeys();
  const firstLow = keyLo[order[start]];
  let sorted = true;
  let allEqual = true;
  for (let k = start + 1; k < end; k++) {
    const low = keyLo[order[k]];
    if (low !== firstLow) allEqual = false;
    if (low < keyLo[order[k - 1]]) {
      sorted = false;
      break;
    }
  }
  if (allEqual || sorted) return;
  if (end - start <= 32) {
    for (let k = start + 1; k < end; k++) {
      const item = order[k];
      const low = keyLo[item];
      let j = k - 1;
      while (j >= start && keyLo[order[j]] > low) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = item;
    }
    return;
  }
  order.subarray(start, end).sort((a, b) => keyLo[a] - keyLo[b]);
}
