/** Special functions against reference values (computed with mpmath at 40 digits). */
import { describe, expect, it } from "vitest";
import {
  Phi,
  choose,
  digamma,
  erf,
  erfc,
  gamma_p,
  gamma_q,
  inc_beta,
  inv_Phi,
  lbeta,
  lchoose,
  lgamma,
  log1m_exp,
  log1p_exp,
  log_Phi,
  log_diff_exp,
  log_inv_logit,
  log_sum_exp,
  tgamma,
  trigamma,
} from "../../../src/runtime/math/index";

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe("gamma family", () => {
  it("lgamma(0.5) = log √π and exact zeros at 1 and 2", () => {
    expect(rel(lgamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-15);
    expect(lgamma(1)).toBe(0);
    expect(lgamma(2)).toBe(0);
  });
  it.each([
    [1e-300, 690.7755278982137],
    [1e-8, 18.42068073818021],
    [0.1, 2.252712651734206],
    [0.9, 0.06637623973474295],
    [1.2, -0.08537409000331583],
    [1.4616, -0.12148629003589732],
    [1.9, -0.03898427592308336],
    [2.3, 0.15418945495963046],
    [3.3, 0.9870985778947344],
    [7.5, 7.534364236758733],
    [15.5, 26.536914491115613],
    [100, 359.1342053695754],
    [1e10, 220258509288.81058],
    [-0.5, 1.2655121234846454],
  ])("lgamma(%d) to ~1e-15 relative", (x, ref) => {
    expect(rel(lgamma(x), ref)).toBeLessThan(2e-15);
  });
  it("lgamma at poles and infinities", () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-3)).toBe(Infinity);
    expect(lgamma(Infinity)).toBe(Infinity);
    expect(Number.isNaN(lgamma(NaN))).toBe(true);
  });
  it.each([
    [1e-8, -100000000.57721564],
    [0.5, -1.9635100260214235],
    [1, -0.5772156649015329],
    [2.5, 0.7031566406452432],
    [15.5, 2.7082352425903653],
    [1e5, 11.512920464961896],
  ])("digamma(%d)", (x, ref) => {
    expect(rel(digamma(x), ref)).toBeLessThan(1e-14);
  });
  it.each([
    [0.1, 101.43329915079275],
    [1, 1.6449340668482264],
    [7.5, 0.1426158966967038],
    [100, 0.010050166663333571],
  ])("trigamma(%d)", (x, ref) => {
    expect(rel(trigamma(x), ref)).toBeLessThan(1e-14);
  });
  it("tgamma, lbeta, lchoose, choose", () => {
    expect(tgamma(5)).toBe(24);
    expect(rel(tgamma(0.5), Math.sqrt(Math.PI))).toBeLessThan(1e-15);
    expect(rel(tgamma(-1.5), (4 / 3) * Math.sqrt(Math.PI))).toBeLessThan(1e-14);
    expect(rel(lbeta(0.5, 0.5), Math.log(Math.PI))).toBeLessThan(1e-15);
    expect(rel(lbeta(1e5, 2e5), -190958.88527911686)).toBeLessThan(1e-15);
    expect(rel(lbeta(3, 1e5), -33.84565921410074)).toBeLessThan(1e-14);
    expect(rel(lbeta(0.1, 30), 1.9140995543009733)).toBeLessThan(1e-14);
    expect(rel(lchoose(10, 3), Math.log(120))).toBeLessThan(1e-14);
    expect(choose(10, 3)).toBe(120);
    expect(choose(5, 7)).toBe(0);
    expect(choose(30, 15)).toBe(155117520);
    expect(() => choose(50, 25)).toThrow(/overflows/);
  });
});

