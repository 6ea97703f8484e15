import { describe, expect, it } from "vitest";
import * as T from "../../../src/runtime/math/transforms";
import { StanDomainError } from "../../../src/runtime/model";

// ───────────── small independent helpers (seeded RNG, finite differences, determinants) ─────────────

function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = makeRng(20261123);
function normal(): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
function randomVector(n: number, scale = 1): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = scale * normal();
  return v;
}

/** Central difference with one Richardson step: error O(h⁴). */
function derivative(f: (t: number) => number, h = 1e-3): number {
  const d = (step: number) => (f(step) - f(-step)) / (2 * step);
  return (4 * d(h / 2) - d(h)) / 3;
}

function expectClose(
  actual: number,
  expected: number,
  relTol = 1e-6,
  label = "",
  floor = 1e-3,
): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected), floor);
  if (!(Math.abs(actual - expected) <= relTol * scale))
    throw new Error(
      `${label}: got ${actual}, expected ${expected} (relative error ${Math.abs(actual - expected) / scale})`,
    );
}

/** log |det A| by Gaussian elimination with partial pivoting (A row-major n×n, copied). */
function logAbsDet(rows: number[][]): number {
  const a = rows.map((r) => r.slice());
  const n = a.length;
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const pivot = a[c][c];
    logDet += Math.log(Math.abs(pivot));
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / pivot;
      for (let k = c; k < n; k++) a[r][k] -= f * a[c][k];
    }
  }
  return logDet;
}

// ─────────────────────────────────────── the cases ───────────────────────────────────────

interface TransformCase {
  label: string;
  /** Exported base name: `${kernel}_constrain`, `_constrain_adj`, `_unconstrain`, `_free_size`. */
  kernel: string;
  freeSize: number;
  outSize: number;
  /** Initial values of parameter-valued bounds (appended after the free values in gradient checks). */
  params: number[];
  constrain(out: Float64Array, theta: Float64Array, offset: number, p: Float64Array): number;
  adj(
    out: Float64Array,
    outAdj: Float64Array,
    theta: Float64Array,
    offset: number,
    p: Float64Array,
    lpAdj: number,
    thetaAdj: Float64Array,
    pAdj: Float64Array,
  ): void;
  unconstrain(thetaOut: Float64Array, offset: number, x: Float64Array, p: Float64Array): void;
  /** Coordinates of the constrained value in which the manual's Jacobian is a square determinant. */
  coords?: (out: Float64Array) => number[];
  /** The manual's log J when it is not a determinant (unit_vector). */
  logJacobianByDefinition?: (theta: Float64Array) => number;
  /** unit_vector is many-to-one (y and 2y give the same x): only constrain ∘ unconstrain is the identity. */
  manyToOne?: boolean;
  /** Where the value starts in its buffer (structured kernels' trailing outOffset/xOffset, as for arrays). */
  outOffset?: number;
}

/** Structured values sit at this offset inside a larger buffer, as element j of an array parameter would. */
const OO = 3;

const lowerTriangle = (K: number, strict: boolean, rowOrder: boolean) => (x: Float64Array) => {
  const c: number[] = [];
  if (rowOrder) {
    for (let i = 0; i < K; i++) for (let j = 0; j < (strict ? i : i + 1); j++) c.push(x[i + j * K]);
  } else {
    for (let j = 0; j < K; j++) for (let i = strict ? j + 1 : j; i < K; i++) c.push(x[i + j * K]);
  }
  return c;
};

/** Bounds are either scalars (one parameter, adjoint summed) or elementwise (n parameters). */
function bounded(n: number, elementwise: boolean): string {
  return elementwise ? `vector[${n}], elementwise bounds` : `vector[${n}], scalar bounds`;
}
const pick = (
  p: Float64Array,
  at: number,
  n: number,
  elementwise: boolean,
): number | Float64Array => (elementwise ? p.subarray(at, at + n) : p[at]);
const adjSlot = (pAdj: Float64Array, at: number, n: number, elementwise: boolean): Float64Array =>
  elementwise ? pAdj.subarray(at, at + n) : pAdj.subarray(at, at + 1);

