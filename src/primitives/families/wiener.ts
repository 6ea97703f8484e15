/**
 * The Wiener diffusion model's first-passage time at the upper boundary: Stan's 4-parameter
 * `wiener_lpdf(y | alpha, tau, beta, delta)` (deprecated spelling `wiener_log`, which the type
 * checker maps to `_lpdf` as for every density). Its log density is a truncated series, so it is a
 * runtime kernel with hand-derived partials (src/runtime/math/distributions/wiener.ts).
 *
 * Stan has no `wiener_rng`, `_cdf`, `_lcdf` or `_lccdf`, so none is registered. Stan 2.21 (the
 * rstan this project checks against) has only this 4-parameter form: the 5- and 7-parameter
 * densities with across-trial variability (sv, sw, st0) came with Stan 2.33's `wiener_full`, so
 * they are left out.
 */
import { distribution, REALS, withTestDomain } from "./helpers";
import type { KernelRule, Primitive } from "../primitive";

const wiener_lpdf_kernel: KernelRule = {
  args: ["real", "real", "real", "real", "real"],
  propto: true,
  partials: [
    "∂/∂y = −delta²/2 + g/alpha², g = ∂ log f/∂u, u = (y − tau)/alpha²",
    "∂/∂alpha = delta (1 − beta) − 2/alpha − 2u g/alpha",
    "∂/∂tau = delta²/2 − g/alpha²",
    "∂/∂beta = −(delta alpha + ∂ log f/∂w), w = 1 − beta",
    "∂/∂delta = alpha (1 − beta) − delta (y − tau)",
  ],
};

const NO_OTHER_VARIANTS = "Stan has no wiener_rng, _cdf, _lcdf or _lccdf, nor (in 2.21) the 5- and 7-parameter forms";

export const wienerFamily: Primitive[] = withTestDomain(
  distribution({
    family: "wiener",
    name: "wiener",
    variate: REALS,
    params: [REALS, REALS, REALS, REALS],
    lower: { density: { kernel: wiener_lpdf_kernel } },
  }),
  "wiener",
  // every y above every tau; (y − tau)/alpha² from 0.05 to 11 takes both series
  [[1.2, 3], [0.5, 2], [0.05, 1], [0.2, 0.8], [-2, 2]],
).map((entry) => ({ ...entry, note: NO_OTHER_VARIANTS }));
