/**
 * brms's mi() addition term (brms 2.18): a response with missing values, `y | mi() ~ …`, whose
 * missing values become parameters `Ymi` (data `Nmi`, `Jmi`), or a response measured with known
 * error, `y | mi(sdy) ~ …`, whose true values are the parameters `Yl` (data `noise`, `Nme`, `Jme`).
 * Rows where only a mi() variable (the response or sdy) is missing are kept; make_standata writes
 * Inf in their place. The likelihood reads `Yl`: the observed values with the imputed ones filled in
 * (a model-block local), or the latent values.
 */
import type { Expr, Stmt } from "../ast/ast";
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import type { DataFrame } from "./dataFrame";
import type { FamilySpec } from "./families/family";
import { withSuffix } from "./names";
import type { VariableRef } from "./rAst";
import * as b from "./stanBuilders";

/** `mi()` or `mi(sdy)` after `|`. */
export interface MissingValueTerm {
  /** The known measurement sd of the response (mi(sdy)); without it only missing values are imputed. */
  readonly sdy?: VariableRef;
  readonly span: Span;
}

/**
 * The bounds brms gives imputed or latent responses (its family_bounds, written into the declaration
 * of Ymi / Yl), for the families stan2ts imputes.
 */
const RESPONSE_BOUNDS: Readonly<Record<string, { lower?: number; upper?: number }>> = {
  gaussian: {},
  student: {},
  skew_normal: {},
  exgaussian: {},
  lognormal: { lower: 0 },
  gamma: { lower: 0 },
  weibull: { lower: 0 },
  frechet: { lower: 0 },
  exponential: { lower: 0 },
  "inverse.gaussian": { lower: 0 },
  beta: { lower: 0, upper: 1 },
};

/** Families brms 2.18 allows mi() with that stan2ts does not impute yet. */
const NOT_YET = ["shifted_lognormal", "von_mises", "gen_extreme_value", "asym_laplace"];

/** Refuses mi() where brms does (with its message) or where stan2ts does not build it. */
export function checkMissingValueTerm(term: MissingValueTerm, family: FamilySpec, link: string, others: { readonly cens?: unknown; readonly trunc?: unknown; readonly se?: unknown }, rescor: boolean): void {
  const key = family.name.toLowerCase();
  if (NOT_YET.includes(key)) {
    fail("Semantic error", term.span, `mi() with the ${family.name} family is not supported by stan2ts yet.`, [
      `stan2ts imputes responses of the families ${Object.keys(RESPONSE_BOUNDS).join(", ")}.`,
    ]);
  }
  if (!(key in RESPONSE_BOUNDS)) {
    fail("Semantic error", term.span, `Argument 'mi' is not supported for family '${family.name}(${link})'.`, [
      "mi() imputes missing values of continuous responses (brms 2.18 allows it for gaussian, student, lognormal, Gamma, Beta, weibull and other continuous families).",
    ]);
  }
  const combined = [others.cens ? "cens()" : undefined, others.trunc ? "trunc()" : undefined, others.se ? "se()" : undefined].filter((x) => x !== undefined);
  if (combined.length > 0) fail("Semantic error", term.span, `mi() together with ${combined.join(" and ")} is not supported by stan2ts yet.`);
  if (rescor) {
    fail("Semantic error", term.span, "mi() in a model with residual correlations is not supported by stan2ts yet.", [
      "Use set_rescor(FALSE): each response then has its own likelihood, which reads the imputed values.",
    ]);
  }
}

/** The data columns brms keeps missing values in (its vars_keep_na): the mi() response and sdy. */
export function variablesKeptMissing(response: VariableRef, term: MissingValueTerm | undefined): string[] {
  if (!term) return [];
  return [response.name, ...(term.sdy ? [term.sdy.name] : [])];
}

/** Stan names of one response's mi() pieces (`Ymi_x`, `Jmi_x`, … in a multivariate model). */
export function missingValueNames(resp: string) {
  const s = (name: string) => withSuffix(name, resp);
  return { Nmi: s("Nmi"), Jmi: s("Jmi"), Ymi: s("Ymi"), Yl: s("Yl"), noise: s("noise"), Nme: s("Nme"), Jme: s("Jme") };
}

/** One response's mi() data: Y with Inf where it is imputed, the 1-based positions, and noise for mi(sdy). */
export interface MissingValueData {
  readonly Y: Float64Array;
  /** mi(): the rows whose response is missing. mi(sdy): the rows whose response is observed (Jme). */
  readonly positions: Int32Array;
  /** mi(sdy): the measurement sd per row, Inf where the response is missing. */
  readonly noise?: Float64Array;
}

/** brms's data_response for mi(): missing responses (and, with sdy, infinite sds) are imputed. */
export function missingValueData(term: MissingValueTerm, y: Float64Array, frame: DataFrame, rows: Int32Array): MissingValueData {
  const Y = Float64Array.from(y);
  const missing = (i: number) => Number.isNaN(y[i]);
  if (!term.sdy) {
    const positions: number[] = [];
    y.forEach((_, i) => {
      if (missing(i)) {
        positions.push(i + 1);
        Y[i] = Infinity;
      }
    });
    return { Y, positions: Int32Array.from(positions) };
  }
  const column = frame.columns.get(term.sdy.name);
  if (!column || column.kind !== "numeric") throw new Error(`internal: sdy column ${term.sdy.name} is not numeric`);
  const noise = Float64Array.from(rows, (r) => column.values[r]);
  const observed: number[] = [];
  noise.forEach((sd, i) => {
    const latentOnly = missing(i) || sd === Infinity;
    if (!latentOnly && !(sd >= 0)) {
      fail("Data error", term.sdy!.span, `mi(${term.sdy!.name}) needs a non-negative measurement sd where the response is observed, but row ${rows[i] + 1} holds ${sd}.`, [
        `(data row ${rows[i] + 1} is line ${rows[i] + 2} of ${frame.source}; write Inf there to treat the response as unobserved)`,
      ]);
    }
    if (latentOnly) {
      Y[i] = Infinity;
      noise[i] = Infinity;
    } else observed.push(i + 1);
  });
  return { Y, positions: Int32Array.from(observed), noise };
}

