/**
 * brms's monotonic effects `mo(x)` (brms 2.18's "special" terms): an ordinal predictor enters the
 * linear predictor as `bsp * mo(simo, Xmo)`, where `mo(simplex, i) = D * sum(simplex[1:i])` grows
 * from 0 to D (D = Jmo = number of steps) in steps whose shares the simplex holds.
 *
 * Terms are split off the population terms as brms splits them off its fixed-effects formula: each
 * term (after R's expansion of `*`, `:`, …) that contains a mo() call is a special term with one
 * coefficient `bsp[k]`, one simplex per mo() call in it, and its other variables as covariate
 * `Csp_<c>` (model.matrix's column; a factor there makes one special term per column). brms 2.18 numbers the covariates cumulatively over the terms
 * and multiplies a term by `Csp_<c>` whenever that running count is above 0 — so a term without
 * covariates of its own after one with them reads the earlier covariate (`mo(a):mo(b)` after
 * `mo(a):z` is multiplied by z). stan2ts writes the same program.
 */
import { fail } from "../../common/diagnostics";
import { syntheticSpan, type Span } from "../../common/span";
import type { Expr, FunctionDef, Stmt } from "../../ast/ast";
import { INT, REAL, VECTOR } from "../../ast/ast";
import { columnHint, type DataFrame } from "../dataFrame";
import { functionDef, ret } from "../families/functionDefs";
import { coefName, withSuffix } from "../names";
import { deparseR, type RExpr } from "../rAst";
import * as b from "../stanBuilders";
import { isLatentCall, latentFactor, type LatentFactor } from "./latentPredictors";

/** One mo() call of a special term: the variable's 0-based codes on the rows and its number of steps. */
export interface MonotonicCall {
  /** The data column inside mo(). */
  readonly column: string;
  readonly span: Span;
  /** 0-based codes per row (x − min(x), or the ordered factor's level − 1), brms's Xmo. */
  readonly codes: Int32Array;
  /** brms's Jmo: the largest code, the simplex's length. */
  readonly steps: number;
  /** The values codes are counted from: the factor's levels, or the smallest number. */
  readonly scale: MonotonicScale;
  /** The simplex's output name: the term's coefficient name and the call's position (`moedu1`, `moedu:mostars2`). */
  readonly simplexCoef: string;
  /** mo(x, id = "i"): calls with the same id share one simplex (brms: one prior row, coef = the id). */
  readonly id?: string;
  /** For a call whose id an earlier call of the predictor has: that call's 1-based simplex number, whose simplex this one copies. */
  readonly sharedWith?: number;
}

/** The coef of the simplex's prior row: the id of shared simplexes, else the simplex's own name. */
export function simplexPriorCoef(call: MonotonicCall): string {
  return call.id ?? call.simplexCoef;
}

/** How a variable's values become codes: an ordered factor's kept levels, or numbers counted from their minimum. */
export type MonotonicScale = { readonly kind: "levels"; readonly levels: readonly string[] } | { readonly kind: "integer"; readonly min: number; readonly max: number };

export interface SpecialTerm {
  /** brms's coefficient name (`moedu`, `moedu:z`), the `bsp_<coef>` output and the coef of its class-b prior row. */
  readonly coef: string;
  readonly calls: readonly MonotonicCall[];
  /** The term's other variables on the rows (its model.matrix column); undefined when it has none. */
  readonly covariate?: Float64Array;
  /** brms's running covariate number (0: none yet); the term reads `Csp_<cspIndex>` when it is above 0. */
  readonly cspIndex: number;
  /** The term's mi(x) and me(x, sdx) calls (terms/latentPredictors.ts), multiplied in after the mo() calls. */
  readonly latent: readonly LatentFactor[];
}

/** True for a `mo(...)` call. */
export function isMonotonicCall(e: RExpr): boolean {
  return e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "mo";
}

/** True for a call that makes a term special: mo(), me() or mi(). */
export function isSpecialCall(e: RExpr): boolean {
  return isMonotonicCall(e) || isLatentCall(e);
}

/** The mo() calls among a term's variables. */
function monotonicCalls(variables: readonly RExpr[]): Extract<RExpr, { kind: "Call" }>[] {
  return variables.flatMap((v) => (v.kind === "Call" && isMonotonicCall(v) ? [v] : []));
}

