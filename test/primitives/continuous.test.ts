/**
 * The continuous densities, CDFs and generators of issue #17 (Weibull, Fréchet, chi-square family,
 * Rayleigh, Pareto I/II, logistic, double exponential, Gumbel, beta proportion, von Mises, skew
 * normal, exponentially modified normal, and the closed-form CDFs): values against references,
 * gradients against finite differences through compiled programs, what `~` drops, Stan's argument
 * errors, and the generators' moments.
 */
import { describe, expect, it } from "vitest";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";
import { CONTINUOUS_PROGRAMS } from "./continuousPrograms";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import { StanDomainError } from "../../src/runtime/model";
import * as runtime from "../../src/runtime/math";

/**
 * [Stan expression, reference value]. References were computed once with SciPy 1.17 (`scipy.stats`
 * logpdf / cdf) or mpmath 1.3 at 50 digits from the closed forms named in each comment; the
 * script is not needed to run the test.
 */
const VALUES: readonly (readonly [string, number])[] = [
  ["weibull_lpdf(1.3 | 2.1, 0.8)", -1.2728531103945815], // scipy weibull_min
  ["weibull_lpdf(-0.5 | 2.1, 0.8)", -Infinity], // Stan: −∞ below 0
  ["frechet_lpdf(1.3 | 2.1, 0.8)", -0.9007446561804231], // scipy invweibull
  ["chi_square_lpdf(1.7 | 3.2)", -1.5280667725618544], // scipy chi2
  ["inv_chi_square_lpdf(0.6 | 3.2)", -0.5016304347409143], // scipy invgamma(nu/2, scale 1/2)
  ["inv_chi_square_lpdf(-0.6 | 3.2)", -Infinity], // Stan: −∞ at y ≤ 0
  ["scaled_inv_chi_square_lpdf(0.6 | 3.2, 0.7)", -0.25528229298910166], // scipy invgamma(nu/2, scale nu s²/2)
  ["rayleigh_lpdf(1.1 | 0.9)", -0.4408823691269362], // scipy rayleigh
  ["pareto_lpdf(2.5 | 1.2, 1.7)", -1.6334100784483259], // scipy pareto
  ["pareto_lpdf(1.0 | 1.2, 1.7)", -Infinity], // Stan: −∞ below y_min
  ["pareto_type_2_lpdf(2.5 | 0.3, 1.4, 2.2)", -2.5702920245476677], // scipy lomax
  ["logistic_lpdf(0.4 | -0.3, 1.3)", -1.7202847110065813], // scipy logistic
  ["logistic_lpdf(-800 | 0, 1)", -800.0], // log density = z − 2 log1p(e^z) far in the lower tail
  ["double_exponential_lpdf(0.4 | -0.3, 1.3)", -1.4939729834889748], // scipy laplace
  ["gumbel_lpdf(0.4 | -0.3, 1.3)", -1.3844712810726036], // scipy gumbel_r
  ["beta_proportion_lpdf(0.3 | 0.4, 5.5)", 0.6086481866831348], // scipy beta(mu kappa, (1 − mu) kappa)
  ["von_mises_lpdf(0.4 | -0.3, 2.5)", -1.1166102693941522], // scipy vonmises
  ["von_mises_lpdf(1.0 | 0.5, 80)", -8.522892659965127], // scipy vonmises (large kappa: asymptotic log I₀)
  ["von_mises_lpdf(1.0 | 0.5, 0)", -1.8378770664093453], // −log 2π: uniform on the circle
  ["skew_normal_lpdf(0.4 | -0.3, 1.3, 2.5)", -0.7264772295834667], // scipy skewnorm
  ["skew_normal_lpdf(-3 | 0, 1, 10)", -459.0470353089879], // mpmath log(2 φ(z) Φ(alpha z)); Φ(−30) underflows a naive log
  ["exp_mod_normal_lpdf(0.4 | -0.3, 1.3, 2.5)", -1.2516756191168892], // mpmath log(lambda/2) + lambda(mu + lambda sigma²/2 − y) + log erfc(…)
  ["exp_mod_normal_lpdf(-30 | 0, 1, 2)", -453.6925014451654], // mpmath (erfc(≈22.6) ≈ 1e-223)
  ["exp_mod_normal_lpdf(-60 | 0, 1, 5)", -1803.484124437169], // mpmath (erfc underflows to 0 in double)
  ["normal_cdf(0.3 | -0.2, 1.5)", 0.6305586598182363], // mpmath ncdf
  ["normal_lcdf(0.3 | -0.2, 1.5)", -0.4611490909211131], // mpmath ncdf
  ["normal_lccdf(0.3 | -0.2, 1.5)", -0.9957633057792302], // mpmath ncdf
  ["std_normal_cdf(0.3)", 0.6179114221889527], // mpmath ncdf
  ["normal_cdf({0.3, -1.1} | -0.2, 1.5)", 0.17293267837945936], // product of the elements' CDFs (Stan's _cdf semantics)
  ["lognormal_cdf(1.7 | 0.2, 0.8)", 0.6603012057440004], // mpmath Φ((log y − mu)/sigma)
  ["lognormal_lcdf(1.7 | 0.2, 0.8)", -0.41505917572845447], // mpmath
  ["lognormal_lccdf(1.7 | 0.2, 0.8)", -1.0796959532596384], // mpmath
  ["lognormal_lccdf(1e12 | 0.2, 0.8)", -592.3146986866112], // mpmath (upper tail)
  ["cauchy_cdf(0.4 | -0.3, 1.3)", 0.6572264209222577], // mpmath ½ + atan(z)/π
  ["cauchy_lcdf(0.4 | -0.3, 1.3)", -0.4197266913716997], // mpmath
  ["cauchy_lccdf(0.4 | -0.3, 1.3)", -1.070685169097752], // mpmath
  ["cauchy_lcdf(-1e10 | 0, 1)", -24.170580815789858], // mpmath (lower tail: ½ + atan(z)/π cancels in double)
  ["exponential_cdf(0.7 | 1.8)", 0.7163459735002297], // mpmath 1 − e^(−beta y)
  ["weibull_cdf(1.3 | 2.1, 0.8)", 0.9374627314902718], // mpmath 1 − exp(−(y/sigma)^alpha)
  ["weibull_lcdf(1.3 | 2.1, 0.8)", -0.0645782750047891], // mpmath
  ["weibull_lccdf(1.3 | 2.1, 0.8)", -2.771992603798039], // mpmath
  ["frechet_cdf(1.3 | 2.1, 0.8)", 0.6971523424560789], // mpmath exp(−(y/sigma)^(−alpha))
  ["frechet_lcdf(1.3 | 2.1, 0.8)", -0.3607513233007376], // mpmath
  ["frechet_lccdf(1.3 | 2.1, 0.8)", -1.194525380292305], // mpmath
  ["rayleigh_cdf(1.1 | 0.9)", 0.5261732736046361], // mpmath 1 − exp(−y²/(2 sigma²))
  ["rayleigh_lcdf(1.1 | 0.9)", -0.6421247029911509], // mpmath
  ["rayleigh_lccdf(1.1 | 0.9)", -0.7469135802469137], // mpmath
  ["pareto_cdf(2.5 | 1.2, 1.7)", 0.712849151747456], // mpmath 1 − (y_min/y)^alpha
  ["pareto_lcdf(2.5 | 1.2, 1.7)", -0.33848544932822694], // mpmath
  ["pareto_lccdf(2.5 | 1.2, 1.7)", -1.2477475976363408], // mpmath
  ["pareto_lcdf(1.0 | 1.2, 1.7)", -Infinity], // zero below y_min
  ["pareto_lccdf(1.0 | 1.2, 1.7)", 0.0], // zero below y_min
  ["pareto_type_2_cdf(2.5 | 0.3, 1.4, 2.2)", 0.8747965843889534], // mpmath 1 − (1 + (y − mu)/lambda)^(−alpha)
  ["pareto_type_2_lcdf(2.5 | 0.3, 1.4, 2.2)", -0.1337638946350738], // mpmath
  ["pareto_type_2_lccdf(2.5 | 0.3, 1.4, 2.2)", -2.0778155394498734], // mpmath
  ["logistic_cdf(0.4 | -0.3, 1.3)", 0.6314544598531285], // mpmath logit⁻¹(z)
  ["logistic_lcdf(0.4 | -0.3, 1.3)", -0.4597294540387759], // mpmath
  ["logistic_lccdf(0.4 | -0.3, 1.3)", -0.9981909925003144], // mpmath
  ["logistic_lcdf(-800 | 0, 1)", -800.0], // log logit⁻¹(−800) = −800 − log1p(e^−800)
  ["double_exponential_cdf(0.4 | -0.3, 1.3)", 0.708177260928213], // mpmath 1 − ½ e^(−z) above mu
  ["double_exponential_lcdf(0.4 | -0.3, 1.3)", -0.34506084808271675], // mpmath
  ["double_exponential_lccdf(0.4 | -0.3, 1.3)", -1.2316087190214837], // mpmath
  ["double_exponential_cdf(-1.4 | -0.3, 1.3)", 0.21453100047155435], // mpmath ½ e^z below mu
  ["double_exponential_lcdf(-1.4 | -0.3, 1.3)", -1.5393010267137914], // mpmath
  ["double_exponential_lccdf(-1.4 | -0.3, 1.3)", -0.24147428797430506], // mpmath
  ["gumbel_cdf(0.4 | -0.3, 1.3)", 0.5578609851784395], // mpmath exp(−exp(−z))
  ["gumbel_lcdf(0.4 | -0.3, 1.3)", -0.583645478143574], // mpmath
  ["gumbel_lccdf(0.4 | -0.3, 1.3)", -0.816130933182387], // mpmath
  ["uniform_cdf(0.4 | -0.3, 1.3)", 0.4375], // (y − alpha)/(beta − alpha)
  ["uniform_lcdf(0.4 | -0.3, 1.3)", -0.826678573184468], // log 0.4375
  ["uniform_lccdf(0.4 | -0.3, 1.3)", -0.5753641449035618], // log 0.5625
  ["uniform_lcdf(-0.5 | -0.3, 1.3)", -Infinity], // below alpha
  ["uniform_lcdf(1.5 | -0.3, 1.3)", 0.0], // above beta the CDF is 1 (Stan Math's uniform_lcdf returns −∞ there)
  ["exp_mod_normal_cdf(0.4 | -0.3, 1.3, 2.5)", 0.5904607239703695], // mpmath Φ(u) − exp(v²/2 − v u) Φ(u − v)
  ["exp_mod_normal_lcdf(0.4 | -0.3, 1.3, 2.5)", -0.5268521587314688], // mpmath
  ["exp_mod_normal_lccdf(0.4 | -0.3, 1.3, 2.5)", -0.8927224681280203], // mpmath
  ["exp_mod_normal_lcdf(-20 | 0, 1, 1)", -206.9662830011836], // mpmath (lower tail: both parts ≈ 1e-89 and nearly cancel)
  ["exp_mod_normal_lccdf(40 | 0, 1, 1)", -39.5], // mpmath (upper tail)
  ["von_mises_lcdf(0.4 | -0.3, 2.5)", -0.1721083917716495], // mpmath quad of exp(κ cos(t − μ)) over [−π, y] / (2π I₀(κ))
  ["von_mises_lccdf(0.4 | -0.3, 2.5)", -1.8444510955640479], // mpmath, as above
  ["von_mises_cdf(0.4 | -0.3, 2.5)", 0.84188791450016191], // mpmath, as above
  ["von_mises_lcdf(-2.5 | 1.0, 0.7)", -2.9326718217892513], // mpmath, as above
  ["von_mises_lccdf(2.9 | -2.0, 10.0)", -7.9632638938779115], // mpmath, as above (y beyond the cut μ + π: the wrapped branch)
  ["von_mises_cdf(2.9 | -2.0, 10.0)", 0.99965198462351977], // mpmath, as above
  ["von_mises_lcdf(0.1 | 0.2, 80.0)", -1.6818884222684786], // mpmath of Stan's normal approximation for κ ≥ 50, Φ(√(2/π) eᵏ/I₀(κ) sin(x/2)) (2.5e-6 from the exact integral)
  ["von_mises_lccdf(0.1 | 0.2, 80.0)", -0.20582237697027482], // mpmath, as above
  ["von_mises_cdf(-pi() | 0.2, 1.0)", 0], // the support's ends, exactly
  ["von_mises_cdf(pi() | 0.2, 1.0)", 1],
  ["skew_normal_lcdf(0.4 | -0.3, 1.3, 2.5)", -0.86752390422670314], // mpmath quad of 2 φ(z) Φ(α z) up to z = (y − ξ)/ω
  ["skew_normal_lccdf(0.4 | -0.3, 1.3, 2.5)", -0.54471027692088743], // mpmath, as above
  ["skew_normal_cdf(0.4 | -0.3, 1.3, 2.5)", 0.41999019877513206], // mpmath, as above
  ["skew_normal_lcdf(-1.0 | 0.5, 0.8, -3.0)", -2.8002851770098436], // mpmath, as above
  ["skew_normal_lccdf(-1.0 | 0.5, 0.8, -3.0)", -0.062719082350873267], // mpmath, as above
  ["skew_normal_cdf(1.2 | 0, 1, 0)", 0.88493032977829172], // Φ(1.2): α = 0 is the normal
  ["skew_normal_lcdf(-2 | 1, 0.3, 3)", -509.15419733047187], // mpmath quad, breakpoints near z = −10 (lower tail of a right skew: Φ(z) − 2T(z, α) cancels to 0 in double)
  ["skew_normal_lccdf(2 | -1, 0.3, -3)", -509.15419733047187], // the mirror image: 1 − F(10 | −3) = F(−10 | 3)
  ["skew_normal_lcdf(-40 | 0, 1, 0.5)", -1008.0559657714712], // mpmath, as above
  ["skew_normal_lccdf(10 | 0, 1, 3)", -52.538137969952525], // mpmath, as above
  ["std_normal_log_qf(-0.3)", 0.64586998620126358], // mpmath findroot of log ncdf(x) = lp, 50 digits
  ["std_normal_log_qf(-1e-20)", 9.2623400897984076], // mpmath, as above (e^lp rounds to 1 in double)
  ["std_normal_log_qf(log(0.5))", 2.9064941568900345e-17], // mpmath, as above (the median)
  ["std_normal_log_qf(-5.0)", -2.4709386372615884], // mpmath, as above
  ["std_normal_log_qf(-800.0)", -39.884694838256678], // mpmath, as above (e^lp underflows in double)
  ["std_normal_log_qf(-1e5)", -447.19789367852505], // mpmath, as above
  ["std_normal_log_qf(0)", Infinity],
  ["std_normal_log_qf(negative_infinity())", -Infinity],
];

