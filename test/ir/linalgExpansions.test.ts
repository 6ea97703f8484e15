/**
 * QR factors and inverse as compiled loops (src/primitives/expansions/linalg.ts): values against the runtime
 * kernels and the defining properties (Q orthonormal, R upper triangular with Stan's nonnegative
 * diagonal, Q·R = A, A·A⁻¹ = I); parameter-dependent calls against finite differences.
 */
import { describe, expect, it } from "vitest";
import * as LA from "../../src/runtime/math/linalg";
import type { ModelInstance, Rng } from "../../src/runtime/model";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";

// no generated quantity here draws: a constant source will do
const rng: Rng = { uniform: () => 0.5, normal: () => 0, nextU32: () => 0 };

/** Generated quantities by name, each a flat column-major array. */
function outputs(inst: ModelInstance): Map<string, Float64Array> {
  const out = new Float64Array(inst.outputLength);
  inst.writeConstrained(new Float64Array(inst.dim), rng, out);
  const byName = new Map<string, Float64Array>();
  let pos = 0;
  for (const v of inst.variables) {
    const size = v.dims.reduce((a, b) => a * b, 1);
    byName.set(v.name, out.slice(pos, pos + size));
    pos += size;
  }
  return byName;
}

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const u = seededUniform(seed);
  return Float64Array.from({ length: rows * cols }, () => 2 * u() - 1);
}

function toRows(A: Float64Array, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => A[i + j * rows]));
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** A (r×s) · B (s×c), column-major. */
function matmul(A: Float64Array, B: Float64Array, r: number, s: number, c: number, transposeA = false): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) {
      let t = 0;
      for (let q = 0; q < s; q++) t += (transposeA ? A[q + i * s] : A[i + q * r]) * B[q + j * s];
      out[i + j * r] = t;
    }
  return out;
}

function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i + i * n] = 1;
  return I;
}

const QR_PROGRAM = `
data { int m; int n; int k; matrix[m, n] A; }
transformed data {
  matrix[m, k] Qt = qr_thin_Q(A);
  matrix[k, n] Rt = qr_thin_R(A);
  matrix[m, m] Qf = qr_Q(A);
  matrix[m, n] Rf = qr_R(A);
}
parameters { real mu; }
model { mu ~ normal(0, 1); }
generated quantities {
  matrix[m, k] Q_thin = Qt;
  matrix[k, n] R_thin = Rt;
  matrix[m, m] Q_full = Qf;
  matrix[m, n] R_full = Rf;
}
`;

describe("qr_thin_Q, qr_thin_R, qr_Q, qr_R in transformed data", () => {
  const shapes: [number, number, string][] = [
    [5, 3, "tall"],
    [3, 3, "square"],
    [2, 4, "wide"],
    [4, 3, "rank deficient (zero column)"],
  ];
  for (const [m, n, label] of shapes) {
    it(`${label} ${m}×${n}`, async () => {
      const k = Math.min(m, n);
      const A = randomMatrix(m, n, 17 * m + n);
      if (label.startsWith("rank")) for (let i = 0; i < m; i++) A[i + 1 * m] = 0;
      const model = await loadCompiled(QR_PROGRAM, "qr_values.stan");
      const got = outputs(model.create({ m, n, k, A: toRows(A, m, n) }));
      const Qt = got.get("Q_thin") as Float64Array;
      const Rt = got.get("R_thin") as Float64Array;
      const Qf = got.get("Q_full") as Float64Array;
      const Rf = got.get("R_full") as Float64Array;
      // the runtime kernels are the reference for the thin factors
      const Qref = new Float64Array(m * k);
      const Rref = new Float64Array(k * n);
      LA.qr_thin_Q(Qref, A, m, n);
      LA.qr_thin_R(Rref, A, m, n);
      expect(maxAbsDiff(Qt, Qref)).toBeLessThan(1e-13);
      expect(maxAbsDiff(Rt, Rref)).toBeLessThan(1e-13);
      // properties: orthonormal columns, reconstruction, triangular R with R_ii ≥ 0 (i < k)
      expect(maxAbsDiff(matmul(Qt, Qt, k, m, k, true), identity(k))).toBeLessThan(1e-13);
      expect(maxAbsDiff(matmul(Qf, Qf, m, m, m, true), identity(m))).toBeLessThan(1e-13);
      expect(maxAbsDiff(matmul(Qt, Rt, m, k, n), A)).toBeLessThan(1e-13);
      expect(maxAbsDiff(matmul(Qf, Rf, m, m, n), A)).toBeLessThan(1e-13);
      for (let j = 0; j < n; j++) {
        for (let i = j + 1; i < k; i++) expect(Rt[i + j * k]).toBe(0);
        for (let i = j + 1; i < m; i++) expect(Rf[i + j * m]).toBe(0);
      }
      for (let i = 0; i < k; i++) {
        expect(Rt[i + i * k]).toBeGreaterThanOrEqual(0);
        expect(Rf[i + i * m]).toBeGreaterThanOrEqual(0);
      }
      const QfRef = new Float64Array(m * m);
      const RfRef = new Float64Array(m * n);
      LA.qr_Q(QfRef, A, m, n);
      LA.qr_R(RfRef, A, m, n);
      expect(maxAbsDiff(Qf, QfRef)).toBeLessThan(1e-13);
      expect(maxAbsDiff(Rf, RfRef)).toBeLessThan(1e-13);
      // the full factors extend the thin ones
      expect(maxAbsDiff(Qf.slice(0, m * k), Qt)).toBeLessThan(1e-13);
      for (let j = 0; j < n; j++) for (let i = 0; i < k; i++) expect(Math.abs(Rf[i + j * m] - Rt[i + j * k])).toBeLessThan(1e-13);
    });
  }
});