/** The data column inside mo(x) and its `id =` (brms's shared simplexes); other arguments and expressions are refused. */
export function monotonicColumn(call: Extract<RExpr, { kind: "Call" }>): { name: string; span: Span; id?: string } {
  const [first, ...others] = call.args;
  const idArg = others.length === 1 && others[0].name === "id" ? others[0] : undefined;
  if (!first || first.name !== undefined || first.value.kind !== "Name" || others.length > (idArg ? 1 : 0)) {
    const named = call.args.find((a) => a.name !== undefined && a.name !== "id");
    fail("Semantic error", named?.span ?? call.span, `'${deparseR(call)}' is not supported: stan2ts takes mo() of one data column, optionally with id = "…", as in mo(education).`, [
      named ? `mo() argument '${named.name}' is not supported.` : "Compute the variable with mutate() first if it is an expression.",
    ]);
  }
  if (idArg && idArg.value.kind !== "Str") fail("Semantic error", idArg.value.span, 'mo(x, id = ) takes a string, as in mo(education, id = "i").');
  const id = idArg?.value.kind === "Str" ? idArg.value.value : undefined;
  return { name: first.value.name, span: first.value.span, ...(id !== undefined ? { id } : {}) };
}

/**
 * brms's monotonic coding of a column on `rows`: an ordered factor by its levels (unused ones
 * dropped, as brms's model frame drops them), whole numbers from their smallest value; anything
 * else gets brms's message. The coding is taken from the first `training` rows and applied to the
 * rest (a prediction grid after the fit's rows), as the fit coded them.
 */
export function monotonicCodes(column: string, span: Span, frame: DataFrame, rows: Int32Array, training = rows.length): { codes: Int32Array; scale: MonotonicScale } {
  const fitted = rows.subarray(0, training);
  const data = frame.columns.get(column);
  if (!data) fail("Data error", span, `The variable '${column}' is not a column of the data (${frame.source}).`, columnHint(frame));
  const refuse = (why: string): never =>
    fail("Data error", span, `Monotonic predictors must be integers or ordered factors. Error occurred for variable '${column}'.`, [
      why,
      "brms's mo() takes an ordered factor (factor(x, levels = c(…), ordered = TRUE)) or a column of whole numbers.",
    ]);
  if (data.kind === "character") {
    if (!data.factor?.ordered) refuse(data.factor ? `'${column}' is an unordered factor.` : `'${column}' holds text.`);
    const levels = data.factor!.levels.filter((l) => fitted.some((r) => data.values[r] === l));
    const codes = Int32Array.from(rows, (r) => levels.indexOf(data.values[r]!));
    return { codes, scale: { kind: "levels", levels } };
  }
  const values = Float64Array.from(rows, (r) => data.values[r]);
  const fractional = values.findIndex((x) => !Number.isInteger(x));
  if (fractional >= 0) refuse(`Row ${rows[fractional] + 1} of '${column}' holds ${values[fractional]}.`);
  const own = { kind: "integer" as const, min: Math.min(...values.subarray(0, training)), max: Math.max(...values.subarray(0, training)) };
  return { codes: Int32Array.from(values, (x) => x - own.min), scale: own };
}

/** The number of steps of a coding: levels − 1, or max − min. */
export function scaleSteps(scale: MonotonicScale): number {
  return scale.kind === "levels" ? scale.levels.length - 1 : scale.max - scale.min;
}


/**
 * The special terms of one predictor. `terms` are R's expanded terms that contain a mo() call (each
 * as its variables' expressions, in the term's order) with model.matrix's columns of each, the mo()
 * variables standing as 1: one column per term, or one per contrast or level of a factor in it
 * (`mo(edu):g` → `moedu:gB`, …). Each column is a term of its own with its own coefficient and
 * simplexes, as brms makes them; its covariate is the column unless the term has no other variables.
 */
export function specialTerms(
  terms: readonly { readonly variables: readonly RExpr[]; readonly columns: readonly { readonly name: string; readonly values: Float64Array }[] }[],
  frame: DataFrame,
  rows: Int32Array,
  training = rows.length,
): SpecialTerm[] {
  let covariates = 0;
  const special = terms.flatMap(({ variables, columns }) => {
    const moCalls = monotonicCalls(variables);
    const hasCovariate = variables.some((v) => !isSpecialCall(v));
    const latent = variables.flatMap((v) => (isLatentCall(v) ? [latentFactor(v)] : []));
    const coded = moCalls.map((call) => {
      const { name, span, id } = monotonicColumn(call);
      const { codes, scale } = monotonicCodes(name, span, frame, rows, training);
      const steps = scaleSteps(scale);
      if (steps < 1) fail("Data error", span, `mo(${name}) needs at least two different values of '${name}' in the rows of the model.`);
      return { column: name, span, codes, steps, scale, ...(id !== undefined ? { id } : {}) };
    });
    return columns.map((column): SpecialTerm => {
      const coef = coefName(column.name);
      if (hasCovariate) covariates++;
      return {
        coef,
        calls: coded.map((c, k) => ({ ...c, simplexCoef: `${coef}${k + 1}` })),
        ...(hasCovariate ? { covariate: column.values } : {}),
        cspIndex: covariates,
        latent,
      };
    });
  });
  return withSharedSimplexes(special);
}

