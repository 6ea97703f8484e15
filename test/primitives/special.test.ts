/**
 * Special functions of issue #17 (trigamma, incomplete gamma and beta, Owen's T, Bessel functions,
 * factorials, …): values against references computed once with R 4.x (the R expression is given
 * above each table; the tests do not need R), derivatives against finite differences of the runtime
 * value functions, and gradients through compiled Stan programs.
 */
import { describe, expect, it } from "vitest";
import * as m from "../../src/runtime/math/index";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";
import { SPECIAL_PROGRAMS } from "./specialPrograms";

const rel = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

/** Central difference with a step scaled to the argument, accurate to ~1e-9 relative for smooth f. */
function fd(f: (t: number) => number, t: number): number {
  const h = 1e-4 * Math.max(1, Math.abs(t));
  return (-f(t + 2 * h) + 8 * f(t + h) - 8 * f(t - h) + f(t - 2 * h)) / (12 * h);
}

describe("special function values against R", () => {
  it("trigamma and tetragamma: R trigamma(x), psigamma(x, 2)", () => {
    const cases: [number, number, number][] = [
      [-2.3, 14.7259121609613, 68.713792529270421],
      [0.1, 101.43329915079275, -2001.8614573783439],
      [0.7, 2.8340491566946104, -6.4349928741909235],
      [3, 0.39493406684822635, -0.15411380631918856],
      [12, 0.086901872871768385, -0.0075472053689989108],
      [150, 0.006688938271165997, -4.4741728380430485e-5],
    ];
    for (const [x, tri, tetra] of cases) {
      expect(rel(m.trigamma(x), tri), `trigamma(${x})`).toBeLessThan(1e-13);
      expect(rel(m.tetragamma(x), tetra), `tetragamma(${x})`).toBeLessThan(1e-13);
    }
  });

  it("gamma_p, gamma_q: R pgamma(x, a), pgamma(x, a, lower.tail = FALSE)", () => {
    const cases: [number, number, number, number][] = [
      [0.5, 0.2, 0.47291074313446191, 0.52708925686553809],
      [2, 1, 0.26424111765711528, 0.73575888234288467],
      [2, 5, 0.95957231800548715, 0.040427681994512805],
      [10, 3, 0.0011024881301154794, 0.99889751186988451],
      [10, 30, 0.99999287824913718, 7.1217508628155784e-6],
      [0.01, 0.5, 0.99437324380603287, 0.0056267561939671836],
      [50, 45, 0.24680203440017021, 0.75319796559982977],
      [3.3, 3.9, 0.6894344530064267, 0.31056554699357325],
      [100, 130, 0.99724959163269344, 0.0027504083673065261],
    ];
    for (const [a, x, p, q] of cases) {
      expect(rel(m.gamma_p(a, x), p), `gamma_p(${a}, ${x})`).toBeLessThan(1e-13);
      expect(rel(m.gamma_q(a, x), q), `gamma_q(${a}, ${x})`).toBeLessThan(1e-11);
    }
    expect(() => m.gamma_p(0, 1)).toThrow(/gamma_p: first argument is 0, but must be positive/);
  });

  // R: integrate(function(t) log(t) * exp((a-1)*log(t) - t - lgamma(a)), 0, x, rel.tol=1e-12)$value - pgamma(x, a) * digamma(a),
  // for (10, 30) from the upper tail instead (less cancellation): −(∫ₓ^∞ … − pgamma(x, a, lower.tail=FALSE) digamma(a))
  it("∂/∂a gamma_p against R quadrature", () => {
    const cases: [number, number, number][] = [
      [0.5, 0.2, -0.82016140648613889],
      [2, 1, -0.2761960457028349],
      [2, 5, -0.055859896052536884],
      [10, 3, -0.0014156364605752078],
      [3.3, 3.9, -0.19711920146036055],
      [10, 30, -8.5002029891204431e-6],
    ];
    for (const [a, x, d] of cases) {
      expect(rel(m.gamma_p_da(a, x), d), `gamma_p_da(${a}, ${x})`).toBeLessThan(1e-10);
      expect(rel(m.gamma_q_da(a, x), -d), `gamma_q_da(${a}, ${x})`).toBeLessThan(1e-10);
    }
  });

  it("inc_beta: R pbeta(x, a, b)", () => {
    const cases: [number, number, number, number][] = [
      [2, 3, 0.3, 0.34829999999999989],
      [2, 3, 0.8, 0.9728],
      [0.5, 0.5, 0.1, 0.20483276469913345],
      [10, 2, 0.95, 0.89810540885756818],
      [0.3, 5, 0.02, 0.53677943530455619],
      [50, 60, 0.45, 0.46423529143060377],
      [1, 1, 0.5, 0.5],
    ];
    for (const [a, b, x, want] of cases) expect(rel(m.inc_beta(a, b, x), want), `inc_beta(${a}, ${b}, ${x})`).toBeLessThan(1e-13);
    expect(() => m.inc_beta(1, 1, 1.5)).toThrow(/inc_beta: Third argument is 1.5/);
  });

  it("owens_t: R integrate(function(x) exp(-h^2*(1+x^2)/2)/(1+x^2), 0, a, rel.tol=2e-14)$value/(2*pi)", () => {
    const cases: [number, number, number][] = [
      [0.5, 0.3, 0.040786707344250106],
      [1.2, 0.8, 0.046107575171698785],
      [-2, 1.5, 0.01136511994735174],
      [3, -0.4, -0.00054569527614812922],
      [0.1, 5, 0.21469517597824125],
      [6, 0.7, 4.9328505439479605e-10],
      [2.5, 2.5, 0.0031048326626975011],
      [0, 1, 0.125],
    ];
    for (const [h, a, want] of cases) expect(rel(m.owens_t(h, a), want), `owens_t(${h}, ${a})`).toBeLessThan(1e-13);
  });

  // R: besselJ(x, v), besselY(x, v), besselI(x, v), besselK(x, v), log(besselI(z, v, expon.scaled=TRUE)) + z
  const BESSEL: Record<string, [(v: number, x: number) => number, [number, number, number][], number]> = {
    bessel_first_kind: [
      m.bessel_first_kind,
      [
        [0, 0.5, 0.93846980724081286],
        [1, 2.3, 0.53987253260431367],
        [2, 7.7, -0.18746492781384411],
        [5, 1.2, 0.00061010492374896825],
        [10, 0.5, 2.6131773608228033e-13],
        [0, 30, -0.086367983581040239],
        [1, 40.5, 0.11269052994059429],
        [3, 100, 0.076284201720331957],
        [30, 12, 2.5522590430344151e-10],
        [0, 24.9, 0.083245968353015468],
        [2, 25.1, -0.11740991724771223],
        [40, 60, -0.077646197404715123],
      ],
      1e-13,
    ],
    bessel_second_kind: [
      m.bessel_second_kind,
      [
        [0, 0.5, -0.44451873350670656],
        [1, 2.3, 0.052277315844224688],
        [2, 7.7, -0.22406617121428823],
        [5, 1.2, -107.65134933876891],
        [0, 0.01, -3.0054556370836458],
        [0, 30, -0.11729573168666402],
        [1, 40.5, 0.054985842500543086],
        [3, 100, 0.023445786687760928],
        [1, 24.9, -0.086002557595554197],
        [1, 25.1, -0.11062223322783098],
        [0, 3, 0.37685001001279045],
      ],
      1e-13,
    ],
    modified_bessel_first_kind: [
      m.modified_bessel_first_kind,
      [
        [0, 0.5, 1.0634833707413236],
        [1, 2.3, 2.0978000275174211],
        [2, 7.7, 244.82455759516532],
        [5, 1.2, 0.00068789491905138207],
        [10, 0.5, 2.6430419258812794e-13],
        [0, 30, 781672297823.97754],
        [1, 400, 1.0405553112944218e172],
        [3, 100, 1.0262740175651901e42],
        [0, 0.001, 1.0000002500000156],
      ],
      1e-13,
    ],
    modified_bessel_second_kind: [
      m.modified_bessel_second_kind,
      [
        [0, 0.5, 0.92441907122766587],
        [1, 2.3, 0.094982443845362655],
        [2, 7.7, 0.00025703586141382462],
        [5, 1.2, 141.21916881967934],
        [10, 0.5, 188937569319.90027],
        [0, 30, 2.1324774964630563e-14],
        [1, 400, 1.2012788332610324e-175], // e^(−400): the exponent's own rounding limits this one
        [3, 100, 4.869862747792455e-45],
        [0, 0.001, 7.0236888005623817],
        [50, 3, 4.5559542293221526e53],
      ],
      1e-13,
    ],
    log_modified_bessel_first_kind: [
      m.log_modified_bessel_first_kind,
      [
        [0, 0.5, 0.061549719185481189],
        [1.5, 2.3, 0.41925814090557911],
        [2.2, 7.7, 5.4428531064589372],
        [5, 1.2, -7.2818744656328898],
        [0.3, 60, 57.035233825302036],
        [0, 300, 296.22958759300224],
        [3.7, 100, 96.710944717834423],
        [20, 30, 20.842811854923252],
        [-0.5, 2, 0.7526378044331643],
      ],
      1e-14,
    ],
  };
  for (const [name, [f, cases, tol]] of Object.entries(BESSEL)) {
    it(`${name}`, () => {
      for (const [v, x, want] of cases) {
        // absolute near zeros of the oscillating functions, relative elsewhere
        const err = Math.abs(f(v, x) - want) / Math.max(Math.abs(want), name.startsWith("bessel") ? 0.1 : 1e-300);
        expect(err, `${name}(${v}, ${x})`).toBeLessThan(x >= 100 ? 100 * tol : tol);
      }
    });
  }

  it("closed forms: inv_cloglog, log_inv_logit_diff, factorials, lmgamma, binomial_coefficient_log, round, to_int", () => {
    // inv_cloglog(x) = 1 − exp(−exp(x)); log_inv_logit_diff(x, y) = log(logit⁻¹x − logit⁻¹y)
    expect(rel(m.inv_cloglog(0.3), 1 - Math.exp(-Math.exp(0.3)))).toBeLessThan(1e-15);
    expect(rel(m.inv_cloglog(-40), Math.exp(-40))).toBeLessThan(1e-15); // no cancellation in the tail
    const il = (t: number) => 1 / (1 + Math.exp(-t));
    expect(rel(m.log_inv_logit_diff(1.5, -0.5), Math.log(il(1.5) - il(-0.5)))).toBeLessThan(1e-14);
    // R: log(plogis(1.5) - plogis(-0.5)); log(plogis(-30) - plogis(-31))
    expect(rel(m.log_inv_logit_diff(1.5, -0.5), -0.82090372003171808)).toBeLessThan(1e-14);
    expect(rel(m.log_inv_logit_diff(-30, -31), -30.458675145387211)).toBeLessThan(1e-14);
    expect(m.falling_factorial(5, 3)).toBe(60);
    expect(rel(m.falling_factorial(3.5, 3), 3.5 * 2.5 * 1.5)).toBeLessThan(1e-15);
    expect(m.rising_factorial(3, 4)).toBe(360);
    expect(rel(m.rising_factorial(0.5, 40), Math.exp(m.lgamma(40.5) - m.lgamma(0.5)))).toBeLessThan(1e-13);
    // R: lgamma(8.5) - lgamma(6.2);  lgamma(2.5 + 3.3) - lgamma(2.5)
    expect(rel(m.log_falling_factorial(7.5, 2.3), 4.4169684694637024)).toBeLessThan(1e-14);
    expect(rel(m.log_rising_factorial(2.5, 3.3), 4.1652563233421702)).toBeLessThan(1e-14);
    // lmgamma(3, x) = 3/2 log π + lΓ(x) + lΓ(x − ½) + lΓ(x − 1); R: 1.5*log(pi) + lgamma(2.7) + lgamma(2.2) + lgamma(1.7)
    expect(rel(m.lmgamma(3, 2.7), 2.1530551518127776)).toBeLessThan(1e-14);
    // R: lgamma(7.5) - lgamma(3.2) - lgamma(5.3)
    expect(rel(m.binomial_coefficient_log(6.5, 2.2), 3.0093233405371378)).toBeLessThan(1e-13);
    expect([m.round(-2.5), m.round(2.5), m.round(-0.4), m.round(1.49)]).toEqual([-3, 3, -0, 1]);
    expect([m.to_int(-2.7), m.to_int(2.7), m.to_int(-0.2)]).toEqual([-2, 2, -0]);
    expect(() => m.to_int(3e9)).toThrow(/to_int/);
    expect(m.fmod(-7.5, 2)).toBe(-1.5);
  });
});

