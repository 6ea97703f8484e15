/**
 * The purity table (src/primitives/purity.ts) that lets the sweep-IR passes move and merge calls:
 * every function it lists exists in the runtime, never throws — at the edges of every argument
 * either — and gives the same bits when called again with the same arguments, whatever was
 * called in between (the elementary cores remember their last results: that must not show).
 */
import { describe, expect, it } from "vitest";
import { PURE_FUNCTIONS, PURE_RUNTIME_FUNCTIONS, isPureFunction } from "../../src/primitives/purity";
import * as runtimeMath from "../../src/runtime/math/index";

const EDGES = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -2, 1e-300, -1e-300, 5e-324, 1e300, -1e300, 700, -750, 37, 0.999999];

type Fn = (...args: number[]) => number;
const fnOf = (name: string): Fn => (runtimeMath as unknown as Record<string, Fn>)[name];

describe("the purity table", () => {
  it("lists runtime functions that exist, and Math's exact functions", () => {
    for (const name of PURE_RUNTIME_FUNCTIONS) expect(typeof fnOf(name), name).toBe("function");
    for (const name of PURE_FUNCTIONS) if (name.startsWith("Math.")) expect(typeof (Math as unknown as Record<string, unknown>)[name.slice(5)], name).toBe("function");
    expect(isPureFunction("exp")).toBe(true);
    // kernels with partial buffers, generators and support helpers are not pure
    expect(isPureFunction("normal_lpdf_vp")).toBe(false);
    expect(isPureFunction("normal_rng")).toBe(false);
    expect(isPureFunction("message__")).toBe(false);
  });

  it("never throws at the edges and returns a number, the same bits again after other calls", () => {
    for (const name of PURE_RUNTIME_FUNCTIONS) {
      const f = fnOf(name);
      const arity = Math.max(1, f.length);
      for (const x of EDGES) {
        for (const y of arity === 1 ? [0] : EDGES) {
          const args = arity === 1 ? [x] : [x, y];
          let first = 0;
          expect(() => (first = f(...args)), `${name}(${args.join(", ")})`).not.toThrow();
          expect(typeof first, name).toBe("number");
          // other calls in between (the cores' remembered results change), then the same call
          fnOf("exp")(0.3);
          fnOf("log")(7);
          fnOf("log1pExp")(-2);
          expect(Object.is(f(...args), first), `${name}(${args.join(", ")}) again`).toBe(true);
        }
      }
    }
  });
});
