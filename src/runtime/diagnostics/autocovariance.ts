/**
 * Mean autocovariance across the columns of a draws matrix, as posterior's `autocovariance`
 * defines it for one column of length N (sampler-spec §5.3):
 *   acov_k = (1/N) Σ_{i=1}^{N−k} y_i·y_{i+k},  y = x − mean(x);  all zeros when x is constant.
 *
 * Geyer's sequence usually stops after a few lags, so lags are summed directly on demand; once a
 * chain turns out to need many lags, all of them are computed at once by FFT (zero padding to a
 * power of two ≥ 2N − 1 gives the same numbers as posterior's padding, up to rounding).
 */
import { cos, log2, sin } from "../math/elementary";

/** Lags summed directly before switching to the FFT: above this a full FFT is cheaper. */
const DIRECT_LAG_LIMIT = 20;

interface FftPlan {
  size: number;
  cos: Float64Array;
  sin: Float64Array;
  bitReverse: Uint32Array;
}

const plans = new Map<number, FftPlan>();

function fftPlan(size: number): FftPlan {
  let plan = plans.get(size);
  if (plan !== undefined) return plan;
  const half = size >>> 1;
  const cosTable = new Float64Array(half);
  const sinTable = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cosTable[k] = cos((2 * Math.PI * k) / size);
    sinTable[k] = sin((2 * Math.PI * k) / size);
  }
  const bits = log2(size);
  const bitReverse = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>>= 1) r = (r << 1) | (v & 1);
    bitReverse[i] = r;
  }
  plan = { size, cos: cosTable, sin: sinTable, bitReverse };
  plans.set(size, plan);
  return plan;
}

