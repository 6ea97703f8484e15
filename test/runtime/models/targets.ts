import { StanDomainError } from "../../../src/runtime/model";
import type { ModelInstance, StanData } from "../../../src/runtime/model";
import { flattenValue, param, testModel } from "./testModel";

/** D independent standard normals. */
export function iidNormal(dim: number): ModelInstance {
  return testModel({
    name: "iid_normal",
    dim,
    variables: [param("x", [dim])],
    logDensityGradient(theta, grad) {
      let lp = 0;
      for (let i = 0; i < dim; i++) {
        lp -= 0.5 * theta[i] * theta[i];
        grad[i] = -theta[i];
      }
      return lp;
    },
  });
}

/** A 2-D Gaussian with standard deviations `sd` and correlation `rho`. */
export function correlatedGaussian(sd: [number, number], rho: number): ModelInstance {
  const [s1, s2] = sd;
  const det = s1 * s1 * s2 * s2 * (1 - rho * rho);
  // Precision matrix of [[s1², ρ s1 s2], [ρ s1 s2, s2²]].
  const p11 = (s2 * s2) / det;
  const p22 = (s1 * s1) / det;
  const p12 = (-rho * s1 * s2) / det;
  return testModel({
    name: "correlated_gaussian",
    dim: 2,
    variables: [param("x", [2])],
    logDensityGradient(theta, grad) {
      const a = theta[0];
      const b = theta[1];
      grad[0] = -(p11 * a + p12 * b);
      grad[1] = -(p12 * a + p22 * b);
      return -0.5 * (p11 * a * a + 2 * p12 * a * b + p22 * b * b);
    },
  });
}

/** Neal's funnel, non-centred: v ~ N(0, 3), z ~ N(0, 1); outputs v, z and x = exp(v/2)·z. */
export function nonCentredFunnel(k: number): ModelInstance {
  return testModel({
    name: "funnel_nc",
    dim: k + 1,
    variables: [param("v"), param("z", [k]), { name: "x", block: "transformed parameters", dims: [k], isInteger: false }],
    logDensityGradient(theta, grad) {
      let lp = -(theta[0] * theta[0]) / 18;
      grad[0] = -theta[0] / 9;
      for (let i = 1; i <= k; i++) {
        lp -= 0.5 * theta[i] * theta[i];
        grad[i] = -theta[i];
      }
      return lp;
    },
    writeConstrained(theta, _rng, out) {
      out.set(theta);
      for (let i = 0; i < k; i++) out[k + 1 + i] = Math.exp(theta[0] / 2) * theta[1 + i];
    },
  });
}

export const EIGHT_SCHOOLS = {
  y: [28, 8, -3, 7, -1, 1, 18, 12],
  sigma: [15, 10, 16, 11, 9, 11, 10, 18],
};

/**
 * Eight schools, non-centred: mu ~ N(0, 5), tau ~ half-Cauchy(0, 5) (tau = exp(u), Jacobian u),
 * theta_tilde ~ N(0, 1), y ~ N(mu + tau·theta_tilde, sigma). Outputs mu, tau, theta_tilde, theta.
 */
export function eightSchoolsNonCentred(data: StanData = EIGHT_SCHOOLS): ModelInstance {
  const y = flattenValue(data.y);
  const sigma = flattenValue(data.sigma);
  const J = y.length;
  return testModel({
    name: "eight_schools_nc",
    dim: J + 2,
    variables: [
      param("mu"),
      param("tau"),
      param("theta_tilde", [J]),
      { name: "theta", block: "transformed parameters", dims: [J], isInteger: false },
    ],
    logDensityGradient(q, grad) {
      const mu = q[0];
      const logTau = q[1];
      const tau = Math.exp(logTau);
      let lp = -(mu * mu) / 50;
      let gMu = -mu / 25;
      // log half-Cauchy(tau | 0, 5) + log Jacobian: −log(1 + (tau/5)²) + logTau.
      const r = tau / 5;
      lp += -Math.log1p(r * r) + logTau;
      let gLogTau = (-2 * r * r) / (1 + r * r) + 1;
      for (let j = 0; j < J; j++) {
        const t = q[2 + j];
        const resid = (y[j] - mu - tau * t) / sigma[j];
        lp += -0.5 * t * t - 0.5 * resid * resid;
        const dResid = resid / sigma[j]; // d(−½ resid²)/d(mean)
        gMu += dResid;
        gLogTau += dResid * tau * t;
        grad[2 + j] = -t + dResid * tau;
      }
      grad[0] = gMu;
      grad[1] = gLogTau;
      return lp;
    },
    writeConstrained(q, _rng, out) {
      const tau = Math.exp(q[1]);
      out[0] = q[0];
      out[1] = tau;
      for (let j = 0; j < J; j++) {
        out[2 + j] = q[2 + j];
        out[2 + J + j] = q[0] + tau * q[2 + j];
      }
    },
    unconstrain(values) {
      const tilde = flattenValue(values.theta_tilde);
      return Float64Array.from([values.mu as number, Math.log(values.tau as number), ...tilde]);
    },
  });
}