describe("special function derivatives against finite differences", () => {
  const check = (what: string, got: number, f: (t: number) => number, t: number, tol = 1e-8) => {
    const want = fd(f, t);
    expect(Math.abs(got - want) / Math.max(1e-3, Math.abs(want)), `${what}: ${got} vs ${want}`).toBeLessThan(tol);
  };
  it("gamma_p / gamma_q in both arguments, both regimes", () => {
    for (const [a, x] of [[0.5, 0.2], [2, 1], [2, 5], [10, 3], [0.01, 0.5], [50, 45], [3.3, 3.9], [100, 130], [0.2, 25]]) {
      check(`gamma_p_da(${a}, ${x})`, m.gamma_p_da(a, x), (t) => m.gamma_p(t, x), a);
      check(`gamma_q_da(${a}, ${x})`, m.gamma_q_da(a, x), (t) => m.gamma_q(t, x), a);
      check(`gamma_p_dx(${a}, ${x})`, m.gamma_p_dx(a, x), (t) => m.gamma_p(a, t), x);
    }
    // log Q far in the upper tail: the derivative keeps its relative accuracy (Q ≈ 1e-20)
    check("∂/∂a log Q(5, 60)", m.gamma_q_da(5, 60) / m.gamma_q(5, 60), (t) => Math.log(m.gamma_q(t, 60)), 5);
    check("∂/∂a log P(30, 2)", m.gamma_p_da(30, 2) / m.gamma_p(30, 2), (t) => Math.log(m.gamma_p(t, 2)), 30);
  });
  it("log P, log Q and log I (the log CDFs' terms) in the tails where P, Q and I underflow", () => {
    for (const [a, x] of [[200, 0.01], [2, 1], [2, 5], [0.5, 300], [10, 3], [0.01, 0.5], [50, 45]]) {
      check(`log_gamma_p_da(${a}, ${x})`, m.log_gamma_p_da(a, x), (t) => m.log_gamma_p(t, x), a);
      check(`log_gamma_p_dx(${a}, ${x})`, m.log_gamma_p_dx(a, x), (t) => m.log_gamma_p(a, t), x);
      check(`log_gamma_q_da(${a}, ${x})`, m.log_gamma_q_da(a, x), (t) => m.log_gamma_q(t, x), a);
      check(`log_gamma_q_dx(${a}, ${x})`, m.log_gamma_q_dx(a, x), (t) => m.log_gamma_q(a, t), x);
    }
    for (const [a, b, x] of [[2, 3, 0.3], [2, 3, 0.8], [300, 2, 0.1], [0.5, 0.5, 0.1], [10, 2, 0.95], [400, 3, 0.1]]) {
      check(`log_inc_beta_dda(${a}, ${b}, ${x})`, m.log_inc_beta_dda(a, b, x), (t) => m.log_inc_beta(t, b, x), a);
      check(`log_inc_beta_ddb(${a}, ${b}, ${x})`, m.log_inc_beta_ddb(a, b, x), (t) => m.log_inc_beta(a, t, x), b);
      check(`log_inc_beta_ddz(${a}, ${b}, ${x})`, m.log_inc_beta_ddz(a, b, x), (t) => m.log_inc_beta(a, b, t), x, 1e-7);
    }
    expect(Number.isNaN(m.log_gamma_p(2, -1)) && Number.isNaN(m.log_inc_beta(1, 1, 1.5))).toBe(true);
  });
  it("inc_beta in a, b and x, both sides of the switch", () => {
    for (const [a, b, x] of [[2, 3, 0.3], [2, 3, 0.8], [0.5, 0.5, 0.1], [10, 2, 0.95], [0.3, 5, 0.02], [50, 60, 0.45], [1, 1, 0.5], [4, 0.7, 0.98]]) {
      check(`inc_beta_dda(${a}, ${b}, ${x})`, m.inc_beta_dda(a, b, x), (t) => m.inc_beta(t, b, x), a);
      check(`inc_beta_ddb(${a}, ${b}, ${x})`, m.inc_beta_ddb(a, b, x), (t) => m.inc_beta(a, t, x), b);
      check(`inc_beta_ddz(${a}, ${b}, ${x})`, m.inc_beta_ddz(a, b, x), (t) => m.inc_beta(a, b, t), x, 1e-7);
    }
  });
  it("Bessel functions, owens_t, tetragamma, lmgamma", () => {
    for (const [v, x] of [[0, 0.7], [1, 3.3], [3, 12], [2, 27], [0, 40], [5, 2]]) {
      check(`J′ ${v} ${x}`, m.bessel_first_kind_dx(v, x), (t) => m.bessel_first_kind(v, t), x);
      check(`Y′ ${v} ${x}`, m.bessel_second_kind_dx(v, x), (t) => m.bessel_second_kind(v, t), x);
      check(`I′ ${v} ${x}`, m.modified_bessel_first_kind_dz(v, x), (t) => m.modified_bessel_first_kind(v, t), x);
      check(`K′ ${v} ${x}`, m.modified_bessel_second_kind_dz(v, x), (t) => m.modified_bessel_second_kind(v, t), x);
    }
    for (const [v, z] of [[0, 0.5], [1.5, 2.3], [0.3, 60], [3.7, 100], [20, 30], [-0.5, 2], [2, 700]]) {
      // (log I(2, 700) ≈ 696 leaves its finite difference ~1e-9 of rounding noise)
      check(`∂v log I ${v} ${z}`, m.log_modified_bessel_first_kind_dv(v, z), (t) => m.log_modified_bessel_first_kind(t, z), v, z > 500 ? 1e-6 : 1e-8);
      check(`∂z log I ${v} ${z}`, m.log_modified_bessel_first_kind_dz(v, z), (t) => m.log_modified_bessel_first_kind(v, t), z);
    }
    for (const [h, a] of [[0.5, 0.3], [-2, 1.5], [3, -0.4], [0.1, 5]]) {
      check(`owens_t_dh ${h} ${a}`, m.owens_t_dh(h, a), (t) => m.owens_t(t, a), h);
      check(`owens_t_da ${h} ${a}`, m.owens_t_da(h, a), (t) => m.owens_t(h, t), a);
    }
    for (const x of [-2.3, 0.1, 0.7, 3, 12]) check(`tetragamma ${x}`, m.tetragamma(x), m.trigamma, x);
    check("lmgamma_dx", m.lmgamma_dx(3, 2.7), (t) => m.lmgamma(3, t), 2.7);
  });
});