describe("error function family", () => {
  it.each([
    [-5, 1.9999999999984626],
    [-0.3, 1.3286267594591274],
    [0.3, 0.6713732405408726],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2.1, 0.002979466656332984],
    [5, 1.537459794428035e-12],
    [10, 2.088487583762545e-45],
    [26, 5.663192408856143e-296],
  ])("erfc(%d)", (x, ref) => {
    expect(rel(erfc(x), ref)).toBeLessThan(3e-15);
  });
  it("erf is odd and accurate near 0", () => {
    expect(rel(erf(1e-5), 1.1283791670579e-5)).toBeLessThan(1e-14);
    expect(erf(-0.7)).toBe(-erf(0.7));
    expect(rel(erf(1.9), 0.9927904292352575)).toBeLessThan(1e-15);
  });
  it("Phi and log_Phi hold their accuracy in the far tails", () => {
    expect(rel(Phi(-30), 4.906713927148187e-198)).toBeLessThan(1e-14);
    expect(rel(log_Phi(-30), -454.3212439563432)).toBeLessThan(1e-15);
    expect(rel(log_Phi(-300), -45006.62273211866)).toBeLessThan(1e-14);
    expect(rel(log_Phi(10), -7.619853024160525e-24)).toBeLessThan(1e-13);
  });
  it.each([1e-20, 1e-5, 0.01, 0.3, 0.5, 0.7, 0.975, 1 - 1e-10])(
    "inv_Phi inverts Phi at %d",
    (p) => {
      const x = inv_Phi(p);
      if (p < 0.5) expect(rel(log_Phi(x), Math.log(p))).toBeLessThan(1e-14);
      else expect(Math.abs(Phi(x) - p)).toBeLessThan(3e-16);
    },
  );
  it("inv_Phi reference values", () => {
    expect(rel(inv_Phi(0.975), 1.9599639845400538)).toBeLessThan(1e-15);
    expect(rel(inv_Phi(1e-20), -9.262340089798407)).toBeLessThan(1e-15);
  });
});

describe("log-scale arithmetic", () => {
  it("stays finite where the naive formula overflows or cancels", () => {
    expect(log1p_exp(800)).toBe(800);
    expect(rel(log1p_exp(-40), Math.exp(-40))).toBeLessThan(1e-15);
    expect(rel(log1m_exp(-1e-10), Math.log(1e-10))).toBeLessThan(1e-9);
    expect(rel(log_diff_exp(1000, 999), 1000 + Math.log1p(-Math.exp(-1)))).toBeLessThan(1e-15);
    expect(log_diff_exp(3, 3)).toBe(-Infinity);
    expect(rel(log_sum_exp(1000, 1000), 1000 + Math.LN2)).toBeLessThan(1e-15);
    expect(log_sum_exp(new Float64Array([-Infinity, -Infinity]))).toBe(-Infinity);
    expect(
      rel(
        log_sum_exp(new Float64Array([1, 2, 3])),
        Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)),
      ),
    ).toBeLessThan(1e-15);
    expect(rel(log_inv_logit(-800), -800)).toBeLessThan(1e-15);
  });
});

describe("incomplete beta and gamma", () => {
  it.each([
    [2, 3, 0.4, 0.5248],
    [0.5, 0.5, 0.01, 0.06376856085851985],
    [1.5, 0.5, 0.999, 0.9597433418849682],
    [50, 0.5, 0.3, 6.800825885173812e-28],
    [200, 300, 0.4, 0.502428616319932],
  ])("inc_beta(%d, %d, %d)", (a, b, x, ref) => {
    expect(rel(inc_beta(a, b, x), ref)).toBeLessThan(1e-12);
  });
  it.each([
    [3, 2, 0.32332358381693654, 0.6766764161830635],
    [0.5, 0.1, 0.345279153981423, 0.654720846018577],
    [10, 30, 0.9999928782491372, 7.121750862815577e-6],
    [100, 90, 0.15822098918643016, 0.8417790108135699],
  ])("gamma_p / gamma_q(%d, %d)", (a, x, p, q) => {
    expect(rel(gamma_p(a, x), p)).toBeLessThan(1e-13);
    expect(rel(gamma_q(a, x), q)).toBeLessThan(1e-13);
  });
});
