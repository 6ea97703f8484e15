import { describe, expect, it } from "vitest";
import { argsortFloat64 } from "../../../src/runtime/diagnostics/argsort";

function checkSorted(values: Float64Array): void {
  const order = new Uint32Array(values.length);
  argsortFloat64(values, values.length, order);
  // A permutation…
  expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from(values, (_, i) => i));
  // …that orders the values (−0 and +0 compare equal, as in R).
  for (let k = 1; k < values.length; k++)
    expect(values[order[k - 1]] <= values[order[k]]).toBe(true);
}

describe("argsortFloat64", () => {
  it("orders signs, zeros, infinities and subnormals", () => {
    checkSorted(
      Float64Array.from([
        3,
        -1,
        0,
        -0,
        Infinity,
        -Infinity,
        5e-324,
        -5e-324,
        1e308,
        -1e-308,
        2,
        -2,
        0.5,
      ]),
    );
  });

  it("orders values that agree in their high 32 bits (short and long runs)", () => {
    const base = 1.2345;
    const ulp = 2.220446049250313e-16;
    const short = Float64Array.from({ length: 20 }, (_, i) => base + ((i * 7) % 20) * ulp);
    checkSorted(short);
    const long = Float64Array.from({ length: 500 }, (_, i) => -base - ((i * 37) % 500) * ulp);
    checkSorted(long);
  });

  it("handles heavy ties and random data, and a sub-range of a larger buffer", () => {
    let state = 7;
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296;
    };
    checkSorted(Float64Array.from({ length: 3000 }, () => Math.round(next() * 6) - 3));
    checkSorted(
      Float64Array.from(
        { length: 5000 },
        () => (next() - 0.5) * 10 ** Math.floor(next() * 20 - 10),
      ),
    );
    const buffer = Float64Array.from([9, 8, 7, 1, 2, 3]);
    const order = new Uint32Array(6);
    argsortFloat64(buffer, 3, order);
    expect(Array.from(order.subarray(0, 3))).toEqual([2, 1, 0]);
  });
});
