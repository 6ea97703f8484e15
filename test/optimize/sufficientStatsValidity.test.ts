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
import { checkStan as frontEnd } from "../../src/driver/compile";
import { lowerProgram } from "../../src/ir/lowerProgram";
import { rewriteGaussianSufficientStats } from "../../src/optimize/gaussianSufficientStats";
import { parseStan } from "../../src/parse/parseStan";
import { checkProgram } from "../../src/typecheck/checkProgram";
import { brm, buildFrom } from "../brms/helpers";
import { seededUniform } from "../models/gradientCheck";
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

/**
 * Random programs assembled from the pieces the matcher looks at: locations built from vector
 * parts and row-loop parts (affine or not, grouped or not), one scale or a scale per row, glm,
 * multi_normal_cholesky, two likelihoods, under a conditional. Most are valid Stan; the rewrite
 * must keep every valid one valid.
 */
function randomPrograms(seed: number, count: number): string[] {
  const rnd = seededUniform(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const vectorParts = ["a", "t", "ta", "X * b", "-X * b2", "x", "off", "x2", "c", "k", "rep_vector(a, N)", "rep_vector(c, N)", "2 * a", "a * t", "(a + t)", "-(a - c)", "c > 0 ? a : t", "exp(a)", "dot_product(b, b2)"];
  const rowParts = ["u[J[n]]", "w[J[n]] * x[n]", "x[n] * uu[J[n]]", "a * x[n]", "x[n]", "c", "n * t", "u[J2[n]]", "X[n, 1] * b[1]", "Xr[n] * b", "x[n] * (a + t)", "exp(u[J[n]])", "-(x[n] * u[J[n]])", "x[n] / 2 * w[J[n]]", "k * u[J[n]]"];
  const sum = (parts: readonly string[]) => Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => pick(parts)).join(pick([" + ", " - "]));
  const location = (name: string): string[] => {
    const vectorValued = ["X * b", "x", "off", "x2", "rep_vector(a, N)", "rep_vector(0, N)", "-X * b2"];
    const out = [`vector[N] ${name} = ${pick(vectorValued)}${rnd() < 0.5 ? ` + ${sum(vectorParts)}` : ""};`];
    for (let i = Math.floor(rnd() * 3); i > 0; i--) out.push(rnd() < 0.5 ? `${name} += ${sum(vectorParts)};` : `for (n in 1:N) ${name}[n] += ${sum(rowParts)};`);
    return out;
  };
  const likelihood = (): string[] => {
    const kind = pick(["normal", "glm", "scale", "mv", "two"] as const);
    if (kind === "mv") {
      const Mu = ["array[N] vector[2] Mu;", "matrix[2, 2] LS = diag_pre_multiply(sd2, L);", "for (n in 1:N) Mu[n] = [m1[n], m2[n]]';"];
      return [...location("m1"), ...location("m2"), ...Mu, pick(["target += multi_normal_cholesky_lpdf(Y | Mu, LS);", "Y ~ multi_normal_cholesky(Mu, L);"])];
    }
    if (kind === "two") {
      const [mu, nu] = [location("mu"), location("nu")];
      return [mu[0], nu[0], ...mu.slice(1), ...nu.slice(1), "y ~ normal(mu, s);", "target += normal_lpdf(y | nu, s);"];
    }
    if (kind === "scale") return [...location("mu"), ...location("sg"), ...(rnd() < 0.5 ? ["sg = exp(sg);"] : []), pick(["y ~ normal(mu, sg);", "target += normal_lpdf(y | mu, sg);"])];
    if (kind === "glm") return [...location("mu"), "target += normal_id_glm_lpdf(y | X, mu, b, s);"];
    return [...location("mu"), pick(["y ~ normal(mu, s);", "y ~ normal(mu, c);", "target += normal_lpdf(y | mu, t);"])];
  };
  return Array.from({ length: count }, () => {
    const body = likelihood();
    const model = rnd() < 0.2 ? `if (k > 0) {\n${body.join("\n")}\n}` : body.join("\n");
    return `data {
  int N; int K; matrix[N, K] X; vector[N] y; vector[N] x; vector[N] off; int G; array[N] int J; array[N] int J2;
  real c; int k; array[N] row_vector[K] Xr; array[N] vector[2] Y;
}
transformed data { vector[N] x2 = x * 2; }
parameters { real a; real t; vector[K] b; vector[K] b2; real<lower=0> s; vector[G] u; vector[G] w; cholesky_factor_corr[2] L; vector<lower=0>[2] sd2; }
transformed parameters { vector[G] uu = u * s; real ta = t + a; }
model {
${model}
}`;
  });
}

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

  it("keeps random programs of the matched family valid", () => {
    let valid = 0;
    let rewritten = 0;
    for (const source of randomPrograms(7, 60)) {
      let original;
      try {
        original = frontEnd(source, "random.stan");
        lowerProgram(original.program, source, { name: "random" });
      } catch {
        continue; // not valid Stan (e.g. a scalar initialising a vector): nothing to keep valid
      }
      valid++;
      try {
        if (rewriteAndLower("random", source)) rewritten++;
      } catch (e) {
        throw new Error(`the rewrite of this program fails: ${(e as Error).message}\n${source}`);
      }
    }
    // the sweep exercises the rewrite, not only the type checker
    expect(valid).toBeGreaterThan(40);
    expect(rewritten).toBeGreaterThan(valid / 2);
  });

  it("rewrites the Gaussian models and leaves the rest alone", () => {
    const rewritten = all.filter(([name, source]) => rewriteAndLower(name, source)).map(([name]) => name);
    for (const expected of ["m1.stan", "m2.stan", "m3.stan", "linear_regression.stan", "qr_regression.stan", "BIVARIATE", "LOCATION_SCALE", "y ~ 1"])
      expect(rewritten).toContain(expected);
    for (const untouched of ["eight_schools_centered.stan", "logistic_regression.stan", ...Object.keys(NEAR_MISSES)]) expect(rewritten).not.toContain(untouched);
    expect(rewritten.filter((name) => name.startsWith("OTHER_SHAPES"))).toEqual([]);
  });
});
