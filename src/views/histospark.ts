/**
 * The one-line unicode histogram `rethinking::precis` prints (Wickham's histospark): R's
 * `hist(x, breaks = 10)` bin counts, each scaled by the largest count and mapped to one of five
 * block characters in equal fifths.
 */

/** The five bar heights, lowest first. */
export const SPARKS = ["\u2581", "\u2582", "\u2583", "\u2585", "\u2587"] as const;

/** The histogram string for `values`; non-finite values are dropped, as `hist` does. */
export function histospark(values: ArrayLike<number>, width = 10): string {
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite.push(values[i]);
  // rethinking shows a blank field for a column with no numbers (a text column).
  if (finite.length === 0) return " ".repeat(width);
  const counts = histogramCounts(finite, width);
  const max = Math.max(...counts);
  return counts.map((count) => SPARKS[sparkLevel(count / max)]).join("");
}

/** `cut(ratio, breaks = seq(0, 1, length = 6), include.lowest = TRUE)`: intervals closed on the right. */
function sparkLevel(ratio: number): number {
  const breaks = rSeqLength(0, 1, SPARKS.length + 1);
  for (let level = 0; level < SPARKS.length; level++) if (ratio <= breaks[level + 1]) return level;
  return SPARKS.length - 1;
}

/** Counts per bin of R's `hist(x, breaks = n)`: `pretty` break points, right-closed bins, lowest included. */
export function histogramCounts(values: readonly number[], n: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const breaks = prettyBreaks(lo, hi, n, 1);
  const binCount = breaks.length - 1;
  const widths = breaks.slice(1).map((b, i) => b - breaks[i]);
  // hist nudges the breaks by a tiny fraction of a bin so values sitting on a break land where R puts them.
  const diddle =
    1e-7 * (breaks.length > 5 ? median(widths) : breaks.length <= 3 ? hi - lo : Math.min(...widths.filter((w) => w > 0)));
  const fuzzy = breaks.map((b, i) => b + (i === 0 ? -diddle : diddle));
  const counts = new Array<number>(binCount).fill(0);
  for (const v of values) {
    // binary search for the bin (fuzzy[k], fuzzy[k+1]] holding v
    let low = 0;
    let high = binCount;
    if (v < fuzzy[0] || v > fuzzy[binCount]) continue;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (v > fuzzy[mid]) low = mid;
      else high = mid;
    }
    counts[low]++;
  }
  return counts;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `seq(from, to, length.out = n)` with R's arithmetic: the first half counts up, the second half down. */
export function rSeqLength(from: number, to: number, n: number): number[] {
  const out = new Array<number>(n);
  if (n > 0) out[0] = from;
  if (n > 1) out[n - 1] = to;
  const by = (to - from) / (n - 1);
  for (let i = 1; i < n - 1; i++) out[i] = i < n / 2 ? from + i * by : to - (n - 1 - i) * by;
  return out;
}

const PRETTY_HIGH_U_BIAS = 1.5;
const PRETTY_U5_BIAS = 0.5 + 1.5 * PRETTY_HIGH_U_BIAS;
const PRETTY_SHRINK_SMALL = 0.75;
const PRETTY_ROUNDING_EPS = 1e-10;

/**
 * R's `pretty(c(lo, hi), n, min.n)` with its default biases: about `n` equal steps of 1, 2 or 5
 * times a power of ten that cover [lo, hi].
 */
export function prettyBreaks(lo: number, hi: number, n: number, minN = Math.floor(n / 3)): number[] {
  const h = PRETTY_HIGH_U_BIAS;
  const h5 = PRETTY_U5_BIAS;
  const dx = hi - lo;
  let cell: number;
  let small: boolean;
  if (dx === 0 && hi === 0) {
    cell = 1;
    small = true;
  } else {
    cell = Math.max(Math.abs(lo), Math.abs(hi));
    const upper = (1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5))) * Math.max(1, n) * Number.EPSILON;
    small = dx < cell * upper * 3;
  }
  if (small) {
    if (cell > 10) cell = 9 + cell / 10;
    cell *= PRETTY_SHRINK_SMALL;
    if (minN > 1) cell /= minN;
  } else {
    cell = dx;
    if (n > 1) cell /= n;
  }
  cell = Math.max(cell, 2 ** -20 * 2.2250738585072014e-308);
  const base = 10 ** Math.floor(Math.log10(cell));
  let unit = base;
  if (2 * base - cell < h * (cell - unit)) {
    unit = 2 * base;
    if (5 * base - cell < h5 * (cell - unit)) {
      unit = 5 * base;
      if (10 * base - cell < h * (cell - unit)) unit = 10 * base;
    }
  }
  let ns = Math.floor(lo / unit + PRETTY_ROUNDING_EPS);
  let nu = Math.ceil(hi / unit - PRETTY_ROUNDING_EPS);
  while (ns * unit > lo + PRETTY_ROUNDING_EPS * unit) ns--;
  while (nu * unit < hi - PRETTY_ROUNDING_EPS * unit) nu++;
  let k = Math.floor(0.5 + nu - ns);
  if (k < minN) {
    k = minN - k;
    if (ns >= 0) {
      nu += Math.floor(k / 2);
      ns -= Math.floor(k / 2) + (k % 2);
    } else {
      ns -= Math.floor(k / 2);
      nu += Math.floor(k / 2) + (k % 2);
    }
    k = minN;
  }
  // pretty(bounds = TRUE) widens the range only if the grid does not already cover it.
  const from = Math.min(ns * unit, lo);
  const to = Math.max(nu * unit, hi);
  const breaks = rSeqLength(from, to, k + 1);
  const delta = (to - from) / k;
  return breaks.map((b) => (Math.abs(b) < 1e-14 * delta ? 0 : b));
}