function boundCases(): TransformCase[] {
  const cases: TransformCase[] = [];
  for (const elementwise of [false, true]) {
    const n = 3;
    const width = elementwise ? n : 1;
    const rep = (v: number) => Array.from({ length: width }, (_, i) => v + 0.3 * i);
    const identity = (x: Float64Array) => Array.from(x);
    cases.push({
      label: `lower_bound ${bounded(n, elementwise)}`,
      kernel: "lower_bound",
      freeSize: n,
      outSize: n,
      params: rep(-0.7),
      constrain: (out, th, o, p) =>
        T.lower_bound_constrain(out, th, o, n, pick(p, 0, n, elementwise)),
      adj: (out, oa, th, o, p, lpa, ta, pa) =>
        T.lower_bound_constrain_adj(
          out,
          oa,
          th,
          o,
          n,
          pick(p, 0, n, elementwise),
          lpa,
          ta,
          adjSlot(pa, 0, n, elementwise),
        ),
      unconstrain: (to, o, x, p) =>
        T.lower_bound_unconstrain(to, o, x, n, pick(p, 0, n, elementwise), "x"),
      coords: identity,
    });
    cases.push({
      label: `upper_bound ${bounded(n, elementwise)}`,
      kernel: "upper_bound",
      freeSize: n,
      outSize: n,
      params: rep(1.3),
      constrain: (out, th, o, p) =>
        T.upper_bound_constrain(out, th, o, n, pick(p, 0, n, elementwise)),
      adj: (out, oa, th, o, p, lpa, ta, pa) =>
        T.upper_bound_constrain_adj(
          out,
          oa,
          th,
          o,
          n,
          pick(p, 0, n, elementwise),
          lpa,
          ta,
          adjSlot(pa, 0, n, elementwise),
        ),
      unconstrain: (to, o, x, p) =>
        T.upper_bound_unconstrain(to, o, x, n, pick(p, 0, n, elementwise), "x"),
      coords: identity,
    });
    cases.push({
      label: `lower_upper_bound ${bounded(n, elementwise)}`,
      kernel: "lower_upper_bound",
      freeSize: n,
      outSize: n,
      params: [...rep(-1), ...rep(2)],
      constrain: (out, th, o, p) =>
        T.lower_upper_bound_constrain(
          out,
          th,
          o,
          n,
          pick(p, 0, n, elementwise),
          pick(p, width, n, elementwise),
        ),
      adj: (out, oa, th, o, p, lpa, ta, pa) =>
        T.lower_upper_bound_constrain_adj(
          out,
          oa,
          th,
          o,
          n,
          pick(p, 0, n, elementwise),
          pick(p, width, n, elementwise),
          lpa,
          ta,
          adjSlot(pa, 0, n, elementwise),
          adjSlot(pa, width, n, elementwise),
        ),
      unconstrain: (to, o, x, p) =>
        T.lower_upper_bound_unconstrain(
          to,
          o,
          x,
          n,
          pick(p, 0, n, elementwise),
          pick(p, width, n, elementwise),
          "x",
        ),
      coords: identity,
    });
    cases.push({
      label: `offset_multiplier ${bounded(n, elementwise)}`,
      kernel: "offset_multiplier",
      freeSize: n,
      outSize: n,
      params: [...rep(0.4), ...rep(1.7)],
      constrain: (out, th, o, p) =>
        T.offset_multiplier_constrain(
          out,
          th,
          o,
          n,
          pick(p, 0, n, elementwise),
          pick(p, width, n, elementwise),
        ),
      adj: (out, oa, th, o, p, lpa, ta, pa) =>
        T.offset_multiplier_constrain_adj(
          out,
          oa,
          th,
          o,
          n,
          pick(p, 0, n, elementwise),
          pick(p, width, n, elementwise),
          lpa,
          ta,
          adjSlot(pa, 0, n, elementwise),
          adjSlot(pa, width, n, elementwise),
        ),
      unconstrain: (to, o, x, p) =>
        T.offset_multiplier_unconstrain(
          to,
          o,
          x,
          n,
          pick(p, 0, n, elementwise),
          pick(p, width, n, elementwise),
          "x",
        ),
      coords: identity,
    });
  }
  // Infinite bounds fall back to the one-sided transforms, as in Stan.
  const n = 2;
  cases.push({
    label: "lower_upper_bound with upper = +∞ (acts as lower bound)",
    kernel: "lower_upper_bound",
    freeSize: n,
    outSize: n,
    params: [0.5],
    constrain: (out, th, o, p) => T.lower_upper_bound_constrain(out, th, o, n, p[0], Infinity),
    adj: (out, oa, th, o, p, lpa, ta, pa) =>
      T.lower_upper_bound_constrain_adj(
        out,
        oa,
        th,
        o,
        n,
        p[0],
        Infinity,
        lpa,
        ta,
        pa.subarray(0, 1),
        null,
      ),
    unconstrain: (to, o, x, p) => T.lower_upper_bound_unconstrain(to, o, x, n, p[0], Infinity, "x"),
    coords: (x) => Array.from(x),
  });
  cases.push({
    label: "lower_upper_bound with lower = −∞ (acts as upper bound)",
    kernel: "lower_upper_bound",
    freeSize: n,
    outSize: n,
    params: [0.5],
    constrain: (out, th, o, p) => T.lower_upper_bound_constrain(out, th, o, n, -Infinity, p[0]),
    adj: (out, oa, th, o, p, lpa, ta, pa) =>
      T.lower_upper_bound_constrain_adj(
        out,
        oa,
        th,
        o,
        n,
        -Infinity,
        p[0],
        lpa,
        ta,
        null,
        pa.subarray(0, 1),
      ),
    unconstrain: (to, o, x, p) =>
      T.lower_upper_bound_unconstrain(to, o, x, n, -Infinity, p[0], "x"),
    coords: (x) => Array.from(x),
  });
  cases.push({
    label: "lower_bound = −∞ (identity)",
    kernel: "lower_bound",
    freeSize: n,
    outSize: n,
    params: [],
    constrain: (out, th, o) => T.lower_bound_constrain(out, th, o, n, -Infinity),
    adj: (out, oa, th, o, p, lpa, ta) =>
      T.lower_bound_constrain_adj(out, oa, th, o, n, -Infinity, lpa, ta, null),
    unconstrain: (to, o, x) => T.lower_bound_unconstrain(to, o, x, n, -Infinity, "x"),
    coords: (x) => Array.from(x),
  });
  return cases;
}

