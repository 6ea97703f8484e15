/**
 * stan2ts's log density at rstan's constrained point, for fixtures whose unconstrained logprob.json
 * is not comparable (rstan 2.21 maps simplexes by stick-breaking, stan2ts as Stan >= 2.37 by the
 * inverse isometric log ratio): `Rscript ../brms-mo/logprob-constrained.R <fixture>` records rstan's
 * constrained point and its log density without the Jacobian in logprob-constrained.json; stan2ts's
 * log density there, less its own transforms' log Jacobian, must equal it.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cholesky_factor_corr_constrain, ordered_constrain, simplex_constrain } from "../../src/runtime/math/transforms";
import { brmsFixtures, fixtureInstance } from "./helpers";

export function describeConstrainedLogProb(title: string, ROOT: string, minRecorded: number): void {
describe(title, () => {
  const recorded = brmsFixtures(ROOT).names.filter((f) => existsSync(`${ROOT}${f}/logprob-constrained.json`));
  const suite = brmsFixtures(ROOT);

  it("has rstan's constrained oracles", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(minRecorded);
  });

  it.each(recorded)("%s: log density without the Jacobian equals rstan's to 1e-10", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/logprob-constrained.json`, "utf8")) as { parameters: Record<string, number[]>; log_prob: string };
    const build = await suite.build(fixture);
    const instance = await fixtureInstance(build, fixture);
    const declared = (build.program.parameters?.stmts ?? []).flatMap((st) => (st.kind === "VarDecl" ? [st] : []));
    // R's values are column-major (first index fastest); Stan JSON nests rows
    const nest = (values: readonly number[], dims: readonly number[]): unknown => {
      if (dims.length === 0) return values[0];
      if (dims.length === 1) return [...values];
      const [m, n] = dims;
      return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => values[i + m * j]));
    };
    const dimsOf = (name: string) => instance.variables.find((v) => v.name === name)!.dims;
    const theta = instance.unconstrain(Object.fromEntries(declared.map((d) => [d.name, nest(oracle.parameters[d.name], dimsOf(d.name))])));
    // stan2ts's own log Jacobian of each declaration's transform at theta
    let logJacobian = 0;
    let offset = 0;
    for (const d of declared) {
      const dims = dimsOf(d.name);
      const size = dims.reduce((a, x) => a * x, 1);
      const K = dims[dims.length - 1] ?? 1;
      // constrained types carry their transform in the type name (simplex[K]), bounds in the transform
      const kind = ["simplex", "ordered", "cholesky_factor_corr"].includes(d.declType.typeName) ? d.declType.typeName : d.declType.transform.kind;
      switch (kind) {
        case "none":
          offset += size;
          break;
        case "lower":
          // lower = 0 in brms's programs: x = exp(y), log J = y
          for (let i = 0; i < size; i++) logJacobian += theta[offset + i];
          offset += size;
          break;
        case "simplex":
          logJacobian += simplex_constrain(new Float64Array(K), theta, offset, K);
          offset += K - 1;
          break;
        case "ordered":
          logJacobian += ordered_constrain(new Float64Array(K), theta, offset, K);
          offset += K;
          break;
        case "cholesky_factor_corr":
          logJacobian += cholesky_factor_corr_constrain(new Float64Array(K * K), theta, offset, K);
          offset += (K * (K - 1)) / 2;
          break;
        default:
          throw new Error(`no Jacobian for ${kind} in this test`);
      }
    }
    expect(offset).toBe(instance.dim);
    const lp = instance.logDensity(theta) - logJacobian;
    const expected = Number(oracle.log_prob);
    expect(Math.abs(lp - expected) / Math.abs(expected), `${lp} vs ${expected}`).toBeLessThan(1e-10);
  });
});
}