describe("special functions in compiled programs: gradient vs finite differences", () => {
  for (const c of SPECIAL_PROGRAMS) {
    it(`${c.name}: 4 random points`, async () => {
      const model = await loadCompiled(c.stan, `${c.name.replace(/\W+/g, "_")}.stan`);
      const inst = model.create(c.data);
      const rnd = seededUniform(c.name.length * 17 + 3);
      let checked = 0;
      for (let attempt = 0; attempt < 40 && checked < 4; attempt++) {
        const theta = randomPoint(inst.dim, rnd, 1.5);
        const g = new Float64Array(inst.dim);
        const lp = inst.logDensityGradient(theta, g);
        if (!Number.isFinite(lp)) continue;
        expect(inst.logDensity(theta)).toBe(lp);
        const r = coordinateCheck(inst, theta);
        expect(r.worst, `${c.name}: ${r.where}`).toBeLessThan(1e-6);
        checked++;
      }
      expect(checked).toBe(4);
    });
  }

  it("round rounds halves away from zero and to_int truncates in compiled code", async () => {
    const model = await loadCompiled(
      `parameters { real x; } model { target += round(-2.5) * x + round(2.5) * x * x + to_int(-2.7) * x * x * x; }`,
      "rounding.stan",
    );
    const inst = model.create({});
    const g = new Float64Array(1);
    // at x = 1: d/dx (−3x + 3x² − 2x³) = −3 + 6 − 6
    inst.logDensityGradient(new Float64Array([1]), g);
    expect(g[0]).toBe(-3);
  });

  it("int results: falling/rising_factorial of ints and to_int of an array are ints", async () => {
    const model = await loadCompiled(
      `transformed data {
  int ff = falling_factorial(5, 2);
  int rf = rising_factorial(3, 2);
  array[2] int ti = to_int({-2.7, 3.9});
}
parameters { real x; }
model { target += (ff + rf + ti[1] + ti[2]) * x; }`,
      "int_results.stan",
    );
    const g = new Float64Array(1);
    model.create({}).logDensityGradient(new Float64Array([0.5]), g);
    // 5·4 + 3·4 − 2 + 3
    expect(g[0]).toBe(33);
  });
});