/**
 * brms's mo(x, id = ): every call after the first with the same id copies the first one's simplex
 * (`simplex[Jmo[3]] simo_3 = simo_1;`), which alone gets a parameter, data concentrations and a prior.
 */
function withSharedSimplexes(terms: SpecialTerm[]): SpecialTerm[] {
  const firstOfId = new Map<string, { index: number; call: MonotonicCall }>();
  let index = 0;
  return terms.map((t) => ({
    ...t,
    calls: t.calls.map((call) => {
      index++;
      if (call.id === undefined) return call;
      const first = firstOfId.get(call.id);
      if (!first) {
        firstOfId.set(call.id, { index, call });
        return call;
      }
      if (first.call.steps !== call.steps) {
        // brms 2.18 writes the program, whose simplex copy then fails in Stan for the different sizes
        fail("Semantic error", call.span, `mo() terms with id = "${call.id}" share one simplex, so their variables need the same number of steps: '${first.call.column}' has ${first.call.steps}, '${call.column}' ${call.steps}.`);
      }
      return { ...call, sharedWith: first.index };
    }),
  }));
}

/** Stan names of a predictor's special-term pieces (`bsp`, `simo_1`, `Xmo_1`, … with the predictor's suffix). */
export function specialNames(prefix: string) {
  const s = (name: string) => withSuffix(name, prefix);
  return {
    Ksp: s("Ksp"),
    Imo: s("Imo"),
    Jmo: s("Jmo"),
    bsp: s("bsp"),
    Csp: (c: number) => `${s("Csp")}_${c}`,
    Xmo: (i: number) => `${s("Xmo")}_${i}`,
    simo: (i: number) => `${s("simo")}_${i}`,
    conSimo: (i: number) => `${s("con_simo")}_${i}`,
  };
}

/** brms's `mo(scale, i)`: 0 for the lowest value, else the number of steps times the simplex's first i shares. */
const SPAN = syntheticSpan("<brms>");

export function monotonicFunction(): FunctionDef {
  const share = b.call("sum", { kind: "Indexed", meta: { span: SPAN }, target: b.v("scale"), indices: [{ kind: "Between", lower: b.int(1), upper: b.v("i") }] });
  return functionDef("mo", REAL, [["scale", VECTOR], ["i", INT]], [
    b.ifElse(b.bin("==", b.v("i"), b.int(0)), b.block([ret(b.int(0))]), b.block([ret(b.bin("*", b.call("rows", b.v("scale")), share))])),
  ]);
}

/** Data declarations, in brms's order: Ksp, the covariates, Imo, Jmo, then each call's Xmo and con_simo. */
export function specialDataDecls(terms: readonly SpecialTerm[], prefix: string, N: Expr): Stmt[] {
  const n = specialNames(prefix);
  const out: Stmt[] = [b.decl("int", n.Ksp, { lower: b.int(1) })];
  terms.forEach((t) => {
    if (t.covariate) out.push(b.decl("vector", n.Csp(t.cspIndex), { sizes: [N] }));
  });
  const calls = terms.flatMap((t) => t.calls);
  if (calls.length > 0) {
    out.push(b.decl("int", n.Imo, { lower: b.int(1) }));
    out.push(b.decl("int", n.Jmo, { lower: b.int(1), arrayDims: [b.v(n.Imo)] }));
    calls.forEach((call, i) => {
      out.push(b.decl("int", n.Xmo(i + 1), { arrayDims: [N] }));
      if (call.sharedWith === undefined) out.push(b.decl("vector", n.conSimo(i + 1), { sizes: [b.idx(b.v(n.Jmo), b.int(i + 1))] }));
    });
  }
  return out;
}

