/**
 * Kernel throughput (not a test: run with `npx vitest bench test/runtime/math --run`). Each case
 * pairs a kernel with the hand-written loop it should approach, at the lecture models' shapes.
 */
import { bench, describe } from "vitest";
import * as k from "../../../src/runtime/math/index";

const N = 1000;
const y = Float64Array.from({ length: N }, (_, i) => Math.sin(i));
const mu = Float64Array.from({ length: N }, (_, i) => 0.5 * Math.cos(i));
const dMu = new Float64Array(N);
const dSigma = new Float64Array(1);
let sink = 0;

describe("normal_lpdf_vp, N = 1000 (vector y and mu, scalar sigma)", () => {
  bench("kernel", () => {
    sink += k.normal_lpdf_vp(y, mu, 1.3, true, null, dMu, dSigma);
  });
  bench("hand-written loop", () => {
    let lp = 0;
    let gs = 0;
    const inv = 1 / 1.3;
    for (let i = 0; i < N; i++) {
      const z = (y[i] - mu[i]) * inv;
      lp -= 0.5 * z * z;
      dMu[i] = z * inv;
      gs += (z * z - 1) * inv;
    }
    dSigma[0] = gs;
    sink += lp - N * Math.log(1.3);
  });
});

// m1's likelihood on the lecture data's size: 13,000 rows, one centred predictor, vector intercepts.
const N1 = 13000;
const Y1 = Float64Array.from({ length: N1 }, (_, i) => Math.sin(i));
const X1 = Float64Array.from({ length: N1 }, (_, i) => Math.sin(3 * i));
const alpha1 = Float64Array.from({ length: N1 }, (_, i) => 0.5 * Math.cos(i));
const dAlpha1 = new Float64Array(N1);
const beta1 = Float64Array.of(0.4);
const dBeta1 = new Float64Array(1);

describe("normal_id_glm_lpdf_vp, m1's shape (N = 13,000, K = 1)", () => {
  bench("kernel", () => {
    sink += k.normal_id_glm_lpdf_vp(
      Y1,
      X1,
      N1,
      1,
      alpha1,
      beta1,
      1.3,
      true,
      null,
      null,
      dAlpha1,
      dBeta1,
      dSigma,
    );
  });
  bench("hand-written loop", () => {
    const inv = 1 / 1.3;
    let quad = 0;
    let gb = 0;
    for (let n = 0; n < N1; n++) {
      const x = X1[n];
      const z = (Y1[n] - alpha1[n] - x * beta1[0]) * inv;
      quad += z * z;
      const r = z * inv;
      dAlpha1[n] = r;
      gb += x * r;
    }
    dBeta1[0] = gb;
    dSigma[0] = (quad - N1) * inv;
    sink += -0.5 * quad - N1 * Math.log(1.3);
  });
});

const K = 4;
const X = Float64Array.from({ length: N * K }, (_, i) => Math.sin(3 * i));
const beta = Float64Array.from({ length: K }, (_, i) => 0.1 * i);
const dBeta = new Float64Array(K);
const dAlpha = new Float64Array(N);

describe("normal_id_glm_lpdf_vp, N = 1000, K = 4 (general path)", () => {
  bench("kernel", () => {
    sink += k.normal_id_glm_lpdf_vp(
      y,
      X,
      N,
      K,
      mu,
      beta,
      1.3,
      true,
      null,
      null,
      dAlpha,
      dBeta,
      dSigma,
    );
  });
});

const pairs = 300;
const Y2 = Float64Array.from({ length: 2 * pairs }, (_, i) => Math.sin(i));
const Mu2 = Float64Array.from({ length: 2 * pairs }, (_, i) => 0.3 * Math.cos(i));
const dMu2 = new Float64Array(2 * pairs);
const L2 = Float64Array.from([1.2, 0.3, 0, 0.8]);
const dL2 = new Float64Array(4);

describe("multi_normal_cholesky_lpdf_vp, 300 vectors, K = 2 (m2's residual correlation)", () => {
  bench("kernel", () => {
    sink += k.multi_normal_cholesky_lpdf_vp(Y2, Mu2, L2, 2, true, null, dMu2, dL2);
  });
});

const sd = Float64Array.from({ length: 8 }, (_, i) => 0.2 + 0.1 * i);
const dSd = new Float64Array(8);
const L8 = new Float64Array(64);
for (let i = 0; i < 8; i++) L8[i + i * 8] = 1;
const dL8 = new Float64Array(64);

describe("priors of m2", () => {
  bench("student_t_lpdf_vp(sd_1[8] | 3, 0, 2.5)", () => {
    sink += k.student_t_lpdf_vp(sd, 3, 0, 2.5, false, dSd, null, null, null);
  });
  bench("student_t_lccdf(0 | 3, 0, 2.5)", () => {
    sink += k.student_t_lccdf(0, 3, 0, 2.5);
  });
  bench("lkj_corr_cholesky_lpdf_vp(L[8×8] | 2)", () => {
    sink += k.lkj_corr_cholesky_lpdf_vp(L8, 8, 2, false, dL8, null);
  });
});

describe("special functions", () => {
  let x = 0.3;
  bench("lgamma", () => {
    x = x > 40 ? 0.3 : x + 0.37;
    sink += k.lgamma(x);
  });
  bench("digamma", () => {
    x = x > 40 ? 0.3 : x + 0.37;
    sink += k.digamma(x);
  });
  bench("log_Phi", () => {
    x = x > 40 ? 0.3 : x + 0.37;
    sink += k.log_Phi(-x);
  });
});

export const keepSink = (): number => sink;