describe("CDFs over the incomplete gamma and beta functions", () => {
  // Each call is weighted by one data entry w[i]; with w the i-th unit vector the log density is
  // exactly that call's value (the parameter enters through std_normal only when w is zero).
  const CALLS = [
    "gamma_lcdf(1.7 | 2.5, 1.3)",
    "gamma_lccdf(1.7 | 2.5, 1.3)",
    "gamma_cdf(1.7 | 2.5, 1.3)",
    "inv_gamma_lcdf(1.7 | 2.5, 1.3)",
    "inv_gamma_lccdf(1.7 | 2.5, 1.3)",
    "chi_square_lcdf(1.7 | 3.2)",
    "chi_square_lccdf(1.7 | 3.2)",
    "inv_chi_square_lcdf(1.7 | 3.2)",
    "inv_chi_square_lccdf(1.7 | 3.2)",
    "scaled_inv_chi_square_lcdf(1.7 | 3.2, 0.8)",
    "scaled_inv_chi_square_lccdf(1.7 | 3.2, 0.8)",
    "beta_lcdf(0.3 | 2.5, 1.3)",
    "beta_lccdf(0.3 | 2.5, 1.3)",
    "beta_cdf(0.3 | 2.5, 1.3)",
    "poisson_lcdf(3 | 2.2)",
    "poisson_lccdf(3 | 2.2)",
    "poisson_cdf(3 | 2.2)",
    "binomial_lcdf(3 | 7, 0.35)",
    "binomial_lccdf(3 | 7, 0.35)",
    "binomial_cdf(3 | 7, 0.35)",
    "neg_binomial_2_lcdf(4 | 3.1, 2.5)",
    "neg_binomial_2_lccdf(4 | 3.1, 2.5)",
    "neg_binomial_2_cdf(4 | 3.1, 2.5)",
    "neg_binomial_lcdf(4 | 2.5, 0.8)",
    "neg_binomial_lccdf(4 | 2.5, 0.8)",
    "neg_binomial_cdf(4 | 2.5, 0.8)",
    "student_t_cdf(0.7 | 4.5, 0.2, 1.5)",
    "gamma_lcdf(ys | 2.5, 1.3)",
    "gamma_cdf(ys | 2.5, 1.3)",
    "poisson_lcdf(-1 | 2.2)",
    "poisson_lccdf(-1 | 2.2)",
    "binomial_lcdf(7 | 7, 0.35)",
    "binomial_lccdf(7 | 7, 0.35)",
    "beta_binomial_lcdf(3 | 9, 2.5, 1.7)",
    "beta_binomial_lccdf(3 | 9, 2.5, 1.7)",
    "beta_binomial_cdf(3 | 9, 2.5, 1.7)",
    // far tails, where the CDF itself underflows
    "gamma_lcdf(0.01 | 200, 1)",
    "beta_lcdf(0.1 | 300, 2)",
    "binomial_lcdf(2 | 400, 0.9)",
    "poisson_lccdf(500 | 10)",
    "chi_square_lccdf(2000 | 3)",
  ];
  // R: pgamma(1.7, 2.5, rate=1.3, log.p=TRUE) (lower.tail=FALSE for the CCDF; pgamma(1/y, a, rate=b)
  // for inv_gamma; pchisq(y, nu) and pchisq(1/y, nu) for the chi-square pair;
  // pgamma(nu*s^2/(2*y), nu/2) for scaled_inv_chi_square; pbeta(0.3, 2.5, 1.3); ppois(3, 2.2);
  // pbinom(3, 7, 0.35); pnbinom(4, size=2.5, mu=3.1); pnbinom(4, size=2.5, prob=0.8/1.8) for neg_binomial(2.5, 0.8); pt((0.7 - 0.2)/1.5, 4.5);
  // sum(pgamma(c(0.5, 1.7, 3), 2.5, rate=1.3, log.p=TRUE)) and prod(pgamma(c(0.5, 1.7, 3), 2.5, rate=1.3));
  // beta_binomial (no base-R CDF) from its mass function: d <- function(k, N, a, b) exp(lchoose(N, k) +
  // lbeta(k + a, N - k + b) - lbeta(a, b)); log(sum(d(0:3, 9, 2.5, 1.7))), log(sum(d(4:9, 9, 2.5, 1.7)));
  // tails: pgamma(0.01, 200, log.p=TRUE), pbeta(0.1, 300, 2, log.p=TRUE), pbinom(2, 400, 0.9, log.p=TRUE),
  // ppois(500, 10, lower.tail=FALSE, log.p=TRUE), pchisq(2000, 3, lower.tail=FALSE, log.p=TRUE)
  const WANT = [
    -0.67463554049814578, -0.71200797501863677, 0.5093420213228872, -0.094694322693379823, -2.4040747946740373, -1.116183336648803, -0.39679402221333449,
    -0.08622682521782335, -2.493577589711848, -0.24485936406316955, -1.5270040153275251, -2.6294326631783971, -0.074852182278058704, 0.072119366606618551,
    -0.19924098035463281, -1.711207226977032, 0.81935242170333822, -0.22295073787266603, -1.610209538185694, 0.80015426562500003, -0.27832146434700722,
    -1.4149136816627277, 0.75705341671119597, -0.2826531005919089, -1.401534824321534, 0.75378122877233777, 0.62307748048855305, -3.5904047235296166, 0.027587162989562864, -Infinity, 0, 0, -Infinity,
    -1.4497382042067615, -0.26739813047997235, 0.23463170564751717,
    -1784.2759746375548, -685.17340907733399, -905.35175231199901, -1473.9318123891903, -996.42484049733321,
  ];

  it("a variate outside the support is reported by the CDF's own check, in Stan's words", async () => {
    const model = await loadCompiled(
      `data { vector[2] y; array[2] int k; } parameters { real<lower=0> a; }
model { target += gamma_lcdf(y | a, 1); target += beta_lccdf(y | a, 2); }`,
      "cdf_checks.stan",
    );
    expect(() => model.create({ y: [0.5, -1], k: [1, 2] }).logDensity(new Float64Array([0.3]))).toThrow(
      "gamma_lcdf: Random variable[2] is -1, but must be nonnegative!",
    );
    expect(() => model.create({ y: [0.5, 1.5], k: [1, 2] }).logDensity(new Float64Array([0.3]))).toThrow(
      "beta_lccdf: Random variable[2] is 1.5, but must be in the interval [0, 1]",
    );
  });

  it("values against R", async () => {
    const model = await loadCompiled(
      `data { int K; vector[K] w; vector[3] ys; }
parameters { real x; }
model {
${CALLS.map((c, i) => `  target += w[${i + 1}] == 0 ? 0 : w[${i + 1}] * ${c};`).join("\n")}
}`,
      "cdf_values.stan",
    );
    CALLS.forEach((call, i) => {
      const w = new Array<number>(CALLS.length).fill(0);
      w[i] = 1;
      const inst = model.create({ K: CALLS.length, w, ys: [0.5, 1.7, 3] });
      const got = inst.logDensity(new Float64Array([0.4]));
      if (Number.isFinite(WANT[i])) expect(rel(got, WANT[i]), `${call} = ${got}`).toBeLessThan(1e-12);
      else expect(got, call).toBe(WANT[i]);
    });
  });

});
