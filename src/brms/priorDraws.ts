/**
 * `brm(..., sample_prior = "yes")`: brms 2.18 adds one draw from each prior to the generated
 * quantities (its stan_rngprior). Every `lprior +=` statement names a parameter (`b`, `b[2]`,
 * `sd_1`, `L_1`); its prior gets `real prior_<par> = <dist>_rng(<args>);` (`b[2]` → `prior_b__2`,
 * `L_1` → `prior_cor_1 = lkj_corr_rng(M_1, eta)[1, 2]`), and a parameter with bounds is redrawn
 * until it falls inside them. In the output brms renames them as it renames the parameters:
 * `prior_b_x`, `prior_sd_g`, `prior_cor_g`.
 */
import type { Expr, Stmt } from "../ast/ast";
import * as b from "./stanBuilders";

export interface PriorDraw {
  /** The generated-quantities name: `prior_b`, `prior_b__2`, `prior_sd_1`, `prior_cor_1`. */
  readonly stanName: string;
  /** brms's output name: `prior_b`, `prior_b_x`, `prior_sd_g`, `prior_cor_g`. */
  readonly brmsName: string;
  readonly distribution: string;
  readonly args: readonly Expr[];
  /** The bounds of the parameter's declaration (the draw is rejected outside them). */
  readonly lower?: Expr;
  readonly upper?: Expr;
  /** For an lkj prior: the size of the correlation matrix; the draw is its element [1, 2]. */
  readonly lkjSize?: Expr;
  /** For a mo() simplex's dirichlet prior: `simplex[size] prior_simo_1 = dirichlet_rng(…)`, and brms's name of each element. */
  readonly simplex?: { readonly size: Expr; readonly brmsNames: readonly string[] };
}

function rng(draw: PriorDraw): Expr {
  if (draw.lkjSize) return b.idx(b.call("lkj_corr_rng", draw.lkjSize, ...draw.args), b.int(1), b.int(2));
  // brms draws std_normal() priors as normal(0, 1).
  if (draw.distribution === "std_normal") return b.call("normal_rng", b.int(0), b.int(1));
  return b.call(`${draw.distribution}_rng`, ...draw.args);
}

/** The declarations (after brms's own generated quantities) and the rejection loops (after its loops). */
export function priorDrawStatements(draws: readonly PriorDraw[]): { decls: Stmt[]; loops: Stmt[] } {
  const decls = draws.map((d) => (d.simplex ? b.decl("simplex", d.stanName, { sizes: [d.simplex.size], init: rng(d) }) : b.decl("real", d.stanName, { init: rng(d) })));
  const loops: Stmt[] = [];
  for (const d of draws) {
    const outside: Expr[] = [];
    if (d.lower) outside.push(b.bin("<", b.v(d.stanName), d.lower));
    if (d.upper) outside.push(b.bin(">", b.v(d.stanName), d.upper));
    if (outside.length === 0) continue;
    const condition = outside.reduce((acc, e) => b.bin("||", acc, e));
    loops.push(b.whileLoop(condition, [b.assign(b.v(d.stanName), rng(d))]));
  }
  return { decls, loops };
}
