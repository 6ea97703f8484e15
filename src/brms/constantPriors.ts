/**
 * brms's `constant()` priors (brms 2.18's stan_prior): a parameter whose prior is constant(x) is no
 * longer sampled. A scalar moves to the transformed parameters (`sigma = 1;`); a vector whose every
 * element is constant by one class-wide prior becomes `b = rep_vector(x, rows(b));`; a vector with
 * some constant elements keeps one parameter `par_b_<i>` per estimated element and is assembled in
 * the transformed parameters (`b[2] = 0.5;` first, then `b[1] = par_b_1;`, …).
 */
import type { Expr, Stmt } from "../ast/ast";
import { parsePrior, type Resolved } from "./priors";
import * as b from "./stanBuilders";

/** How a constant-prior parameter is declared and filled in. */
export interface ConstantPlan {
  /** Parameters that replace the declaration (`real par_b_1;`), empty when nothing is estimated. */
  readonly parameters: readonly Stmt[];
  /** The declaration, moved to the transformed parameters. */
  readonly declaration: Stmt;
  readonly assignments: readonly Stmt[];
}

interface Bounds {
  readonly lower?: Expr;
  readonly upper?: Expr;
}

/** The value of a `constant(x)` prior, or undefined for any other prior. */
export function constantValue(prior: string): Expr | undefined {
  if (prior === "") return undefined;
  const { distribution, args } = parsePrior(prior);
  return distribution === "constant" ? b.fromR(args[0]) : undefined;
}

export function scalarConstantPlan(name: string, prior: string, bounds: Bounds): ConstantPlan | undefined {
  const value = constantValue(prior);
  if (value === undefined) return undefined;
  return { parameters: [], declaration: b.decl("real", name, { lower: bounds.lower, upper: bounds.upper }), assignments: [b.assign(b.v(name), value)] };
}

/**
 * A vector parameter's plan from its elements' resolved priors; `vectorised` is true when one
 * class-wide prior covers every element (the single-statement case of the lprior code).
 */
export function vectorConstantPlan(name: string, size: Expr, resolved: readonly Resolved[], vectorised: boolean, bounds: Bounds): ConstantPlan | undefined {
  const declaration = b.decl("vector", name, { sizes: [size], lower: bounds.lower, upper: bounds.upper });
  if (vectorised) {
    const value = constantValue(resolved[0]?.prior ?? "");
    if (value === undefined) return undefined;
    return { parameters: [], declaration, assignments: [b.assign(b.v(name), b.call("rep_vector", value, b.call("rows", b.v(name))))] };
  }
  const values = resolved.map((r) => constantValue(r.prior));
  if (values.every((v) => v === undefined)) return undefined;
  const element = (i: number) => b.idx(b.v(name), b.int(i + 1));
  const assignments: Stmt[] = [];
  values.forEach((v, i) => {
    if (v !== undefined) assignments.push(b.assign(element(i), v));
  });
  const parameters: Stmt[] = [];
  values.forEach((v, i) => {
    if (v !== undefined) return;
    const parName = `par_${name}_${i + 1}`;
    parameters.push(b.decl("real", parName, { lower: bounds.lower, upper: bounds.upper }));
    assignments.push(b.assign(element(i), b.v(parName)));
  });
  return { parameters, declaration, assignments };
}
