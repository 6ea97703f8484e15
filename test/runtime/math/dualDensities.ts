/**
 * The second derivative method for `_vp` kernels whose formulas are elementary: each density written
 * directly on dual numbers (straight from its textbook formula, sharing no code with the kernel), so
 * its derivative along a seeded direction is exact to rounding.
 */
import { D, Dual } from "./gradientCheck";
import { lchoose, lgamma } from "../../../src/runtime/math/index";

export type DualArg = Dual | Dual[] | number | Int32Array | Float64Array;

const LOG_2PI = Math.log(2 * Math.PI);
const zero = (): Dual => new Dual(0);

function len(...xs: DualArg[]): number {
  let n = 1;
  for (const x of xs)
    if (Array.isArray(x) || x instanceof Int32Array || x instanceof Float64Array)
      n = Math.max(n, x.length);
  return n;
}
/** Element n of a real argument, as a dual number. */
function el(x: DualArg, n: number): Dual {
  if (Array.isArray(x)) return x[n];
  if (x instanceof Dual) return x;
  if (typeof x === "number") return new Dual(x);
  return new Dual(x[n]);
}
/** Element n of an integer argument. */
function iel(x: DualArg, n: number): number {
  if (typeof x === "number") return x;
  if (x instanceof Int32Array || x instanceof Float64Array) return x[n];
  throw new Error("integer argument expected");
}
function vecOf(x: DualArg): Dual[] {
  return x as Dual[];
}
function sumOver(n: number, f: (i: number) => Dual): Dual {
  let s = zero();
  for (let i = 0; i < n; i++) s = s.add(f(i));
  return s;
}
/** log(1 + eˣ), branch-stable so the far tails do not overflow. */
const log1pExp = (x: Dual): Dual => (x.v > 0 ? x.add(D.log1p(D.exp(x.neg()))) : D.log1p(D.exp(x)));
const logInvLogit = (x: Dual): Dual => D.log(new Dual(1).div(D.exp(x.neg()).add(1)));
const invLogit = (x: Dual): Dual => new Dual(1).div(D.exp(x.neg()).add(1));
function logSumExp(xs: Dual[]): Dual {
  const m = Math.max(...xs.map((x) => x.v));
  return D.log(sumOver(xs.length, (i) => D.exp(xs[i].sub(m)))).add(m);
}

/** Location-scale density from its standardised log density g(z): Σ g((y − μ)/σ) − log σ. */
function locationScale(g: (z: Dual) => Dual): (a: DualArg[]) => Dual {
  return ([y, mu, sigma]) =>
    sumOver(len(y, mu, sigma), (n) => {
      const s = el(sigma, n);
      return g(el(y, n).sub(el(mu, n)).div(s)).sub(D.log(s));
    });
}

/** Linear predictor α_n + Σ_k X_nk β_k for an N×K column-major X. */
function linearPredictor(
  X: Dual[],
  N: number,
  K: number,
  alpha: DualArg,
  beta: Dual[],
  n: number,
): Dual {
  let eta = el(alpha, n);
  for (let k = 0; k < K; k++) eta = eta.add(X[n + k * N].mul(beta[k]));
  return eta;
}

function mvnCholesky(y: Dual[], mu: Dual[], L: Dual[], K: number): Dual {
  const N = Math.max(y.length, mu.length) / K;
  return sumOver(N, (n) => {
    const yo = y.length === K ? 0 : n * K;
    const mo = mu.length === K ? 0 : n * K;
    const a: Dual[] = [];
    let out = new Dual(-0.5 * K * LOG_2PI);
    for (let i = 0; i < K; i++) {
      let s = y[yo + i].sub(mu[mo + i]);
      for (let j = 0; j < i; j++) s = s.sub(L[i + j * K].mul(a[j]));
      a.push(s.div(L[i + i * K]));
      out = out.sub(a[i].mul(a[i]).mul(0.5)).sub(D.log(L[i + i * K]));
    }
    return out;
  });
}

function choleskyDual(S: Dual[], K: number): Dual[] {
  const L: Dual[] = Array.from({ length: K * K }, zero);
  for (let j = 0; j < K; j++) {
    let d = S[j + j * K];
    for (let k = 0; k < j; k++) d = d.sub(L[j + k * K].mul(L[j + k * K]));
    L[j + j * K] = D.sqrt(d);
    for (let i = j + 1; i < K; i++) {
      let s = S[i + j * K];
      for (let k = 0; k < j; k++) s = s.sub(L[i + k * K].mul(L[j + k * K]));
      L[i + j * K] = s.div(L[j + j * K]);
    }
  }
  return L;
}