const INVERSE_PROGRAM = `
data { int n; matrix[n, n] A; }
transformed data { matrix[n, n] Ainv = inverse(A); }
parameters { real mu; }
model { mu ~ normal(0, 1); }
generated quantities { matrix[n, n] A_inverse = Ainv; }
`;

describe("qr_thin_Q of an empty matrix", () => {
  it("is an error naming the function, as Stan's check_nonzero_size", async () => {
    const model = await loadCompiled(QR_PROGRAM, "qr_empty.stan");
    expect(() => model.create({ m: 0, n: 2, k: 0, A: [] })).toThrow(/qr_thin_Q: m has size 0, but must have a non-zero size/);
  });
});

describe("inverse in transformed data", () => {
  it("agrees with the runtime kernel and inverts (pivoting needed: zero leading entry)", async () => {
    const n = 4;
    const A = randomMatrix(n, n, 99);
    A[0] = 0; // the first pivot must come from another row
    const model = await loadCompiled(INVERSE_PROGRAM, "inverse_values.stan");
    const got = outputs(model.create({ n, A: toRows(A, n, n) })).get("A_inverse") as Float64Array;
    const ref = new Float64Array(n * n);
    LA.inverse(ref, A, n);
    expect(maxAbsDiff(got, ref)).toBeLessThan(1e-12);
    expect(maxAbsDiff(matmul(A, got, n, n, n), identity(n))).toBeLessThan(1e-12);
  });
  it("a non-square argument is a runtime error naming inverse", async () => {
    const model = await loadCompiled(
      INVERSE_PROGRAM.replace("matrix[n, n] A;", "int p; matrix[n, p] A;").replace("data { int n;", "data { int n;"),
      "inverse_shape.stan",
    );
    expect(() => model.create({ n: 2, p: 3, A: [[1, 2, 3], [4, 5, 6]] })).toThrow(/inverse: Expecting a square matrix/);
  });
});

const GRADIENT_PROGRAM = `
data { int m; int n; matrix[m, n] W1; matrix[n, n] W2; matrix[n, n] W3; }
parameters { matrix[m, n] B; }
model {
  target += sum(qr_thin_Q(B) .* W1) + sum(qr_thin_R(B) .* W2);
  target += sum(inverse(B' * B) .* W3);
  target += normal_lpdf(to_vector(B) | 0, 1);
}
`;

describe("QR and inverse of parameters: reverse mode through the loops", () => {
  it("gradient agrees with finite differences at 5 random points", async () => {
    const m = 4;
    const n = 3;
    const model = await loadCompiled(GRADIENT_PROGRAM, "qr_gradient.stan");
    const inst = model.create({
      m,
      n,
      W1: toRows(randomMatrix(m, n, 1), m, n),
      W2: toRows(randomMatrix(n, n, 2), n, n),
      W3: toRows(randomMatrix(n, n, 3), n, n),
    });
    const rnd = seededUniform(4242);
    for (let p = 0; p < 5; p++) {
      const theta = randomPoint(inst.dim, rnd, 1);
      const r = coordinateCheck(inst, theta);
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });
});
