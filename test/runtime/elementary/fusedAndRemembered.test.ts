/**
 * Two speed paths that must not change a bit:
 *
 * - log1pExp(x) writes exp's operations out inside the log core (one core call for the softplus of
 *   log_sum_exp, log_inv_logit, …): it must equal log1p(exp(x)) bit for bit everywhere, the
 *   subnormal, underflow, overflow and NaN cases included;
 * - exp, log, log1p and log1pExp keep no state between calls (they once remembered their last
 *   argument and result; should a cache come back, it must not show): a repeated argument,
 *   interleaved with other arguments and with the other functions of the same core, must give what
 *   a first call gives (±0 are distinct arguments for log1p, whose result keeps the sign of zero).
 */
import { describe, expect, it } from "vitest";
import { exp, log, log1p, log1pExp } from "../../../src/runtime/math/elementary/index";
import { TestRandom } from "../math/gradientCheck";

const SPECIAL = [
  NaN,
  0,
  -0,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  709.78,
  709.7827128933841,
  710,
  -708.3,
  -708.4,
  -720,
  -745.1332191019412,
  -746,
  -37,
  -36.04,
  -4.85,
  -4.852,
  1e-17,
  -1e-17,
  1,
  -1,
];

/** Arguments spread over where each function is called from: softplus arguments mostly ≤ 0. */
function sample(random: TestRandom, n: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = random.uniform();
    xs.push(i % 3 === 0 ? -40 * u : i % 3 === 1 ? 20 * (u - 0.5) : -750 * u);
  }
  return xs;
}

describe("log1pExp is log1p(exp(x)) bit for bit", () => {
  it("on special and threshold arguments", () => {
    for (const x of SPECIAL) expect(Object.is(log1pExp(x), log1p(exp(x))), `x = ${x}`).toBe(true);
  });
  it("on 200,000 arguments from −750 to 10", () => {
    let differences = 0;
    for (const x of sample(new TestRandom(16), 200_000))
      if (!Object.is(log1pExp(x), log1p(exp(x)))) differences++;
    expect(differences).toBe(0);
  });
});

describe("a repeated argument gives the first call's result", () => {
  const functions: [string, (x: number) => number][] = [
    ["exp", exp],
    ["log", log],
    ["log1p", log1p],
    ["log1pExp", log1pExp],
  ];
  it("for repeated arguments interleaved with other arguments and functions", () => {
    const xs = [
      ...SPECIAL,
      ...sample(new TestRandom(17), 2_000).map((x) => x / 10),
      0.5,
      2,
      1e-300,
    ];
    // first results, each computed after an unrelated call so that nothing is remembered yet
    const first = new Map<string, number[]>();
    for (const [name, f] of functions)
      first.set(
        name,
        xs.map((x) => {
          f(0.123456789);
          return f(x);
        }),
      );
    for (const [name, f] of functions) {
      const expected = first.get(name) ?? [];
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i];
        const other = xs[(i * 7 + 3) % xs.length];
        const results = [f(x), f(x)];
        log1p(other);
        results.push(f(x));
        exp(other);
        results.push(f(x));
        log(other);
        results.push(f(x));
        log1pExp(other);
        results.push(f(x));
        for (const r of results)
          expect(Object.is(r, expected[i]), `${name}(${x}) after ${other}`).toBe(true);
      }
    }
  });
  it("±0 stay apart in log1p", () => {
    expect(Object.is(log1p(0), 0)).toBe(true);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(Object.is(log1p(0), 0)).toBe(true);
  });
});