export const DUAL_DENSITIES: Record<string, (a: DualArg[]) => Dual> = {
  normal_lpdf_vp: locationScale((z) =>
    z
      .mul(z)
      .mul(-0.5)
      .sub(0.5 * LOG_2PI),
  ),
  std_normal_lpdf_vp: ([y]) =>
    sumOver(len(y), (n) =>
      el(y, n)
        .mul(el(y, n))
        .mul(-0.5)
        .sub(0.5 * LOG_2PI),
    ),
  cauchy_lpdf_vp: locationScale((z) => D.log1p(z.mul(z)).neg().sub(Math.log(Math.PI))),
  double_exponential_lpdf_vp: locationScale((z) => D.abs(z).neg().sub(Math.LN2)),
  logistic_lpdf_vp: locationScale((z) => z.neg().sub(log1pExp(z.neg()).mul(2))),
  lognormal_lpdf_vp: ([y, mu, sigma]) =>
    sumOver(len(y, mu, sigma), (n) => {
      const s = el(sigma, n);
      const ly = D.log(el(y, n));
      const z = ly.sub(el(mu, n)).div(s);
      return z
        .mul(z)
        .mul(-0.5)
        .sub(0.5 * LOG_2PI)
        .sub(D.log(s))
        .sub(ly);
    }),
  exponential_lpdf_vp: ([y, beta]) =>
    sumOver(len(y, beta), (n) => D.log(el(beta, n)).sub(el(beta, n).mul(el(y, n)))),
  exponential_lccdf_vp: ([y, beta]) =>
    sumOver(len(y, beta), (n) => el(beta, n).mul(el(y, n)).neg()),
  exponential_lcdf_vp: ([y, beta]) =>
    sumOver(len(y, beta), (n) => D.log(new Dual(1).sub(D.exp(el(beta, n).mul(el(y, n)).neg())))),
  weibull_lpdf_vp: ([y, alpha, sigma]) =>
    sumOver(len(y, alpha, sigma), (n) => {
      const a = el(alpha, n);
      const logRatio = D.log(el(y, n).div(el(sigma, n)));
      return D.log(a)
        .sub(D.log(el(sigma, n)))
        .add(a.sub(1).mul(logRatio))
        .sub(D.exp(a.mul(logRatio)));
    }),
  uniform_lpdf_vp: ([y, alpha, beta]) =>
    sumOver(len(y, alpha, beta), (n) => D.log(el(beta, n).sub(el(alpha, n))).neg()),
  normal_id_glm_lpdf_vp: ([y, X, N, K, alpha, beta, sigma]) => {
    const rows = N as number;
    return sumOver(rows, (n) => {
      const mu = linearPredictor(vecOf(X), rows, K as number, alpha, vecOf(beta), n);
      const s = el(sigma, n);
      const z = el(y, n).sub(mu).div(s);
      return z
        .mul(z)
        .mul(-0.5)
        .sub(0.5 * LOG_2PI)
        .sub(D.log(s));
    });
  },
  bernoulli_lpmf_vp: ([y, theta]) =>
    sumOver(len(y, theta), (n) =>
      iel(y, n) === 1 ? D.log(el(theta, n)) : D.log(new Dual(1).sub(el(theta, n))),
    ),
  bernoulli_logit_lpmf_vp: ([y, alpha]) =>
    sumOver(len(y, alpha), (n) => logInvLogit(iel(y, n) === 1 ? el(alpha, n) : el(alpha, n).neg())),
  bernoulli_logit_glm_lpmf_vp: ([y, X, N, K, alpha, beta]) =>
    sumOver(N as number, (n) => {
      const eta = linearPredictor(vecOf(X), N as number, K as number, alpha, vecOf(beta), n);
      return logInvLogit(iel(y, n) === 1 ? eta : eta.neg());
    }),
  binomial_lpmf_vp: ([k, N, theta]) =>
    sumOver(len(k, N, theta), (n) => {
      const kk = iel(k, n);
      const NN = iel(N, n);
      const t = el(theta, n);
      return D.log(t)
        .mul(kk)
        .add(D.log(new Dual(1).sub(t)).mul(NN - kk))
        .add(lchoose(NN, kk));
    }),
  binomial_logit_lpmf_vp: ([k, N, alpha]) =>
    sumOver(len(k, N, alpha), (n) => {
      const kk = iel(k, n);
      const NN = iel(N, n);
      const a = el(alpha, n);
      return logInvLogit(a)
        .mul(kk)
        .add(logInvLogit(a.neg()).mul(NN - kk))
        .add(lchoose(NN, kk));
    }),
  poisson_lpmf_vp: ([k, lambda]) =>
    sumOver(len(k, lambda), (n) =>
      D.log(el(lambda, n))
        .mul(iel(k, n))
        .sub(el(lambda, n))
        .sub(lgamma(iel(k, n) + 1)),
    ),
  poisson_log_lpmf_vp: ([k, alpha]) =>
    sumOver(len(k, alpha), (n) =>
      el(alpha, n)
        .mul(iel(k, n))
        .sub(D.exp(el(alpha, n)))
        .sub(lgamma(iel(k, n) + 1)),
    ),
  categorical_lpmf_vp: ([y, theta]) => sumOver(len(y), (n) => D.log(vecOf(theta)[iel(y, n) - 1])),
  categorical_logit_lpmf_vp: ([y, beta]) => {
    const b = vecOf(beta);
    const lse = logSumExp(b);
    return sumOver(len(y), (n) => b[iel(y, n) - 1].sub(lse));
  },
  ordered_logistic_lpmf_vp: ([y, eta, c, cutLength]) => {
    const all = vecOf(c);
    const K = (cutLength as number) + 1;
    return sumOver(len(y, eta), (n) => {
      // one cut-point vector, or one per outcome
      const cuts = all.length === K - 1 ? all : all.slice(n * (K - 1), (n + 1) * (K - 1));
      const k = iel(y, n);
      const e = el(eta, n);
      if (k === 1) return D.log(new Dual(1).sub(invLogit(e.sub(cuts[0]))));
      if (k === K) return D.log(invLogit(e.sub(cuts[K - 2])));
      return D.log(invLogit(e.sub(cuts[k - 2])).sub(invLogit(e.sub(cuts[k - 1]))));
    });
  },
  multi_normal_cholesky_lpdf_vp: ([y, mu, L, K]) =>
    mvnCholesky(vecOf(y), vecOf(mu), vecOf(L), K as number),
  multi_normal_lpdf_vp: ([y, mu, S, K]) =>
    mvnCholesky(vecOf(y), vecOf(mu), choleskyDual(vecOf(S), K as number), K as number),
  sum_vp: ([x]) => sumOver(vecOf(x).length, (i) => vecOf(x)[i]),
  mean_vp: ([x]) => sumOver(vecOf(x).length, (i) => vecOf(x)[i]).div(vecOf(x).length),
  variance_vp: ([x]) => {
    const v = vecOf(x);
    const m = sumOver(v.length, (i) => v[i]).div(v.length);
    return sumOver(v.length, (i) => v[i].sub(m).mul(v[i].sub(m))).div(v.length - 1);
  },
  sd_vp: ([x]) => {
    const v = vecOf(x);
    const m = sumOver(v.length, (i) => v[i]).div(v.length);
    return D.sqrt(sumOver(v.length, (i) => v[i].sub(m).mul(v[i].sub(m))).div(v.length - 1));
  },
  dot_product_vp: ([a, b]) => sumOver(vecOf(a).length, (i) => vecOf(a)[i].mul(vecOf(b)[i])),
  dot_self_vp: ([a]) => sumOver(vecOf(a).length, (i) => vecOf(a)[i].mul(vecOf(a)[i])),
  log_sum_exp_vp: ([x]) => logSumExp(vecOf(x)),
  log_mix_vp: (args) => {
    if (args.length === 3) {
      const [theta, l1, l2] = args.map((a) => el(a, 0));
      return logSumExp([D.log(theta).add(l1), D.log(new Dual(1).sub(theta)).add(l2)]);
    }
    const theta = vecOf(args[0]);
    const lambda = vecOf(args[1]);
    return logSumExp(theta.map((t, k) => D.log(t).add(lambda[k])));
  },
};