/** Evaluates scalar Stan expressions in generated quantities. */
async function evaluate(
  exprs: readonly string[],
  data = "",
  dataValues: Record<string, unknown> = {},
): Promise<Float64Array> {
  const body = exprs.map((e, i) => `  real v${i} = ${e};`).join("\n");
  const model = await loadCompiled(
    `${data}\ngenerated quantities {\n${body}\n}`,
    "continuous_values.stan",
  );
  const inst = model.create(dataValues);
  const out = new Float64Array(inst.outputLength);
  inst.writeConstrained(new Float64Array(0), new Xoshiro128(7), out);
  return out;
}

describe("continuous distributions: values", () => {
  it("match the references", async () => {
    const out = await evaluate(VALUES.map(([e]) => e));
    const bad: string[] = [];
    VALUES.forEach(([e, want], i) => {
      const got = out[i];
      const ok = Number.isFinite(want)
        ? Math.abs(got - want) <= 1e-11 * Math.max(1, Math.abs(want))
        : got === want;
      if (!ok) bad.push(`${e} = ${got}, expected ${want}`);
    });
    expect(bad).toEqual([]);
  });

  it("log I₀ and I₁/I₀ agree with SciPy across the series/asymptotic switch", () => {
    // scipy.special: log(i0e(x)) + x and ive(1, x)/i0e(x)
    const cases: readonly (readonly [number, number, number])[] = [
      [0.5, 0.06154971918548119, 0.24249961258080194],
      [10, 7.942972083118695, 0.948599825954846],
      [29.999, 27.38371824389923, 0.9831889900332788],
      [30.001, 27.38568462300995, 0.983190120659363],
      [100, 96.77973268994258, 0.9949873730051689],
      [1000, 995.6273088898695, 0.9994998748748042],
    ];
    for (const [x, logI0, ratio] of cases) {
      expect(runtime.log_bessel_i0(x)).toBeCloseTo(logI0, 13);
      expect(runtime.bessel_i1_over_i0(x)).toBeCloseTo(ratio, 14);
    }
  });
});

