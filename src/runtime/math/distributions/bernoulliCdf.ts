/**
 * Bernoulli cumulative distribution functions. With F(n) = 0 (n < 0), 1 − θ (n = 0), 1 (n ≥ 1):
 * bernoulli_cdf = Π F(n_i), bernoulli_lcdf = Σ log F(n_i), bernoulli_lccdf = Σ log(1 − F(n_i)).
 */
import { type Int, type Partials, type Real, at, broadcastLength, checkBounded, stride, zero } from "../checks";
import { log, log1p } from "../elementary";

const NAMES = ["Random variable", "Probability parameter"];

type Which = "cdf" | "lcdf" | "lccdf";

function bernoulliCdfs(which: Which, n: Int, theta: Real, d_theta: Partials): number {
  // a literal per case: a template string would build a new string on every call
  const fn = which === "cdf" ? "bernoulli_cdf" : which === "lcdf" ? "bernoulli_lcdf" : "bernoulli_lccdf";
  checkBounded(fn, "Probability parameter", theta, 0, 1);
  const N = broadcastLength(fn, NAMES, n, theta);
  zero(d_theta);
  const st = stride(theta);
  if (which === "cdf") {
    // Π (1 − θ_i) over n_i = 0; ∂/∂θ_i = −P / (1 − θ_i), computed as P without factor i
    let P = 1;
    for (let i = 0; i < N; i++) {
      const k = at(n, i);
      if (k < 0) {
        zero(d_theta);
        return 0;
      }
      if (k === 0) P *= 1 - at(theta, i);
    }
    if (d_theta !== null) {
      for (let i = 0; i < N; i++) {
        if (at(n, i) !== 0) continue;
        const own = 1 - at(theta, i);
        if (own !== 0) {
          d_theta[i * st] -= P / own;
          continue;
        }
        let others = 1;
        for (let j = 0; j < N; j++) if (j !== i && at(n, j) === 0) others *= 1 - at(theta, j);
        d_theta[i * st] -= others;
      }
    }
    return P;
  }
  let lp = 0;
  for (let i = 0; i < N; i++) {
    const k = at(n, i);
    const t = at(theta, i);
    if (which === "lcdf") {
      if (k < 0) return -Infinity;
      if (k === 0) {
        lp += log1p(-t);
        if (d_theta !== null) d_theta[i * st] -= 1 / (1 - t);
      }
    } else {
      if (k >= 1) return -Infinity;
      if (k === 0) {
        lp += log(t);
        if (d_theta !== null) d_theta[i * st] += 1 / t;
      }
    }
  }
  return lp;
}

/** bernoulli_cdf(n | theta) = Π_i F(n_i); ∂/∂theta_i = −Π_{j≠i, n_j = 0} (1 − θ_j) where n_i = 0. */
export function bernoulli_cdf(n: Int, theta: Real): number {
  return bernoulliCdfs("cdf", n, theta, null);
}
export function bernoulli_cdf_vp(n: Int, theta: Real, d_theta: Partials): number {
  return bernoulliCdfs("cdf", n, theta, d_theta);
}
/** bernoulli_lcdf(n | theta) = Σ_{n_i = 0} log(1 − θ_i) (−∞ if some n_i < 0); ∂/∂theta_i = −1 / (1 − θ_i). */
export function bernoulli_lcdf(n: Int, theta: Real): number {
  return bernoulliCdfs("lcdf", n, theta, null);
}
export function bernoulli_lcdf_vp(n: Int, theta: Real, d_theta: Partials): number {
  return bernoulliCdfs("lcdf", n, theta, d_theta);
}
/** bernoulli_lccdf(n | theta) = Σ_{n_i = 0} log θ_i (−∞ if some n_i ≥ 1); ∂/∂theta_i = 1 / θ_i. */
export function bernoulli_lccdf(n: Int, theta: Real): number {
  return bernoulliCdfs("lccdf", n, theta, null);
}
export function bernoulli_lccdf_vp(n: Int, theta: Real, d_theta: Partials): number {
  return bernoulliCdfs("lccdf", n, theta, d_theta);
}