/** Parameters: one simplex per mo() call (but those sharing an earlier one's), then `vector[Ksp] bsp`. */
export function specialParameters(terms: readonly SpecialTerm[], prefix: string): Stmt[] {
  const n = specialNames(prefix);
  const calls = terms.flatMap((t) => t.calls);
  return [
    ...calls.flatMap((call, i) => (call.sharedWith === undefined ? [b.decl("simplex", n.simo(i + 1), { sizes: [b.idx(b.v(n.Jmo), b.int(i + 1))] })] : [])),
    b.decl("vector", n.bsp, { sizes: [b.v(n.Ksp)] }),
  ];
}

/** Transformed parameters: `simplex[Jmo[3]] simo_3 = simo_1;` for each call sharing an earlier call's simplex (mo(x, id = )). */
export function sharedSimplexDecls(terms: readonly SpecialTerm[], prefix: string): Stmt[] {
  const n = specialNames(prefix);
  return terms
    .flatMap((t) => t.calls)
    .flatMap((call, i) => (call.sharedWith === undefined ? [] : [b.decl("simplex", n.simo(i + 1), { sizes: [b.idx(b.v(n.Jmo), b.int(i + 1))], init: b.v(n.simo(call.sharedWith)) })]));
}

/**
 * Row n's special terms: `(bsp[k] + r_…[J[n]]) * mo(simo_i, Xmo_i[n]) * … * Csp_c[n]`, the group-level
 * effects of the same term (`(mo(x) | g)`) added to its coefficient.
 */
export function specialRowTerms(terms: readonly SpecialTerm[], prefix: string, groupEffects: (coef: string) => Expr[], latentValue: (factor: LatentFactor) => Expr): Expr[] {
  const n = specialNames(prefix);
  const at = (name: string) => b.idx(b.v(name), b.v("n"));
  let call = 0;
  return terms.map((t, k) => {
    const coefficient = [b.idx(b.v(n.bsp), b.int(k + 1)), ...groupEffects(t.coef)].reduce((acc, e) => b.bin("+", acc, e));
    let term: Expr = b.paren(coefficient);
    for (const _ of t.calls) {
      call++;
      term = b.bin("*", term, b.call("mo", b.v(n.simo(call)), at(n.Xmo(call))));
    }
    for (const factor of t.latent) term = b.bin("*", term, latentValue(factor));
    if (t.cspIndex > 0) term = b.bin("*", term, at(n.Csp(t.cspIndex)));
    return term;
  });
}

/** brms's mo(): the number of steps times the sum of the simplex's first `code` shares (0 for code 0). */
export function monotonicValue(simplex: readonly number[], code: number): number {
  let sum = 0;
  for (let k = 0; k < code; k++) sum += simplex[k];
  return simplex.length * sum;
}

/** The covariate each `Csp_<c>` holds: that of the term whose own covariate introduced the number c. */
export function covariateOfIndex(terms: readonly SpecialTerm[], index: number): Float64Array {
  const owner = terms.find((t) => t.covariate && t.cspIndex === index);
  if (!owner) throw new Error(`internal error: no special term introduces Csp_${index}`);
  return owner.covariate!;
}

/**
 * Adds a predictor's special terms at row `row` to `eta`, draw by draw, as the model block computes
 * them: `(bsp[k] + group effects) * mo(simo, Xmo[row]) * … * Csp[row]`. `drawsOf` gives a brms
 * variable's draws (`bsp_moedu`, `simo_moedu1[2]`); `groupEffects` the draws of the term's
 * group-level deviations at the row.
 */
export function addSpecialTermDraws(
  eta: Float64Array,
  terms: readonly SpecialTerm[],
  prefix: string,
  row: number,
  drawsOf: (name: string) => Float64Array,
  groupEffects: (coef: string) => Float64Array[],
): void {
  const bsp = withSuffix("bsp", prefix);
  const simo = withSuffix("simo", prefix);
  for (const t of terms) {
    const coefficient = drawsOf(`${bsp}_${t.coef}`);
    const deviations = groupEffects(t.coef);
    const simplexes = t.calls.map((call) => Array.from({ length: call.steps }, (_, k) => drawsOf(`${simo}_${call.simplexCoef}[${k + 1}]`)));
    const covariate = t.cspIndex > 0 ? covariateOfIndex(terms, t.cspIndex)[row] : 1;
    const shares = new Array<number>(0);
    for (let s = 0; s < eta.length; s++) {
      let value = coefficient[s];
      for (const r of deviations) value += r[s];
      t.calls.forEach((call, j) => {
        shares.length = call.steps;
        for (let k = 0; k < call.steps; k++) shares[k] = simplexes[j][k][s];
        value *= monotonicValue(shares, call.codes[row]);
      });
      eta[s] += value * covariate;
    }
  }
}