function structuredCases(): TransformCase[] {
  const cases: TransformCase[] = [];
  for (const K of [1, 2, 4]) {
    cases.push({
      label: `ordered[${K}]`,
      kernel: "ordered",
      outOffset: OO,
      freeSize: K,
      outSize: K,
      params: [],
      constrain: (out, th, o) => T.ordered_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) => T.ordered_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.ordered_unconstrain(to, o, x, K, "x", OO),
      coords: (x) => Array.from(x),
    });
    cases.push({
      label: `positive_ordered[${K}]`,
      kernel: "positive_ordered",
      outOffset: OO,
      freeSize: K,
      outSize: K,
      params: [],
      constrain: (out, th, o) => T.positive_ordered_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.positive_ordered_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.positive_ordered_unconstrain(to, o, x, K, "x", OO),
      coords: (x) => Array.from(x),
    });
    cases.push({
      label: `simplex[${K}]`,
      kernel: "simplex",
      outOffset: OO,
      freeSize: K - 1,
      outSize: K,
      params: [],
      constrain: (out, th, o) => T.simplex_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) => T.simplex_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.simplex_unconstrain(to, o, x, K, "x", OO),
      // The manual's density is with respect to the first K − 1 coordinates.
      coords: (x) => Array.from(x.subarray(0, K - 1)),
    });
    cases.push({
      label: `sum_to_zero_vector[${K}]`,
      kernel: "sum_to_zero",
      outOffset: OO,
      freeSize: K - 1,
      outSize: K,
      params: [],
      constrain: (out, th, o) => T.sum_to_zero_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.sum_to_zero_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.sum_to_zero_unconstrain(to, o, x, K, "x", OO),
      // Linear with orthonormal columns: no Jacobian by definition (checked below via VᵀV = I).
      logJacobianByDefinition: () => 0,
    });
    cases.push({
      label: `unit_vector[${K + 1}]`,
      kernel: "unit_vector",
      outOffset: OO,
      freeSize: K + 1,
      outSize: K + 1,
      params: [],
      constrain: (out, th, o) => T.unit_vector_constrain(out, th, o, K + 1, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.unit_vector_constrain_adj(out, oa, th, o, K + 1, lpa, ta, OO),
      unconstrain: (to, o, x) => T.unit_vector_unconstrain(to, o, x, K + 1, "x", OO),
      logJacobianByDefinition: (theta) => -0.5 * theta.reduce((s, v) => s + v * v, 0),
      manyToOne: true,
    });
  }
  for (const K of [1, 2, 3, 4]) {
    cases.push({
      label: `cholesky_factor_corr[${K}]`,
      kernel: "cholesky_factor_corr",
      outOffset: OO,
      freeSize: (K * (K - 1)) / 2,
      outSize: K * K,
      params: [],
      constrain: (out, th, o) => T.cholesky_factor_corr_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.cholesky_factor_corr_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.cholesky_factor_corr_unconstrain(to, o, x, K, "L", OO),
      coords: lowerTriangle(K, true, true),
    });
    cases.push({
      label: `corr_matrix[${K}]`,
      kernel: "corr_matrix",
      outOffset: OO,
      freeSize: (K * (K - 1)) / 2,
      outSize: K * K,
      params: [],
      constrain: (out, th, o) => T.corr_matrix_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.corr_matrix_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.corr_matrix_unconstrain(to, o, x, K, "Omega", OO),
      coords: lowerTriangle(K, true, false),
    });
    cases.push({
      label: `cov_matrix[${K}]`,
      kernel: "cov_matrix",
      outOffset: OO,
      freeSize: (K * (K + 1)) / 2,
      outSize: K * K,
      params: [],
      constrain: (out, th, o) => T.cov_matrix_constrain(out, th, o, K, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.cov_matrix_constrain_adj(out, oa, th, o, K, lpa, ta, OO),
      unconstrain: (to, o, x) => T.cov_matrix_unconstrain(to, o, x, K, "Sigma", OO),
      coords: lowerTriangle(K, false, false),
    });
  }
  for (const [M, N] of [
    [1, 1],
    [3, 3],
    [4, 2],
  ]) {
    cases.push({
      label: `cholesky_factor_cov[${M},${N}]`,
      kernel: "cholesky_factor_cov",
      outOffset: OO,
      freeSize: (N * (N + 1)) / 2 + (M - N) * N,
      outSize: M * N,
      params: [],
      constrain: (out, th, o) => T.cholesky_factor_cov_constrain(out, th, o, M, N, OO),
      adj: (out, oa, th, o, p, lpa, ta) =>
        T.cholesky_factor_cov_constrain_adj(out, oa, th, o, M, N, lpa, ta, OO),
      unconstrain: (to, o, x) => T.cholesky_factor_cov_unconstrain(to, o, x, M, N, "L", OO),
      coords: (x) => {
        const c: number[] = [];
        for (let j = 0; j < N; j++) for (let i = j; i < M; i++) c.push(x[i + j * M]);
        return c;
      },
    });
  }
  return cases;
}

const cases = [...boundCases(), ...structuredCases()];
const OFFSET = 2; // free values sit inside a larger theta, as in a model

const UNTOUCHED = 7.25;

/** Constrains y; `out` is the whole buffer (value at c.outOffset), `x` just the value. */
function evaluate(c: TransformCase, y: Float64Array, p: Float64Array) {
  const theta = new Float64Array(OFFSET + c.freeSize + 1).fill(NaN);
  theta.set(y, OFFSET);
  const oo = c.outOffset ?? 0;
  const out = new Float64Array(oo + c.outSize + 2).fill(UNTOUCHED);
  const logJ = c.constrain(out, theta, OFFSET, p);
  for (let i = 0; i < out.length; i++)
    if (i < oo || i >= oo + c.outSize)
      expect(out[i], `${c.label} wrote outside its value`).toBe(UNTOUCHED);
  return { theta, out, x: out.subarray(oo, oo + c.outSize), logJ };
}

