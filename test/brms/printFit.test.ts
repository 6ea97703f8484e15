import { describe, expect, it } from "vitest";
import { formatFixed, formatTable } from "../../src/brms/printFit";
import { brm, buildFrom } from "./helpers";

describe("number formatting", () => {
  it("matches C's %.2f and %.0f, including ties to even and negative zero", () => {
    expect([0.125, 0.375, 1.005, -0.001, 2.675, 0.5, 1.5, 2.5].map((x) => formatFixed(x, 2))).toEqual([
      "0.12", "0.38", "1.00", "-0.00", "2.67", "0.50", "1.50", "2.50",
    ]);
    expect([0.5, 1.5, 2.5, 1234.49, 7999.5].map((x) => formatFixed(x, 0))).toEqual(["0", "2", "2", "1234", "8000"]);
    expect(formatFixed(NaN, 2)).toBe("NA");
    expect(formatFixed(9.999, 2)).toBe("10.00");
  });
});

describe("R matrix layout", () => {
  it("pads labels left, cells right, and wraps columns past 79 characters", () => {
    const text = formatTable(["a", "longer"], ["one", "two"], [["1.00", "2"], ["-3.00", "40"]]);
    expect(text).toBe("         one two\na       1.00   2\nlonger -3.00  40");
    const wide = formatTable(["x".repeat(60)], ["A".repeat(10), "B".repeat(10)], [["1", "2"]]);
    expect(wide.split("\n")).toEqual([
      `${" ".repeat(60)} ${"A".repeat(10)}`,
      `${"x".repeat(60)} ${" ".repeat(9)}1`,
      `${" ".repeat(60)} ${"B".repeat(10)}`,
      `${"x".repeat(60)} ${" ".repeat(9)}2`,
    ]);
  });
});

describe("print(fit) warnings", () => {
  it("adds brms's convergence and divergence warnings", () => {
    const build = buildFrom(brm("y ~ x"));
    const s = { estimate: 0.1, estError: 0.2, lower: -0.3, upper: 0.5, rhat: 1.2, essBulk: 50, essTail: 40 };
    const text = build.printFit(new Map([["b_x", s]]), { chains: 4, iter: 2000, warmup: 1000, thin: 1, divergences: 3 });
    expect(text).toContain("  Draws: 4 chains, each with iter = 2000; warmup = 1000; thin = 1;\n         total post-warmup draws = 4000\n");
    expect(text).toContain("x             0.10      0.20    -0.30     0.50 1.20       50       40");
    expect(text).toContain("Parts of the model have not converged (some Rhats are > 1.05).");
    expect(text).toContain("There were 3 divergent transitions after warmup.");
    const calm = build.printFit(new Map([["b_x", { ...s, rhat: 1.01 }]]), { chains: 4, iter: 2000, warmup: 1000, thin: 1, divergences: 0 });
    expect(calm).not.toContain("Warning");
  });
});
