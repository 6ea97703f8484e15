/**
 * The sufficient-statistics rewrite must never turn a valid program into an error: over every
 * fixture program (the lecture's brms programs m1–m3 among them), the rewrite's own test programs,
 * programs the brms front end writes for other formulas, and shapes close to the matched ones that
 * the generated code could not type (a vector parameter factor, a call only the model block may
 * make), each rewritten program type-checks and lowers. The rewritten trees are also exactly what
 * the parser makes of their printed text, so a printed dump of the pass reads back as the same program.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { DiagnosticSink } from "../../src/common/diagnostics";
import { frontEnd } from "../../src/driver/frontEnd";
import { lowerProgram } from "../../src/ir/lowerProgram";
import { rewriteGaussianSufficientStats } from "../../src/optimize/gaussianSufficientStats";
import { parseStan } from "../../src/parse/parseStan";
import { checkProgram } from "../../src/typecheck/checkProgram";
import { brm, buildFrom } from "../brms/helpers";
import * as shapes from "./sufficientStatsPrograms";

const FIXTURES = new URL("../../fixtures/stan/good/", import.meta.url);

const BRMS_FORMULAS = [
  "y ~ x + w + (1 + x || record_id)",
  "y ~ 0 + x + (1 | record_id)",
  "y ~ 1",
  "y ~ 1 + (1 | record_id) + (0 + x | name)",
  "bf(y ~ x + (1 | record_id)) + bf(z ~ x) + set_rescor(FALSE)",
  "mvbind(y, z) ~ x + (1 | c | record_id)",
  "mvbind(y, z) ~ x + w + (1 + x | c | record_id)",
  "bf(y ~ x, sigma ~ w + (1 | record_id))",
  "bf(y ~ x + w + (1 + x | record_id), sigma ~ x + (1 | record_id))",
  "bf(y ~ x + (1 | p | record_id), sigma ~ w + (1 | p | record_id)) + bf(z ~ 1, sigma ~ 1) + set_rescor(FALSE)",
];

const DATA = `data {
  int N; int K; matrix[N, K] X; vector[N] y; vector[N] x; int G; array[N] int J;
  array[N] row_vector[K] Xr; real c;
}`;

/** Near misses: the location is affine but the generated code could not express it. */
const NEAR_MISSES: Record<string, string> = {
  // a row of data times a coefficient vector, inside the row loop
  rowTimesVector: `${DATA} parameters { vector[K] b; real<lower=0> s; }
    model { vector[N] mu = rep_vector(0, N); for (n in 1:N) mu[n] += Xr[n] * b; y ~ normal(mu, s); }`,
  matrixRowTimesVector: `${DATA} parameters { vector[K] b; real<lower=0> s; }
    model { vector[N] mu = rep_vector(0, N); for (n in 1:N) mu[n] += X[n] * b; y ~ normal(mu, s); }`,
  // unnormalised densities may not move to transformed data
  lupdfFactor: `${DATA} parameters { real a; real<lower=0> s; }
    model { vector[N] mu = rep_vector(0, N); for (n in 1:N) mu[n] += normal_lupdf(x[n] | 0, 1) * a; y ~ normal(mu, s); }`,
  lupdfOffset: `${DATA} parameters { real a; real<lower=0> s; }
    model { vector[N] mu = rep_vector(a, N); mu += normal_lupdf(c | 0, 1); y ~ normal(mu, s); }`,
  // a parameter term that adds to the target: once per row is not once per group
  lpTerm: `functions { real twice_lp(real v) { target += v; return 2 * v; } }
    ${DATA} parameters { real a; real<lower=0> s; }
    model { vector[N] mu = rep_vector(0, N); for (n in 1:N) mu[n] += x[n] * twice_lp(a); y ~ normal(mu, s); }`,
};

function programs(): [string, string][] {
  const out: [string, string][] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith(".stan")).sort()) out.push([file, readFileSync(new URL(file, FIXTURES), "utf8")]);
  for (const [name, value] of Object.entries(shapes)) {
    if (typeof value === "string") out.push([name, value]);
    else value.forEach((source, i) => out.push([`${name}[${i}]`, source]));
  }
  for (const formula of BRMS_FORMULAS) out.push([formula, buildFrom(brm(formula)).stanCode]);
  for (const [name, source] of Object.entries(NEAR_MISSES)) out.push([name, source]);
  return out;
}

/** Rewrites one program and lowers the result as the driver does; returns whether anything was rewritten. */
function rewriteAndLower(name: string, source: string): boolean {
  const file = `${name.replace(/\W+/g, "_")}.stan`;
  const { program, parsed } = frontEnd(source, file);
  const rewritten = rewriteGaussianSufficientStats(program, parsed);
  if (!rewritten) return false;
  const typed = checkProgram(rewritten, new DiagnosticSink(), { compilerNames: true });
  const ir = lowerProgram(typed, source, { name: "rewritten" });
  expect(ir.name, name).toBe("rewritten");
  const printed = printProgram(rewritten);
  expect(printProgram(parseStan(printed, file).program), name).toBe(printed);
  return true;
}

describe("the sufficient-statistics rewrite keeps every valid program valid", () => {
  const all = programs();
  it.each(all)("%s: the rewritten program type-checks and lowers", (name, source) => {
    expect(() => rewriteAndLower(name, source)).not.toThrow();
  });

  it("rewrites the Gaussian models and leaves the rest alone", () => {
    const rewritten = all.filter(([name, source]) => rewriteAndLower(name, source)).map(([name]) => name);
    for (const expected of ["m1.stan", "m2.stan", "m3.stan", "linear_regression.stan", "qr_regression.stan", "BIVARIATE", "LOCATION_SCALE", "y ~ 1"])
      expect(rewritten).toContain(expected);
    for (const untouched of ["eight_schools_centered.stan", "logistic_regression.stan", ...Object.keys(NEAR_MISSES)]) expect(rewritten).not.toContain(untouched);
    expect(rewritten.filter((name) => name.startsWith("OTHER_SHAPES"))).toEqual([]);
  });
});