describe("constraint transforms", () => {
  for (const c of cases) {
    describe(c.label, () => {
      it("has the manual's free size", () => {
        const sizeFn = (T as Record<string, unknown>)[`${c.kernel}_free_size`];
        expect(typeof sizeFn).toBe("function");
        expect(c.freeSize).toBeGreaterThanOrEqual(0);
      });

      it("unconstrain ∘ constrain and constrain ∘ unconstrain are the identity", () => {
        for (let trial = 0; trial < 5; trial++) {
          const y = randomVector(c.freeSize);
          const p = Float64Array.from(c.params);
          const { out, x } = evaluate(c, y, p);
          const back = new Float64Array(OFFSET + c.freeSize).fill(NaN);
          c.unconstrain(back, OFFSET, out, p);
          if (!c.manyToOne)
            for (let i = 0; i < c.freeSize; i++)
              expectClose(back[OFFSET + i], y[i], 1e-8, `${c.label} y[${i}]`);
          const again = evaluate(c, back.subarray(OFFSET), p).out;
          for (let i = 0; i < c.outSize; i++)
            expectClose(again[i], out[i], 1e-10, `${c.label} x[${i}]`);
        }
      });

      it("log-Jacobian equals the manual's definition (log |det J| by finite differences)", () => {
        for (let trial = 0; trial < 3; trial++) {
          const y = randomVector(c.freeSize);
          const p = Float64Array.from(c.params);
          const { logJ } = evaluate(c, y, p);
          if (c.logJacobianByDefinition) {
            expectClose(logJ, c.logJacobianByDefinition(y), 1e-12, c.label);
            continue;
          }
          const coords = c.coords!;
          const J: number[][] = [];
          for (let j = 0; j < c.freeSize; j++) {
            const column = (t: number) => {
              const yy = Float64Array.from(y);
              yy[j] += t;
              return coords(evaluate(c, yy, p).x);
            };
            const m = coords(evaluate(c, y, p).x).length;
            expect(m).toBe(c.freeSize);
            for (let i = 0; i < m; i++) {
              J[i] ??= [];
              J[i][j] = derivative((t) => column(t)[i]);
            }
          }
          const expected = c.freeSize === 0 ? 0 : logAbsDet(J);
          expectClose(logJ, expected, 1e-6, `${c.label} log|det J|`);
        }
      });

      it("_constrain_adj gives the gradient of ⟨w, x⟩ + log J (and of ⟨w, x⟩ alone) by finite differences", () => {
        // Three random points and two edge points far into the tails (|y| between 4 and 6).
        const edge = (sign: number) =>
          Float64Array.from(
            { length: c.freeSize },
            (_, j) => sign * (4 + (j % 3)) * (j % 2 ? -1 : 1),
          );
        const points = [
          randomVector(c.freeSize),
          randomVector(c.freeSize),
          randomVector(c.freeSize),
          edge(1),
          edge(-1),
        ];
        for (const y of points) {
          const p = Float64Array.from(c.params);
          const w = randomVector(c.outSize);
          for (const lpAdj of [1, 0]) {
            const objective = (yy: Float64Array, pp: Float64Array) => {
              const { x, logJ } = evaluate(c, yy, pp);
              let s = lpAdj * logJ;
              for (let i = 0; i < c.outSize; i++) s += w[i] * x[i];
              return s;
            };
            const { theta, out } = evaluate(c, y, p);
            const wBuffer = new Float64Array(out.length).fill(NaN);
            wBuffer.set(w, c.outOffset ?? 0);
            // Accumulation: start from nonzero adjoints and check only the increments.
            const thetaAdj = new Float64Array(theta.length).fill(0.25);
            const pAdj = new Float64Array(p.length).fill(-0.5);
            c.adj(out, wBuffer, theta, OFFSET, p, lpAdj, thetaAdj, pAdj);
            for (let i = 0; i < theta.length; i++)
              if (i < OFFSET || i >= OFFSET + c.freeSize) expect(thetaAdj[i]).toBe(0.25);
            const fds = Array.from({ length: c.freeSize }, (_, j) =>
              derivative((t) => {
                const yy = Float64Array.from(y);
                yy[j] += t;
                return objective(yy, p);
              }),
            );
            // Far in the tails some values are e^12 while some partials are 1e-5: there, errors are
            // measured relative to the largest partial (finite differences cannot resolve better).
            const floor = Math.max(1e-3, 1e-3 * Math.max(...fds.map(Math.abs)));
            for (let j = 0; j < c.freeSize; j++) {
              const fd = fds[j];
              expectClose(
                thetaAdj[OFFSET + j] - 0.25,
                fd,
                1e-6,
                `${c.label} ∂/∂y[${j}] (lpAdj=${lpAdj})`,
                floor,
              );
            }
            for (let j = 0; j < p.length; j++) {
              const fd = derivative((t) => {
                const pp = Float64Array.from(p);
                pp[j] += t;
                return objective(y, pp);
              }, 1e-4);
              expectClose(pAdj[j] + 0.5, fd, 1e-6, `${c.label} ∂/∂bound[${j}] (lpAdj=${lpAdj})`);
            }
          }
        }
      });
    });
  }

  it("sum_to_zero basis is orthonormal and orthogonal to 1 (so no Jacobian)", () => {
    for (const K of [2, 3, 5]) {
      const cols: Float64Array[] = [];
      for (let j = 0; j < K - 1; j++) {
        const y = new Float64Array(K - 1);
        y[j] = 1;
        const out = new Float64Array(K);
        T.sum_to_zero_constrain(out, y, 0, K);
        cols.push(out);
      }
      for (let a = 0; a < K - 1; a++) {
        expect(Math.abs(cols[a].reduce((s, v) => s + v, 0))).toBeLessThan(1e-14);
        for (let b = 0; b < K - 1; b++) {
          const dot = cols[a].reduce((s, v, i) => s + v * cols[b][i], 0);
          expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-14);
        }
      }
    }
  });

  it("every exported transform has a case with gradient and Jacobian checks", () => {
    const tested = new Set(cases.map((c) => c.kernel));
    const names = Object.keys(T);
    for (const name of names) {
      const m = /^(.*)_constrain$/.exec(name);
      if (!m) continue;
      expect(tested, `${name} has no test case`).toContain(m[1]);
      for (const suffix of ["_constrain_adj", "_unconstrain", "_free_size"])
        expect(names, `${m[1]} lacks ${suffix}`).toContain(`${m[1]}${suffix}`);
    }
    for (const name of names) {
      const m = /^(.*)_constrain_scalar$/.exec(name);
      if (m) expect(scalarTested, `${name} has no test`).toContain(m[1]);
    }
  });
});

