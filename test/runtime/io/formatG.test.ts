import { describe, expect, it } from "vitest";
import { formatG } from "../../../src/runtime/io/formatG";

// Expected strings are what C's printf("%.*g") prints under glibc (the C++ ostream default
// format). Each row was reasoned out from the %g rules and then confirmed with a small C program.
const cases: [value: number, sigFigs: number, expected: string][] = [
  [0.0001, 6, "0.0001"],
  [1e-5, 6, "1e-05"],
  [123456, 6, "123456"],
  [1234567, 6, "1.23457e+06"],
  [0.1 + 0.2, 6, "0.3"],
  [-0, 6, "-0"],
  [0, 6, "0"],
  [NaN, 6, "nan"],
  [Infinity, 6, "inf"],
  [-Infinity, 6, "-inf"],
  [3, 6, "3"],
  [-42, 6, "-42"],
  [1023, 6, "1023"],
  [100000, 6, "100000"],
  [1000000, 6, "1e+06"],
  [3.14159265, 6, "3.14159"],
  [-2.5e-7, 6, "-2.5e-07"],
  [0.000123456789, 3, "0.000123"],
  [0.00001234, 6, "1.234e-05"],
  [1e21, 6, "1e+21"],
  [1e100, 6, "1e+100"],
  [5e-324, 6, "4.94066e-324"],
  [-1.7976931348623157e308, 6, "-1.79769e+308"],
  [1 / 3, 8, "0.33333333"],
  [2 / 3, 18, "0.66666666666666663"],
  [7e-5, 6, "7e-05"],
  [123.456, 2, "1.2e+02"],
  [9.9999e-5, 6, "9.9999e-05"],
  [0.0000999999, 6, "9.99999e-05"],
  [0.00009999999, 6, "0.0001"], // rounding lifts the exponent to −4: fixed notation
  [999999.7, 6, "1e+06"], // rounding lifts the exponent to 6 = P: scientific
  [12345.65, 6, "12345.6"], // 12345.65 is below the tie in binary
  [0.5, 0, "0.5"], // precision 0 means 1
  // Exact decimal ties round half to even (glibc); JS toPrecision would round them up.
  [2.5, 1, "2"],
  [3.5, 1, "4"],
  [0.125, 2, "0.12"],
  [0.375, 2, "0.38"],
  [125, 2, "1.2e+02"],
  [999999.5, 6, "1e+06"],
  [1234565, 6, "1.23456e+06"],
  [-8.5, 1, "-8"],
  [1.5e-5, 1, "2e-05"], // not exactly representable, lies above the tie
  [1e15, 18, "1000000000000000"],
  [2 ** 60, 18, "1.15292150460684698e+18"], // 19 digits: X = 18 ≥ P
  [2 ** 60, 17, "1.152921504606847e+18"],
  [2 ** 60, 6, "1.15292e+18"],
];

describe("formatG (C++ %g)", () => {
  it.each(cases)("formatG(%s, %s) = %s", (value, sigFigs, expected) => {
    expect(formatG(value, sigFigs)).toBe(expected);
  });

  it("defaults to six significant digits", () => {
    expect(formatG(Math.PI)).toBe("3.14159");
    expect(formatG(-123456.7)).toBe("-123457");
  });

  it("round-trips every double at 17 significant digits", () => {
    const values = [Math.PI, -Math.E, 1e-300, 6.02214076e23, 0.1, 1 / 7, -(2 ** -1074)];
    for (const v of values) expect(Number(formatG(v, 17))).toBe(v);
  });
});