describe("continuous distributions: gradients", () => {
  for (const p of CONTINUOUS_PROGRAMS) {
    it(`${p.name}: gradient vs finite differences at 4 random points`, async () => {
      const model = await loadCompiled(p.stan, `${p.name.replace(/\W+/g, "_")}.stan`);
      const inst = model.create(p.data);
      const rnd = seededUniform(p.name.length * 17 + 3);
      for (let k = 0; k < 4; k++) {
        const theta = randomPoint(inst.dim, rnd, 1.5);
        const g = new Float64Array(inst.dim);
        const lp = inst.logDensityGradient(theta, g);
        expect(Number.isFinite(lp), `${p.name}: log density ${lp}`).toBe(true);
        expect(inst.logDensity(theta)).toBe(lp);
        const r = coordinateCheck(inst, theta);
        expect(r.worst, `${p.name}: ${r.where}`).toBeLessThan(1e-6);
      }
    });
  }
});

describe("continuous distributions: truncation reads the log CDFs", () => {
  it("T[0, ], T[, U] and T[L, U]: finite gradient that matches finite differences (weibull_lccdf at 0 included)", async () => {
    const model = await loadCompiled(
      `data { int N; vector<lower=0>[N] y; vector[N] z; }
parameters { real<lower=0.5, upper=3> alpha; real<lower=0.5, upper=2> sigma; real<lower=-1, upper=1> mu; }
model {
  for (n in 1:N) {
    y[n] ~ weibull(alpha, sigma) T[0, ];
    y[n] ~ rayleigh(sigma) T[, 5];
    y[n] ~ lognormal(mu, sigma) T[0.05, 10];
    z[n] ~ gumbel(mu, sigma) T[-3, 4];
    z[n] ~ logistic(mu, sigma) T[-4, ];
  }
}`,
      "continuous_truncation.stan",
    );
    const inst = model.create({ N: 3, y: [0.5, 1.5, 2.2], z: [0.3, -1.2, 2.1] });
    const rnd = seededUniform(41);
    for (let k = 0; k < 3; k++) {
      const theta = randomPoint(inst.dim, rnd, 1.5);
      const g = new Float64Array(inst.dim);
      expect(Number.isFinite(inst.logDensityGradient(theta, g))).toBe(true);
      const r = coordinateCheck(inst, theta);
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });
});

describe("continuous distributions: ~ drops only constants", () => {
  // Each density once with a data variate and parameters, once with everything a parameter but
  // one argument: `target +=` minus `~` must not depend on the parameters.
  const data = "data { vector[3] y; vector<lower=0>[3] yp; vector<lower=0, upper=1>[3] u; }";
  const parameters =
    "parameters { real<lower=-1, upper=1> mu; real<lower=0.5, upper=2> s; real<lower=0.5, upper=3> a; real<lower=0.2, upper=0.8> p; vector<lower=0.1, upper=3>[3] x; }";
  const statements: readonly (readonly [string, string])[] = [
    ["yp ~ weibull(a, s)", "weibull_lpdf(yp | a, s)"],
    ["x ~ weibull(2, s)", "weibull_lpdf(x | 2, s)"],
    ["x ~ weibull(a, 1.5)", "weibull_lpdf(x | a, 1.5)"],
    ["yp ~ frechet(a, s)", "frechet_lpdf(yp | a, s)"],
    ["x ~ frechet(2, 1)", "frechet_lpdf(x | 2, 1)"],
    ["yp ~ chi_square(a)", "chi_square_lpdf(yp | a)"],
    ["x ~ chi_square(3)", "chi_square_lpdf(x | 3)"],
    ["yp ~ inv_chi_square(a)", "inv_chi_square_lpdf(yp | a)"],
    ["x ~ inv_chi_square(3)", "inv_chi_square_lpdf(x | 3)"],
    ["yp ~ scaled_inv_chi_square(a, s)", "scaled_inv_chi_square_lpdf(yp | a, s)"],
    ["x ~ scaled_inv_chi_square(3, s)", "scaled_inv_chi_square_lpdf(x | 3, s)"],
    ["yp ~ rayleigh(s)", "rayleigh_lpdf(yp | s)"],
    ["x ~ rayleigh(1.2)", "rayleigh_lpdf(x | 1.2)"],
    ["x ~ pareto(0.05, a)", "pareto_lpdf(x | 0.05, a)"],
    ["yp ~ pareto(0.05, a)", "pareto_lpdf(yp | 0.05, a)"],
    ["yp ~ pareto_type_2(mu - 1, s, a)", "pareto_type_2_lpdf(yp | mu - 1, s, a)"],
    ["x ~ pareto_type_2(-1, 2, 3)", "pareto_type_2_lpdf(x | -1, 2, 3)"],
    ["y ~ logistic(mu, s)", "logistic_lpdf(y | mu, s)"],
    ["x ~ logistic(0, 1)", "logistic_lpdf(x | 0, 1)"],
    ["y ~ double_exponential(mu, s)", "double_exponential_lpdf(y | mu, s)"],
    ["x ~ double_exponential(0, 2)", "double_exponential_lpdf(x | 0, 2)"],
    ["y ~ gumbel(mu, s)", "gumbel_lpdf(y | mu, s)"],
    ["x ~ gumbel(0, 2)", "gumbel_lpdf(x | 0, 2)"],
    ["u ~ beta_proportion(p, a)", "beta_proportion_lpdf(u | p, a)"],
    ["u ~ beta_proportion(0.3, a)", "beta_proportion_lpdf(u | 0.3, a)"],
    ["y ~ von_mises(mu, a)", "von_mises_lpdf(y | mu, a)"],
    ["x ~ von_mises(0, 2)", "von_mises_lpdf(x | 0, 2)"],
    ["y ~ skew_normal(mu, s, a)", "skew_normal_lpdf(y | mu, s, a)"],
    ["x ~ skew_normal(0, 2, -1)", "skew_normal_lpdf(x | 0, 2, -1)"],
    ["y ~ exp_mod_normal(mu, s, a)", "exp_mod_normal_lpdf(y | mu, s, a)"],
    ["x ~ exp_mod_normal(0, 1, 2)", "exp_mod_normal_lpdf(x | 0, 1, 2)"],
  ];
  const values = { y: [0.3, -1.2, 2.1], yp: [0.5, 1.5, 2.2], u: [0.2, 0.5, 0.9] };

  it("for every new density", async () => {
    const tilde = await loadCompiled(
      `${data}\n${parameters}\nmodel {\n${statements.map(([t]) => `  ${t};`).join("\n")}\n}`,
      "continuous_tilde.stan",
    );
    const full = await loadCompiled(
      `${data}\n${parameters}\nmodel {\n${statements.map(([, f]) => `  target += ${f};`).join("\n")}\n}`,
      "continuous_target.stan",
    );
    const t = tilde.create(values);
    const f = full.create(values);
    const rnd = seededUniform(99);
    const differences: number[] = [];
    for (let k = 0; k < 4; k++) {
      const theta = randomPoint(t.dim, rnd, 2);
      differences.push(f.logDensity(theta) - t.logDensity(theta));
    }
    for (const d of differences) expect(d).toBeCloseTo(differences[0], 9);
  });

  it("drops what Stan drops: the constants, and the terms of data arguments", async () => {
    const dropped = async (tildeStatement: string, lpdf: string): Promise<number> => {
      const t = (
        await loadCompiled(
          `${data}\n${parameters}\nmodel { ${tildeStatement}; }`,
          "drop_tilde.stan",
        )
      ).create(values);
      const f = (
        await loadCompiled(
          `${data}\n${parameters}\nmodel { target += ${lpdf}; }`,
          "drop_target.stan",
        )
      ).create(values);
      const theta = randomPoint(t.dim, seededUniform(5), 1);
      return f.logDensity(theta) - t.logDensity(theta);
    };
    // kappa a parameter: only −log 2π per element goes
    expect(await dropped("y ~ von_mises(mu, a)", "von_mises_lpdf(y | mu, a)")).toBeCloseTo(
      -3 * Math.log(2 * Math.PI),
      12,
    );
    // kappa data: log I₀(2) per element goes as well (scipy: log(i0(2)) = 0.8239935414829561)
    expect(await dropped("y ~ von_mises(mu, 2)", "von_mises_lpdf(y | mu, 2)")).toBeCloseTo(
      -3 * (Math.log(2 * Math.PI) + 0.8239935414829561),
      12,
    );
    // exp_mod_normal: −log 2 per element, and log lambda when lambda is data
    expect(
      await dropped("y ~ exp_mod_normal(mu, s, 2)", "exp_mod_normal_lpdf(y | mu, s, 2)"),
    ).toBeCloseTo(-3 * Math.log(2) + 3 * Math.log(2), 12);
  });
});

describe("continuous distributions: argument errors name the argument as Stan does", () => {
  const cases: readonly (readonly [string, string])[] = [
    ["weibull_lpdf(1 | 2, s)", "weibull_lpdf: Scale parameter is -1, but must be positive finite!"],
    ["weibull_cdf(1 | 2, s)", "weibull_cdf: Scale parameter is -1, but must be positive finite!"],
    ["weibull_lcdf(-2 | 2, 1)", "weibull_lcdf: Random variable is -2, but must be nonnegative!"],
    [
      "frechet_lccdf(1 | s, 2)",
      "frechet_lccdf: Shape parameter is -1, but must be positive finite!",
    ],
    ["von_mises_lpdf(1 | 0, s)", "von_mises_lpdf: Scale parameter is -1, but must be nonnegative!"],
    [
      "exp_mod_normal_lpdf(1 | 0, 1, s)",
      "exp_mod_normal_lpdf: Inv_scale parameter is -1, but must be positive finite!",
    ],
    [
      "exp_mod_normal_lcdf(1 | 0, s, 1)",
      "exp_mod_normal_lcdf: Scale parameter is -1, but must be positive finite!",
    ],
    [
      "skew_normal_lpdf(1 | 0, s, 1)",
      "skew_normal_lpdf: Scale parameter is -1, but must be positive!",
    ],
    [
      "beta_proportion_lpdf(0.5 | s, 2)",
      "beta_proportion_lpdf: Location parameter is -1, but must be positive!",
    ],
    [
      "beta_proportion_lpdf(1.5 | 0.5, 2)",
      "beta_proportion_lpdf: Random variable is 1.5, but must be in the interval [0, 1]",
    ],
    ["gumbel_lccdf(1 | 0, s)", "gumbel_lccdf: Scale parameter is -1, but must be positive!"],
    [
      "pareto_type_2_lpdf(1 | 0, 1, s)",
      "pareto_type_2_lpdf: Shape parameter is -1, but must be positive finite!",
    ],
    [
      "chi_square_lpdf(1 | s)",
      "chi_square_lpdf: Degrees of freedom parameter is -1, but must be positive finite!",
    ],
    ["rayleigh_lpdf(1 | sv)", "rayleigh_lpdf: Scale parameter[2] is -1, but must be positive!"],
    [
      "cauchy_lcdf(1 | 0, sv)",
      "cauchy_lcdf: Scale parameter[2] is -1, but must be positive finite!",
    ],
    [
      "logistic_cdf(1 | 0, sv)",
      "logistic_cdf: Scale parameter[2] is -1, but must be positive finite!",
    ],
  ];
  for (const [call, message] of cases) {
    it(call, async () => {
      const model = await loadCompiled(
        `data { real s; vector[2] sv; }\nmodel { target += ${call}; }`,
        "continuous_error.stan",
      );
      const inst = model.create({ s: -1, sv: [1, -1] });
      expect(() => inst.logDensity(new Float64Array(0))).toThrow(StanDomainError);
      expect(() => inst.logDensity(new Float64Array(0))).toThrow(message);
    });
  }
  it("in the generators", () => {
    const rng = new Xoshiro128(1);
    expect(() => runtime.frechet_rng(rng, 2, -1)).toThrow(
      "frechet_rng: Scale parameter is -1, but must be positive finite!",
    );
    expect(() => runtime.von_mises_rng(rng, 0, -1)).toThrow(
      "von_mises_rng: Scale parameter is -1, but must be nonnegative!",
    );
    expect(() => runtime.beta_proportion_rng(rng, 1.5, 2)).toThrow(
      "beta_proportion_rng: Location parameter is 1.5, but must be less than 1",
    );
    expect(() => runtime.exp_mod_normal_rng(rng, 0, 1, 0)).toThrow(
      "exp_mod_normal_rng: Inv_scale parameter is 0, but must be positive finite!",
    );
  });
});

describe("continuous distributions: generators", () => {
  const EULER_GAMMA = 0.5772156649015329;
  const G = (x: number) => Math.exp(runtime.lgamma(x));
  const delta = 3 / Math.sqrt(10);
  // [name, draw, mean, variance]: the moments in closed form.
  const cases: readonly (readonly [string, (r: Xoshiro128) => number, number, number])[] = [
    [
      "frechet_rng(6, 1.5)",
      (r) => runtime.frechet_rng(r, 6, 1.5),
      1.5 * G(1 - 1 / 6),
      2.25 * (G(1 - 2 / 6) - G(1 - 1 / 6) ** 2),
    ],
    ["inv_chi_square_rng(12)", (r) => runtime.inv_chi_square_rng(r, 12), 1 / 10, 2 / (100 * 8)],
    [
      "scaled_inv_chi_square_rng(12, 1.3)",
      (r) => runtime.scaled_inv_chi_square_rng(r, 12, 1.3),
      (12 * 1.69) / 10,
      (2 * 144 * 1.69 ** 2) / (100 * 8),
    ],
    [
      "rayleigh_rng(1.2)",
      (r) => runtime.rayleigh_rng(r, 1.2),
      1.2 * Math.sqrt(Math.PI / 2),
      ((4 - Math.PI) / 2) * 1.44,
    ],
    [
      "pareto_rng(1.5, 8)",
      (r) => runtime.pareto_rng(r, 1.5, 8),
      (8 * 1.5) / 7,
      (2.25 * 8) / (49 * 6),
    ],
    [
      "pareto_type_2_rng(0.5, 2, 8)",
      (r) => runtime.pareto_type_2_rng(r, 0.5, 2, 8),
      0.5 + 2 / 7,
      (4 * 8) / (49 * 6),
    ],
    [
      "gumbel_rng(0.5, 2)",
      (r) => runtime.gumbel_rng(r, 0.5, 2),
      0.5 + 2 * EULER_GAMMA,
      (Math.PI ** 2 * 4) / 6,
    ],
    [
      "beta_proportion_rng(0.3, 10)",
      (r) => runtime.beta_proportion_rng(r, 0.3, 10),
      0.3,
      (0.3 * 0.7) / 11,
    ],
    [
      "skew_normal_rng(0.5, 2, 3)",
      (r) => runtime.skew_normal_rng(r, 0.5, 2, 3),
      0.5 + 2 * delta * Math.sqrt(2 / Math.PI),
      4 * (1 - (2 * delta * delta) / Math.PI),
    ],
    ["exp_mod_normal_rng(0.5, 1, 2)", (r) => runtime.exp_mod_normal_rng(r, 0.5, 1, 2), 1, 1.25],
    // cos(y − mu) has mean I₁(κ)/I₀(κ) and E cos² = (1 + I₂/I₀)/2, I₂ = I₀ − 2 I₁/κ
    [
      "von_mises_rng(0.7, 2) via cos(y − mu)",
      (r) => Math.cos(runtime.von_mises_rng(r, 0.7, 2) - 0.7),
      runtime.bessel_i1_over_i0(2),
      1 - runtime.bessel_i1_over_i0(2) / 2 - runtime.bessel_i1_over_i0(2) ** 2,
    ],
  ];
  for (const [name, draw, mean, variance] of cases) {
    it(`${name}: mean and variance`, () => {
      const rng = new Xoshiro128(2024);
      const n = 40000;
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) {
        const x = draw(rng);
        sum += x;
        sumSq += x * x;
      }
      const m = sum / n;
      const v = sumSq / n - m * m;
      expect(Math.abs(m - mean), `${name}: mean ${m} vs ${mean}`).toBeLessThan(
        5 * Math.sqrt(variance / n),
      );
      expect(Math.abs(v / variance - 1), `${name}: variance ${v} vs ${variance}`).toBeLessThan(
        0.06,
      );
    });
  }

  it("von_mises_rng stays within pi of mu mod 2 pi", () => {
    const rng = new Xoshiro128(3);
    for (let i = 0; i < 2000; i++) {
      const y = runtime.von_mises_rng(rng, 7.5, 0.3);
      expect(Math.abs(y - (7.5 % (2 * Math.PI)))).toBeLessThanOrEqual(Math.PI);
    }
  });

  it("are registered for generated quantities, scalar and vectorised", async () => {
    const exprs = [
      "frechet_rng(2, 1)",
      "inv_chi_square_rng(3)",
      "scaled_inv_chi_square_rng(3, 2)",
      "rayleigh_rng(1)",
      "pareto_rng(1, 2)",
      "pareto_type_2_rng(0, 1, 2)",
      "gumbel_rng(0, 1)",
      "von_mises_rng(0, 1)",
      "beta_proportion_rng(0.5, 3)",
      "skew_normal_rng(0, 1, 2)",
      "exp_mod_normal_rng(0, 1, 2)",
      "weibull_rng(2, 1)",
      "chi_square_rng(3)",
      "sum(rayleigh_rng([1, 2, 3]'))",
      "sum(gumbel_rng({0.0, 1.0}, 2))",
    ];
    const out = await evaluate(exprs);
    exprs.forEach((e, i) => expect(Number.isFinite(out[i]), e).toBe(true));
    // positive supports
    for (const i of [0, 1, 2, 3, 4, 11, 12, 13]) expect(out[i]).toBeGreaterThan(0);
    expect(out[4]).toBeGreaterThanOrEqual(1);
    expect(out[8]).toBeGreaterThan(0);
    expect(out[8]).toBeLessThan(1);
  });
});