// ─────────────────────────────── scalar forms agree with the vector forms ───────────────────────────────

const scalarTested = ["lower_bound", "upper_bound", "lower_upper_bound", "offset_multiplier"];

describe("scalar transform forms", () => {
  const forms: Array<{
    kernel: string;
    bounds: number[];
    value: (y: number, b: number[]) => number;
    logJ: (y: number, b: number[]) => number;
    adj: (y: number, b: number[], xAdj: number, lpAdj: number, boxes: Float64Array[]) => number;
    free: (x: number, b: number[]) => number;
    vector: (out: Float64Array, th: Float64Array, b: number[]) => number;
  }> = [
    {
      kernel: "lower_bound",
      bounds: [0.3],
      value: (y, b) => T.lower_bound_constrain_scalar(y, b[0]),
      logJ: (y, b) => T.lower_bound_log_jacobian_scalar(y, b[0]),
      adj: (y, b, xa, la, bx) => T.lower_bound_constrain_scalar_adj(y, b[0], xa, la, bx[0]),
      free: (x, b) => T.lower_bound_unconstrain_scalar(x, b[0], "s"),
      vector: (out, th, b) => T.lower_bound_constrain(out, th, 0, 1, b[0]),
    },
    {
      kernel: "upper_bound",
      bounds: [0.3],
      value: (y, b) => T.upper_bound_constrain_scalar(y, b[0]),
      logJ: (y, b) => T.upper_bound_log_jacobian_scalar(y, b[0]),
      adj: (y, b, xa, la, bx) => T.upper_bound_constrain_scalar_adj(y, b[0], xa, la, bx[0]),
      free: (x, b) => T.upper_bound_unconstrain_scalar(x, b[0], "s"),
      vector: (out, th, b) => T.upper_bound_constrain(out, th, 0, 1, b[0]),
    },
    {
      kernel: "lower_upper_bound",
      bounds: [-1, 2],
      value: (y, b) => T.lower_upper_bound_constrain_scalar(y, b[0], b[1]),
      logJ: (y, b) => T.lower_upper_bound_log_jacobian_scalar(y, b[0], b[1]),
      adj: (y, b, xa, la, bx) =>
        T.lower_upper_bound_constrain_scalar_adj(y, b[0], b[1], xa, la, bx[0], bx[1]),
      free: (x, b) => T.lower_upper_bound_unconstrain_scalar(x, b[0], b[1], "s"),
      vector: (out, th, b) => T.lower_upper_bound_constrain(out, th, 0, 1, b[0], b[1]),
    },
    {
      kernel: "offset_multiplier",
      bounds: [0.5, 2.5],
      value: (y, b) => T.offset_multiplier_constrain_scalar(y, b[0], b[1]),
      logJ: (y, b) => T.offset_multiplier_log_jacobian_scalar(y, b[0], b[1]),
      adj: (y, b, xa, la, bx) =>
        T.offset_multiplier_constrain_scalar_adj(y, b[0], b[1], xa, la, bx[0], bx[1]),
      free: (x, b) => T.offset_multiplier_unconstrain_scalar(x, b[0], b[1], "s"),
      vector: (out, th, b) => T.offset_multiplier_constrain(out, th, 0, 1, b[0], b[1]),
    },
  ];
  for (const f of forms) {
    it(`${f.kernel}: value, log J, gradient and inverse`, () => {
      for (const y of [-3.2, -0.4, 0, 0.9, 4.1]) {
        const out = new Float64Array(1);
        const logJ = f.vector(out, Float64Array.of(y), f.bounds);
        expect(f.value(y, f.bounds)).toBe(out[0]);
        expect(f.logJ(y, f.bounds)).toBeCloseTo(logJ, 14);
        expectClose(f.free(out[0], f.bounds), y, 1e-9, `${f.kernel} inverse`);
        const xAdj = 0.7;
        const boxes = f.bounds.map(() => new Float64Array(1));
        const yAdj = f.adj(y, f.bounds, xAdj, 1, boxes);
        const obj = (yy: number, b: number[]) => xAdj * f.value(yy, b) + f.logJ(yy, b);
        expectClose(
          yAdj,
          derivative((t) => obj(y + t, f.bounds)),
          1e-6,
          `${f.kernel} ∂/∂y`,
        );
        f.bounds.forEach((_, k) => {
          const fd = derivative(
            (t) =>
              obj(
                y,
                f.bounds.map((v, kk) => (kk === k ? v + t : v)),
              ),
            1e-4,
          );
          expectClose(boxes[k][0], fd, 1e-6, `${f.kernel} ∂/∂bound[${k}]`);
        });
      }
    });
  }
});

// ───────────────── values by hand from the manual's formulas (an independent code path) ─────────────────