/** The declaration bounds of Ymi / Yl for the family. */
function boundsOf(family: FamilySpec): { lower?: Expr; upper?: Expr } {
  const bounds = RESPONSE_BOUNDS[family.name.toLowerCase()] ?? {};
  return { ...(bounds.lower !== undefined ? { lower: b.int(bounds.lower) } : {}), ...(bounds.upper !== undefined ? { upper: b.int(bounds.upper) } : {}) };
}

/** Data declarations after the other addition terms: Nmi, Jmi; or noise, Nme, Jme. */
export function missingValueDataDecls(term: MissingValueTerm, resp: string, N: string): Stmt[] {
  const n = missingValueNames(resp);
  if (!term.sdy) return [b.decl("int", n.Nmi, { lower: b.int(0) }), b.decl("int", n.Jmi, { lower: b.int(1), arrayDims: [b.v(n.Nmi)] })];
  return [
    b.decl("vector", n.noise, { sizes: [b.v(N)], lower: b.int(0) }),
    b.decl("int", n.Nme, { lower: b.int(0) }),
    b.decl("int", n.Jme, { lower: b.int(1), arrayDims: [b.v(n.Nme)] }),
  ];
}

/** The response's first parameter: the imputed values Ymi, or the latent values Yl. */
export function missingValueParameter(term: MissingValueTerm, family: FamilySpec, resp: string, N: string): Stmt {
  const n = missingValueNames(resp);
  return term.sdy ? b.decl("vector", n.Yl, { sizes: [b.v(N)], ...boundsOf(family) }) : b.decl("vector", n.Ymi, { sizes: [b.v(n.Nmi)], ...boundsOf(family) });
}

/** mi(): the model block's `vector[N] Yl = Y;` (before the linear predictors) and `Yl[Jmi] = Ymi;` (before their terms). */
export function imputedResponse(term: MissingValueTerm, resp: string, N: string, Y: string): { decl: Stmt[]; fill: Stmt[] } {
  if (term.sdy) return { decl: [], fill: [] };
  const n = missingValueNames(resp);
  return {
    decl: [b.decl("vector", n.Yl, { sizes: [b.v(N)], init: b.v(Y) })],
    fill: [b.assign(b.idx(b.v(n.Yl), b.v(n.Jmi)), b.v(n.Ymi))],
  };
}

/** mi(sdy): the measurement model of the observed responses, `Y[Jme] ~ normal(Yl[Jme], noise[Jme])`, after the priors. */
export function measurementDensity(term: MissingValueTerm, resp: string, Y: string): Stmt[] {
  if (!term.sdy) return [];
  const n = missingValueNames(resp);
  const at = (name: string) => b.idx(b.v(name), b.v(n.Jme));
  return [b.targetPlus(b.lpdf("normal_lpdf", at(Y), at(n.Yl), at(n.noise)))];
}

/**
 * The brms names of the mi() parameters: each imputed value by its row, `Ymi[4]` (`Ymi_x[4]`). With
 * sdy the latent values Yl are not saved (brms's save_pars(latent = FALSE) default).
 */
export function missingValueOutputs(term: MissingValueTerm, resp: string, data: MissingValueData): { stanName: string; brms: string[] } | undefined {
  if (term.sdy) return undefined;
  const n = missingValueNames(resp);
  return { stanName: n.Ymi, brms: Array.from(data.positions, (row) => `${n.Ymi}[${row}]`) };
}

/**
 * The response a mi(x) predictor reads: the model's response x, which must have mi() itself (brms's
 * messages otherwise). Row n of one response is row n of the other only when no response has
 * subset(); brms then matches rows by index(), which stan2ts does not implement, so it is refused.
 */
export function miResponseOf<R extends { readonly variable: string; readonly resp: string; readonly additions: { readonly mi?: MissingValueTerm; readonly subset?: { readonly termSpan: Span } } }>(
  model: { readonly responses: readonly R[] },
  factor: { readonly variable: string; readonly span: Span },
): R {
  const subset = model.responses.find((r) => r.additions.subset !== undefined);
  if (subset) {
    fail("Semantic error", factor.span, `mi(${factor.variable}) in a model with subset() is not supported by stan2ts yet.`, [
      "With subset() the responses are observed on different rows, which brms matches with the index() addition term; stan2ts does not implement index().",
      `Remove subset() from the formula of ${subset.resp}, or the mi(${factor.variable}) term.`,
    ]);
  }
  const response = model.responses.find((r) => r.variable === factor.variable);
  if (!response) {
    fail("Semantic error", factor.span, `Variables in 'mi' terms should also be specified as response variables in the model. See ?mi. Error occurred for ${factor.variable}.`, [
      `Add a formula for it: bf(y ~ mi(${factor.variable})) + bf(${factor.variable} | mi() ~ ...) + set_rescor(FALSE).`,
    ]);
  }
  if (!response.additions.mi) {
    fail("Semantic error", factor.span, `Response models of variables in 'mi' terms require specification of the addition argument 'mi'. See ?mi. Error occurred for ${factor.variable}.`, [
      `Write ${factor.variable} | mi() ~ ... in its formula.`,
    ]);
  }
  return response;
}
