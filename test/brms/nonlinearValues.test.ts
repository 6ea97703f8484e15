/**
 * The non-linear expression as brms 2.18 evaluates it in R after the fit (nonlinearValues.ts):
 * per draw over the nlpars, with R's and brms's R definitions where they differ from Stan's
 * (brms's step(0) is 0, R rounds halves to even, brms's cbrt is x^(1/3)), and the Stan functions
 * R lacks named so that pp_check/loo/conditional_effects can refuse them as brms stops on them.
 * The R values: Rscript -e 'library(brms); brms:::step(0); round(2.5); round(-1.5); brms:::cbrt(-8)'
 * gives 0, 2, -2, NaN.
 */
import { describe, expect, it } from "vitest";
import { evaluateNonlinear, functionsRLacks } from "../../src/brms/postFit/nonlinearValues";
import { parseRScript } from "../../src/brms/parseRScript";
import type { RExpr } from "../../src/brms/rAst";

const expr = (text: string): RExpr => parseRScript(text, "formula.R").statements[0];

describe("non-linear expressions evaluated per draw as brms's R code evaluates them", () => {
  it("reads nlpars per draw and covariates per row: a * exp(-b * x)", () => {
    const a = Float64Array.of(2, 3);
    const b = Float64Array.of(0.5, 0.25);
    const values = evaluateNonlinear(expr("a * exp(-b * x)"), (name) => (name === "a" ? a : name === "b" ? b : 1.5), 2);
    expect([...values]).toEqual([2 * Math.exp(-0.75), 3 * Math.exp(-0.375)].map((v) => expect.closeTo(v, 15)));
  });

  it("follows R and brms where Stan differs: step(0), round() of halves, cbrt of a negative, comparisons as 0/1", () => {
    const at = (text: string) => evaluateNonlinear(expr(text), () => 0, 1)[0];
    expect(at("step(0)")).toBe(0);
    expect(at("step(0.1)")).toBe(1);
    expect([at("round(2.5)"), at("round(-1.5)"), at("round(0.5)")]).toEqual([2, -2, 0]);
    expect(at("cbrt(-8)")).toBeNaN();
    expect(at("cbrt(8)")).toBeCloseTo(2, 14);
    expect([at("(2 > 1) + (1 == 1) * 2"), at("!(3 < 2)")]).toEqual([3, 1]);
    expect(at("inv_logit(0) + pow(2, 3) + fabs(-1)")).toBe(9.5);
  });

  it("names the Stan functions R (with brms) does not define, once each", () => {
    expect(functionsRLacks(expr("fmax(a, x) + tgamma(b) * fmax(a, 1) - Phi_approx(x) + exp(x)"))).toEqual(["fmax", "tgamma", "Phi_approx"]);
    expect(functionsRLacks(expr("a * exp(-b * x) + inv_logit(c) + step(x)"))).toEqual([]);
  });
});