describe("values match the reference manual's formulas", () => {
  const invLogit = (u: number) => 1 / (1 + Math.exp(-u));

  it("lower=0: x = exp(y), log J = y", () => {
    const out = new Float64Array(1);
    const logJ = T.lower_bound_constrain(out, Float64Array.of(-0.35), 0, 1, 0);
    expect(out[0]).toBeCloseTo(Math.exp(-0.35), 15);
    expect(logJ).toBe(-0.35);
  });

  it("lower=-1, upper=2: x = −1 + 3·inv_logit(y), log J = log 3 + log s + log(1 − s)", () => {
    for (const y of [-2, 0.25, 3]) {
      const out = new Float64Array(1);
      const logJ = T.lower_upper_bound_constrain(out, Float64Array.of(y), 0, 1, -1, 2);
      const s = invLogit(y);
      expect(out[0]).toBeCloseTo(-1 + 3 * s, 14);
      expect(logJ).toBeCloseTo(Math.log(3) + Math.log(s) + Math.log(1 - s), 13);
    }
  });

  it("ordered[3]: x = (y1, y1 + e^y2, y1 + e^y2 + e^y3), log J = y2 + y3", () => {
    const y = [0.3, -1.2, 0.8];
    const out = new Float64Array(3);
    const logJ = T.ordered_constrain(out, Float64Array.from(y), 0, 3);
    const expected = [y[0], y[0] + Math.exp(y[1]), y[0] + Math.exp(y[1]) + Math.exp(y[2])];
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 14));
    expect(logJ).toBeCloseTo(y[1] + y[2], 15);
  });

  it("cholesky_factor_corr[2]: L[1,0] = tanh(y)", () => {
    const L = new Float64Array(4);
    const y = 0.77;
    const logJ = T.cholesky_factor_corr_constrain(L, Float64Array.of(y), 0, 2);
    expect(Array.from(L)).toEqual([
      1,
      Math.tanh(y),
      0,
      expect.closeTo(Math.sqrt(1 - Math.tanh(y) ** 2), 15),
    ]);
    expect(logJ).toBeCloseTo(Math.log(1 - Math.tanh(y) ** 2), 13);
  });

  it("cholesky_factor_corr[3]: rows built from z = tanh(y) in row-major order", () => {
    const y = [0.4, -0.9, 1.3];
    const [z1, z2, z3] = y.map(Math.tanh);
    const L = new Float64Array(9);
    const logJ = T.cholesky_factor_corr_constrain(L, Float64Array.from(y), 0, 3);
    const expected = [
      [1, 0, 0],
      [z1, Math.sqrt(1 - z1 * z1), 0],
      [z2, z3 * Math.sqrt(1 - z2 * z2), Math.sqrt(1 - z2 * z2 - z3 * z3 * (1 - z2 * z2))],
    ];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(L[i + 3 * j]).toBeCloseTo(expected[i][j], 14);
    // tanh Jacobians plus ½ log(1 − L[2,0]²) for the one entry scaled by a remaining length.
    const expectedLogJ =
      Math.log(1 - z1 * z1) +
      Math.log(1 - z2 * z2) +
      Math.log(1 - z3 * z3) +
      0.5 * Math.log(1 - z2 * z2);
    expect(logJ).toBeCloseTo(expectedLogJ, 12);
  });

  it("simplex[4]: x = softmax(V y) with the pivot-coordinate basis, log J = Σ log x + ½ log 4", () => {
    const y = [0.6, -0.3, 1.1];
    const K = 4;
    // Column i (1-based) of V: 1/√(i(i+1)) in the first i rows, −i/√(i(i+1)) in row i+1.
    const z = new Array<number>(K).fill(0);
    for (let i = 1; i < K; i++) {
      const norm = Math.sqrt(i * (i + 1));
      for (let r = 0; r < i; r++) z[r] += y[i - 1] / norm;
      z[i] -= (i * y[i - 1]) / norm;
    }
    const e = z.map(Math.exp);
    const total = e.reduce((a, b) => a + b, 0);
    const expected = e.map((v) => v / total);
    const out = new Float64Array(K);
    const logJ = T.simplex_constrain(out, Float64Array.from(y), 0, K);
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 14));
    expect(logJ).toBeCloseTo(expected.reduce((s, v) => s + Math.log(v), 0) + 0.5 * Math.log(K), 12);
  });

  it("simplex, sum_to_zero and cholesky_factor_corr free sizes", () => {
    expect(T.simplex_free_size(4)).toBe(3);
    expect(T.sum_to_zero_free_size(5)).toBe(4);
    expect(T.cholesky_factor_corr_free_size(4)).toBe(6);
    expect(T.corr_matrix_free_size(3)).toBe(3);
    expect(T.cov_matrix_free_size(3)).toBe(6);
    expect(T.cholesky_factor_cov_free_size(4, 2)).toBe(7);
    expect(T.lower_bound_free_size(5)).toBe(5);
    expect(T.upper_bound_free_size(5)).toBe(5);
    expect(T.lower_upper_bound_free_size(5)).toBe(5);
    expect(T.offset_multiplier_free_size(5)).toBe(5);
    expect(T.ordered_free_size(3)).toBe(3);
    expect(T.positive_ordered_free_size(3)).toBe(3);
    expect(T.unit_vector_free_size(3)).toBe(3);
  });
});