/** In-place radix-2 FFT (sign −1 forward, +1 inverse, unnormalised). */
function fft(re: Float64Array, im: Float64Array, plan: FftPlan, sign: 1 | -1): void {
  const n = plan.size;
  const rev = plan.bitReverse;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const cosTable = plan.cos;
  const sinTable = plan.sin;
  for (let len = 2; len <= n; len <<= 1) {
    const halfLen = len >>> 1;
    const step = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < halfLen; k++) {
        const wr = cosTable[k * step];
        const wi = sign * sinTable[k * step];
        const a = start + k;
        const b = a + halfLen;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/**
 * Mean autocovariance of `cols` columns of length `rows`, stored column after column in
 * `centered` (each column already centred on its own mean; a constant column must be all zeros).
 * Lags are produced on demand through `at(k)`; buffers are reused between calls.
 */
export class MeanAutocovariance {
  private centered: Float64Array = new Float64Array(0);
  private cols = 0;
  private rows = 0;
  private computedUpTo = -1;
  private values = new Float64Array(0);
  private re = new Float64Array(0);
  private im = new Float64Array(0);
  private power = new Float64Array(0);

  reset(centered: Float64Array, cols: number, rows: number): void {
    this.centered = centered;
    this.cols = cols;
    this.rows = rows;
    this.computedUpTo = -1;
    if (this.values.length < rows)
      this.values = new Float64Array(Math.max(rows, 2 * this.values.length));
  }

  /** Mean over columns of acov_k; 0 ≤ k < rows. */
  at(k: number): number {
    if (k <= this.computedUpTo) return this.values[k];
    if (k > DIRECT_LAG_LIMIT && this.rows > 4 * DIRECT_LAG_LIMIT) {
      this.computeAllByFft();
      return this.values[k];
    }
    // Most chains stop Geyer's sequence within eight lags: get them all from the first pass.
    if (this.computedUpTo < 0 && this.rows > 8) {
      this.firstEightLags();
      if (k <= this.computedUpTo) return this.values[k];
    }
    const { centered, cols, rows } = this;
    // Later lags come in blocks of four per pass over the draws: Geyer asks for them in pairs,
    // and one pass with four accumulators moves a quarter of the memory of four passes.
    let lag = this.computedUpTo + 1;
    while (lag <= k) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let c = 0; c < cols; c++) {
        const base = c * rows;
        const end = base + rows;
        // All four lags are valid while i + lag + 3 < end; finish the shorter sums afterwards.
        const fullEnd = end - lag - 3;
        let i = base;
        for (; i < fullEnd; i++) {
          const y = centered[i];
          const j = i + lag;
          s0 += y * centered[j];
          s1 += y * centered[j + 1];
          s2 += y * centered[j + 2];
          s3 += y * centered[j + 3];
        }
        for (; i < end; i++) {
          const y = centered[i];
          const j = i + lag;
          if (j < end) s0 += y * centered[j];
          if (j + 1 < end) s1 += y * centered[j + 1];
          if (j + 2 < end) s2 += y * centered[j + 2];
        }
      }
      const scale = 1 / rows / cols;
      this.values[lag] = s0 * scale;
      if (lag + 1 < rows) this.values[lag + 1] = s1 * scale;
      if (lag + 2 < rows) this.values[lag + 2] = s2 * scale;
      if (lag + 3 < rows) this.values[lag + 3] = s3 * scale;
      this.computedUpTo = Math.min(lag + 3, rows - 1);
      lag += 4;
    }
    return this.values[k];
  }

  /** Lags 0..7 in one pass (requires rows > 8). */
  private firstEightLags(): void {
    const { centered, cols, rows } = this;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let c = 0; c < cols; c++) {
      const base = c * rows;
      const end = base + rows;
      const fullEnd = end - 7;
      let i = base;
      for (; i < fullEnd; i++) {
        const y = centered[i];
        s0 += y * y;
        s1 += y * centered[i + 1];
        s2 += y * centered[i + 2];
        s3 += y * centered[i + 3];
        s4 += y * centered[i + 4];
        s5 += y * centered[i + 5];
        s6 += y * centered[i + 6];
        s7 += y * centered[i + 7];
      }
      // The last seven draws have fewer partners.
      for (; i < end; i++) {
        const y = centered[i];
        const left = end - i; // partners at lags 0..left−1
        s0 += y * y;
        if (left > 1) s1 += y * centered[i + 1];
        if (left > 2) s2 += y * centered[i + 2];
        if (left > 3) s3 += y * centered[i + 3];
        if (left > 4) s4 += y * centered[i + 4];
        if (left > 5) s5 += y * centered[i + 5];
        if (left > 6) s6 += y * centered[i + 6];
      }
    }
    const scale = 1 / rows / cols;
    const values = this.values;
    values[0] = s0 * scale;
    values[1] = s1 * scale;
    values[2] = s2 * scale;
    values[3] = s3 * scale;
    values[4] = s4 * scale;
    values[5] = s5 * scale;
    values[6] = s6 * scale;
    values[7] = s7 * scale;
    this.computedUpTo = 7;
  }

  private computeAllByFft(): void {
    const { centered, cols, rows } = this;
    let size = 1;
    while (size < 2 * rows - 1) size <<= 1;
    const plan = fftPlan(size);
    if (this.re.length < size) {
      this.re = new Float64Array(size);
      this.im = new Float64Array(size);
      this.power = new Float64Array(size);
    }
    const { re, im, power } = this;
    power.fill(0, 0, size);
    // Two real columns per complex transform: z = a + i·b. For X = FFT(z),
    // |A_k|² + |B_k|² = (|X_k|² + |X_{L−k}|²)/2, which is all the power sum needs.
    for (let c = 0; c < cols; c += 2) {
      re.fill(0, 0, size);
      im.fill(0, 0, size);
      re.set(centered.subarray(c * rows, (c + 1) * rows));
      if (c + 1 < cols) im.set(centered.subarray((c + 1) * rows, (c + 2) * rows));
      fft(re, im, plan, -1);
      for (let k = 0; k < size; k++) {
        const mirror = k === 0 ? 0 : size - k;
        power[k] +=
          0.5 * (re[k] * re[k] + im[k] * im[k] + re[mirror] * re[mirror] + im[mirror] * im[mirror]);
      }
    }
    re.set(power.subarray(0, size));
    im.fill(0, 0, size);
    fft(re, im, plan, 1);
    const scale = 1 / (size * rows * cols);
    for (let k = 0; k < rows; k++) this.values[k] = re[k] * scale;
    this.computedUpTo = rows - 1;
  }
}