/** sigma ~ Gamma(shape, rate) with lower = 0: sigma = exp(u), log Jacobian u. */
export function gammaPositive(shape: number, rate: number): ModelInstance {
  return testModel({
    name: "gamma_positive",
    dim: 1,
    variables: [param("sigma")],
    logDensityGradient(q, grad) {
      const u = q[0];
      const sigma = Math.exp(u);
      grad[0] = shape - rate * sigma;
      return shape * u - rate * sigma;
    },
    writeConstrained(q, _rng, out) {
      out[0] = Math.exp(q[0]);
    },
    unconstrain(values) {
      const sigma = values.sigma as number;
      if (!(sigma > 0)) throw new StanDomainError(`sigma is ${sigma}, but must be positive`);
      return Float64Array.from([Math.log(sigma)]);
    },
  });
}

/**
 * x ~ Dirichlet(alpha) on the simplex through Stan's stick-breaking transform:
 * z_k = inv_logit(y_k − log(K − k)), x_k = stick·z_k, stick ← stick − x_k, x_K = stick,
 * with log Jacobian Σ log(stick·z_k·(1 − z_k)).
 */
export function dirichletSimplex(alpha: number[]): ModelInstance {
  const K = alpha.length;
  const z = new Float64Array(K - 1);
  const logStick = new Float64Array(K);
  return testModel({
    name: "dirichlet_simplex",
    dim: K - 1,
    variables: [param("x", [K])],
    logDensityGradient(y, grad) {
      let lp = 0;
      let ls = 0;
      for (let k = 0; k < K - 1; k++) {
        logStick[k] = ls;
        const adjusted = y[k] - Math.log(K - 1 - k);
        z[k] = 1 / (1 + Math.exp(-adjusted));
        const logZ = -Math.log1p(Math.exp(-adjusted));
        const log1mZ = -Math.log1p(Math.exp(adjusted));
        // Jacobian log(stick) + log z + log(1 − z), density (alpha_k − 1)·log x_k.
        lp += ls + logZ + log1mZ + (alpha[k] - 1) * (ls + logZ);
        ls += log1mZ;
      }
      logStick[K - 1] = ls;
      lp += (alpha[K - 1] - 1) * ls;
      // Reverse sweep: adjoint of log stick_{k+1} is Σ_{j>k} alpha_j − 1.
      let stickAdjoint = alpha[K - 1] - 1;
      for (let k = K - 2; k >= 0; k--) {
        grad[k] = alpha[k] * (1 - z[k]) - z[k] - stickAdjoint * z[k];
        stickAdjoint += alpha[k];
      }
      return lp;
    },
    writeConstrained(y, _rng, out) {
      let stick = 1;
      for (let k = 0; k < K - 1; k++) {
        const zk = 1 / (1 + Math.exp(-(y[k] - Math.log(K - 1 - k))));
        out[k] = stick * zk;
        stick -= out[k];
      }
      out[K - 1] = stick;
    },
    unconstrain(values) {
      const x = flattenValue(values.x);
      const y = new Float64Array(K - 1);
      let stick = 1;
      for (let k = 0; k < K - 1; k++) {
        const zk = x[k] / stick;
        y[k] = Math.log(zk / (1 - zk)) + Math.log(K - 1 - k);
        stick -= x[k];
      }
      return y;
    },
  });
}

/** A normal whose density rejects (throws StanDomainError or returns NaN) beyond |θ| > bound. */
export function rejectingNormal(bound: number, how: "throw" | "nan" | "-inf"): ModelInstance {
  return testModel({
    name: "rejecting_normal",
    dim: 1,
    variables: [param("x")],
    logDensityGradient(q, grad) {
      if (Math.abs(q[0]) > bound) {
        if (how === "throw") throw new StanDomainError(`x is ${q[0]}, outside ±${bound}`);
        grad[0] = NaN;
        return how === "nan" ? NaN : -Infinity;
      }
      grad[0] = -q[0];
      return -0.5 * q[0] * q[0];
    },
  });
}

/** Independent normals with the given standard deviations (the rstan comparison's 10-D Gaussian). */
export function scaledNormal(sds: number[]): ModelInstance {
  const precision = sds.map((s) => 1 / (s * s));
  return testModel({
    name: "scaled_normal",
    dim: sds.length,
    variables: [param("x", [sds.length])],
    logDensityGradient(theta, grad) {
      let lp = 0;
      for (let i = 0; i < sds.length; i++) {
        lp -= 0.5 * precision[i] * theta[i] * theta[i];
        grad[i] = -precision[i] * theta[i];
      }
      return lp;
    },
  });
}