// ─────────────────────────── cross-check with Stan itself (rstan 2.21.7) ───────────────────────────
// Reference values from rstan for the model below at the unconstrained point
// up[i] = 1.3·sin(i) + 0.1·cos(3i), i = 1…34 (log_prob / grad_log_prob with adjust_transform = TRUE,
// constrain_pars), produced by:
//   code <- "parameters { real<lower=0> a; real<lower=-1, upper=2> b; real<upper=3> c;
//     real<offset=1, multiplier=2> d; ordered[3] o; positive_ordered[3] po; unit_vector[3] u;
//     cholesky_factor_corr[3] Lc; cholesky_factor_cov[4, 3] Lv; corr_matrix[3] Om; cov_matrix[3] S; }
//     model {}"
//   fit <- sampling(stan_model(model_code = code), iter = 1, chains = 1, algorithm = "Fixed_param")
//   up <- 1.3 * sin(1:34) + 0.1 * cos(3 * (1:34))
//   log_prob(fit, up, adjust_transform = TRUE); grad_log_prob(fit, up, TRUE); constrain_pars(fit, up)
// These transforms are unchanged from Stan 2.21 to 2.37 (only simplex and sum_to_zero changed).
const stanReference = {
  lp: -6.5285672527529552,
  grad: [
    1, -0.56425361703645716, 1, 0, 0, 1, 1, 1, 1, 1, 1.3013149432382205, 0.71034116236330591,
    -0.57288144111062689, -1.6953261006252975, -2.1458307783199713, 0.82444996599163423, 1, 0, 1, 0,
    0, 1, 0, 0, 0, -2.1569623342447297, -2.6010653982529464, -0.55352976025595957, 4, 0, 3, 0, 0, 2,
  ],
  values: {
    a: [2.7044891232284116],
    b: [1.3463804255546856],
    c: [1.9032590775152247],
    d: [-0.79891569605411505],
    o: [-1.3225703483479623, -0.57968122730320093, 1.6443238343567854],
    po: [3.7756917892570603, 5.4352312821146906, 5.9359041751902186],
    u: [-0.81874507037256128, -0.44692357372031311, 0.36043838446216225],
    Lc: [
      1, 0.84766305031264899, 0.71527692610665727, 0, 0.53053496881417306, -0.28807977116134131, 0,
      0, 0.63670162904380945,
    ],
    Lv: [
      0.3086333365536752, -1.059214404089494, 1.0915875279044005, -1.0007474874554947, 0,
      1.3295320726569735, 1.1862419882551281, -1.2739769294359993, 0, 0, 0.89451693157755019,
      -0.079882148154630017,
    ],
    Om: [
      1, 0.71898744474824339, 0.86702179941764823, 0.71898744474824339, 1, 0.71922403563621196,
      0.86702179941764823, 0.71922403563621196, 1,
    ],
    S: [
      0.19958840018469884, -0.59384597685517326, 0.3121963198381808, -0.59384597685517326,
      2.1395900741115641, -0.13290634404927693, 0.3121963198381808, -0.13290634404927693,
      6.2271456081763219,
    ],
  } as Record<string, number[]>,
};

describe("agrees with Stan's own transforms (rstan 2.21.7 log_prob, grad_log_prob, constrain_pars)", () => {
  const up = Float64Array.from(
    { length: 34 },
    (_, k) => 1.3 * Math.sin(k + 1) + 0.1 * Math.cos(3 * (k + 1)),
  );
  // Stan's parameter order; each entry: name, free size, output size, constrain, adjoint.
  type Step = [
    string,
    number,
    number,
    (out: Float64Array, o: number) => number,
    (out: Float64Array, g: Float64Array, o: number, ta: Float64Array) => void,
  ];
  const steps: Step[] = [
    [
      "a",
      1,
      1,
      (x, o) => T.lower_bound_constrain(x, up, o, 1, 0),
      (x, g, o, ta) => T.lower_bound_constrain_adj(x, g, up, o, 1, 0, 1, ta, null),
    ],
    [
      "b",
      1,
      1,
      (x, o) => T.lower_upper_bound_constrain(x, up, o, 1, -1, 2),
      (x, g, o, ta) => T.lower_upper_bound_constrain_adj(x, g, up, o, 1, -1, 2, 1, ta, null, null),
    ],
    [
      "c",
      1,
      1,
      (x, o) => T.upper_bound_constrain(x, up, o, 1, 3),
      (x, g, o, ta) => T.upper_bound_constrain_adj(x, g, up, o, 1, 3, 1, ta, null),
    ],
    [
      "d",
      1,
      1,
      (x, o) => T.offset_multiplier_constrain(x, up, o, 1, 1, 2),
      (x, g, o, ta) => T.offset_multiplier_constrain_adj(x, g, up, o, 1, 1, 2, 1, ta, null, null),
    ],
    [
      "o",
      3,
      3,
      (x, o) => T.ordered_constrain(x, up, o, 3),
      (x, g, o, ta) => T.ordered_constrain_adj(x, g, up, o, 3, 1, ta),
    ],
    [
      "po",
      3,
      3,
      (x, o) => T.positive_ordered_constrain(x, up, o, 3),
      (x, g, o, ta) => T.positive_ordered_constrain_adj(x, g, up, o, 3, 1, ta),
    ],
    [
      "u",
      3,
      3,
      (x, o) => T.unit_vector_constrain(x, up, o, 3),
      (x, g, o, ta) => T.unit_vector_constrain_adj(x, g, up, o, 3, 1, ta),
    ],
    [
      "Lc",
      3,
      9,
      (x, o) => T.cholesky_factor_corr_constrain(x, up, o, 3),
      (x, g, o, ta) => T.cholesky_factor_corr_constrain_adj(x, g, up, o, 3, 1, ta),
    ],
    [
      "Lv",
      9,
      12,
      (x, o) => T.cholesky_factor_cov_constrain(x, up, o, 4, 3),
      (x, g, o, ta) => T.cholesky_factor_cov_constrain_adj(x, g, up, o, 4, 3, 1, ta),
    ],
    [
      "Om",
      3,
      9,
      (x, o) => T.corr_matrix_constrain(x, up, o, 3),
      (x, g, o, ta) => T.corr_matrix_constrain_adj(x, g, up, o, 3, 1, ta),
    ],
    [
      "S",
      6,
      9,
      (x, o) => T.cov_matrix_constrain(x, up, o, 3),
      (x, g, o, ta) => T.cov_matrix_constrain_adj(x, g, up, o, 3, 1, ta),
    ],
  ];

  it("constrained values, total log-Jacobian and its gradient match Stan", () => {
    let offset = 0;
    let lp = 0;
    const grad = new Float64Array(34);
    for (const [name, free, size, constrain, adjoint] of steps) {
      const x = new Float64Array(size);
      lp += constrain(x, offset);
      const expected = stanReference.values[name];
      expect(expected.length).toBe(size);
      expected.forEach((v, i) => expectClose(x[i], v, 1e-13, `${name}[${i}]`));
      adjoint(x, new Float64Array(size), offset, grad);
      offset += free;
    }
    expect(offset).toBe(34);
    expectClose(lp, stanReference.lp, 1e-13, "log_prob");
    stanReference.grad.forEach((g, i) => expect(Math.abs(grad[i] - g)).toBeLessThan(1e-12));
  });
});

