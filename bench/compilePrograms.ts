/**
 * Stan programs of a chosen size for the compile-time rows of the bench (bench/compile.ts) and
 * for tests that check the emitted code grows linearly.
 */

/** Statements in one unit of `scalingProgram` (declarations count as statements). */
export const STATEMENTS_PER_UNIT = 10;

/**
 * A regression-like program of `units` independent units, each of 10 statements: a data vector,
 * two parameters (one bounded), a transformed parameter, a local linear predictor built by a
 * vector expression and a loop, priors and a likelihood — the shapes brms writes.
 */
export function scalingProgram(units: number): string {
  const data: string[] = ["  int<lower=1> N;", "  vector[N] x;"];
  const parameters: string[] = [];
  const transformed: string[] = [];
  const model: string[] = [];
  for (let k = 1; k <= units; k++) {
    data.push(`  vector[N] y_${k};`);
    parameters.push(`  real a_${k};`, `  real<lower=0> s_${k};`);
    transformed.push(`  real t_${k} = 0.5 * a_${k};`);
    model.push(
      `  vector[N] mu_${k} = a_${k} + x * t_${k};`,
      `  for (n in 1:N) {`,
      `    mu_${k}[n] += 0.1 * x[n] * s_${k};`,
      `  }`,
      `  a_${k} ~ normal(0, 1);`,
      `  s_${k} ~ exponential(1);`,
      `  y_${k} ~ normal(mu_${k}, s_${k});`,
    );
  }
  return [
    "data {", ...data, "}",
    "parameters {", ...parameters, "}",
    "transformed parameters {", ...transformed, "}",
    "model {", ...model, "}",
    "",
  ].join("\n");
}

/** The largest `scalingProgram` of at most `maxChars` characters (3,604 units, 36,040 statements, for 1,000,000). */
export function largestScalingProgram(maxChars: number): { readonly units: number; readonly source: string } {
  // about 277 characters a unit: search near there
  let units = Math.max(1, Math.floor(maxChars / 280));
  while (scalingProgram(units + 1).length <= maxChars) units++;
  while (units > 1 && scalingProgram(units).length > maxChars) units--;
  return { units, source: scalingProgram(units) };
}

/** `depth` nested calls of `fn` on a parameter: `target += fn(fn(…fn(x)…));`. */
export function nestedCallsProgram(depth: number, fn = "log1p"): string {
  const call = `${fn}(`.repeat(depth) + "x" + ")".repeat(depth);
  return ["parameters {", "  real<lower=0> x;", "}", "model {", `  target += ${call};`, "  x ~ exponential(1);", "}", ""].join("\n");
}