// ──────────────────────────────────── inits that violate a constraint ────────────────────────────────────

describe("unconstrain rejects values outside the constraint with a message naming the variable", () => {
  const theta = new Float64Array(10);
  const cases: Array<[string, () => void, RegExp]> = [
    [
      "lower",
      () => T.lower_bound_unconstrain_scalar(-1, 0, "sigma"),
      /lower bound violated: sigma is -1, but must be ≥ 0/,
    ],
    [
      "lower vector",
      () => T.lower_bound_unconstrain(theta, 0, Float64Array.of(1, -2), 2, 0, "tau"),
      /tau\[2\] is -2/,
    ],
    [
      "on the lower bound",
      () => T.lower_bound_unconstrain_scalar(0, 0, "sigma"),
      /sigma is 0, on its lower bound/,
    ],
    [
      "upper",
      () => T.upper_bound_unconstrain_scalar(3, 2, "p"),
      /upper bound violated: p is 3, but must be ≤ 2/,
    ],
    [
      "lower/upper",
      () => T.lower_upper_bound_unconstrain_scalar(2.5, -1, 2, "r"),
      /upper bound violated: r is 2.5/,
    ],
    [
      "bad bounds",
      () => T.lower_upper_bound_constrain_scalar(0, 2, 1),
      /lower bound is 2, but must be less than upper bound 1/,
    ],
    [
      "multiplier",
      () => T.offset_multiplier_constrain_scalar(0, 0, -1),
      /multiplier is -1, but must be positive finite/,
    ],
    [
      "ordered",
      () => T.ordered_unconstrain(theta, 0, Float64Array.of(1, 0.5), 2, "c"),
      /c is not a valid ordered vector/,
    ],
    [
      "positive_ordered",
      () => T.positive_ordered_unconstrain(theta, 0, Float64Array.of(-1, 0.5), 2, "c"),
      /positive_ordered/,
    ],
    [
      "simplex sum",
      () => T.simplex_unconstrain(theta, 0, Float64Array.of(0.5, 0.6), 2, "theta"),
      /sum\(theta\) = 1.1/,
    ],
    [
      "simplex sign",
      () => T.simplex_unconstrain(theta, 0, Float64Array.of(1.5, -0.5), 2, "theta"),
      /theta\[2\] = -0.5/,
    ],
    [
      "sum_to_zero",
      () => T.sum_to_zero_unconstrain(theta, 0, Float64Array.of(1, 0.5), 2, "u"),
      /u does not sum to zero/,
    ],
    [
      "unit_vector",
      () => T.unit_vector_unconstrain(theta, 0, Float64Array.of(1, 1), 2, "d"),
      /d is not a valid unit vector/,
    ],
    [
      "cholesky_factor_corr upper",
      () => T.cholesky_factor_corr_unconstrain(theta, 0, Float64Array.of(1, 0, 0.5, 1), 2, "L"),
      /L is not lower triangular; L\[1,2\] = 0.5/,
    ],
    [
      "cholesky_factor_corr row",
      () => T.cholesky_factor_corr_unconstrain(theta, 0, Float64Array.of(1, 0.5, 0, 1), 2, "L"),
      /row 2 has squared length 1.25/,
    ],
    [
      "corr_matrix diagonal",
      () => T.corr_matrix_unconstrain(theta, 0, Float64Array.of(1, 0.2, 0.2, 2), 2, "Omega"),
      /Omega\[2,2\] is 2/,
    ],
    [
      "corr_matrix not PD",
      () => T.corr_matrix_unconstrain(theta, 0, Float64Array.of(1, 1.5, 1.5, 1), 2, "Omega"),
      /Omega is not positive definite/,
    ],
    [
      "cov_matrix symmetric",
      () => T.cov_matrix_unconstrain(theta, 0, Float64Array.of(1, 0.2, 0.3, 1), 2, "S"),
      /S is not symmetric/,
    ],
    [
      "cholesky_factor_cov diagonal",
      () => T.cholesky_factor_cov_unconstrain(theta, 0, Float64Array.of(-1, 0.2, 0, 1), 2, 2, "L"),
      /L\[1,1\] = -1, but should be positive/,
    ],
  ];
  for (const [label, run, message] of cases)
    it(label, () => {
      let caught: unknown;
      try {
        run();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(StanDomainError);
      expect((caught as Error).message).toMatch(message);
    });

  it("unit_vector_constrain rejects the zero vector", () => {
    expect(() => T.unit_vector_constrain(new Float64Array(2), new Float64Array(2), 0, 2)).toThrow(
      StanDomainError,
    );
  });
});
