/**
 * brms's `conditional_effects(fit)`: for each variable of the population terms (mu's, then the
 * other dpars'), and for each two-variable interaction term, the expected response (brms's
 * posterior_epred per family, group-level effects left out as with re_formula = NA) along a
 * 100-point grid over a numeric variable's range, or at each level of a factor, with every other
 * numeric variable at its mean and every other factor at its reference level (trials() at 1, as
 * brms sets it); summarised by the median and the 2.5% and 97.5% quantiles over the draws (brms's
 * robust default). An interaction's second variable takes its mean − sd, mean and mean + sd when
 * numeric, each level when a factor. scale() and poly() terms and offsets are evaluated on the
 * grid with the data's own centring, as R's predict methods do. A trunc() model plots the
 * truncated mean (brms's posterior_epred_trunc); categorical = TRUE plots each category's
 * probability. A non-linear mu is its expression evaluated on the grid (the nlpars' predictors,
 * the covariates at their grid values); cs() terms shift an ordinal model's thresholds on the
 * grid. A multivariate model plots every effect of any response for each response (brms's order:
 * effect by effect, the responses within), or for the response `resp =` names.
 */
import type { Span } from "../../common/span";
import { predictorsOf, type BrmsModel, type Predictor, type ResponseInfo } from "../buildModel";
import type { Column, DataFrame } from "../dataFrame";
import type { LinearSpec } from "../formula";
import { predictorNames, scalarDparName } from "../emitStanProgram";
import { withSuffix } from "../names";
import { dataVariablesOf, expandTerms, keptFactorLevels, populationDesign } from "../terms/design";
import { categoryDparName } from "../families/categorical";
import { thetaName } from "../families/mixture";
import { mixtureSimplexSize } from "../families/mixtureProgram";
import { median, mad } from "../priors";
import { addSpecialTermDraws, isMonotonicCall } from "../terms/monotonic";
import { addSmoothDraws, smoothByValues, smoothColumnsAt } from "../terms/smooth";
import { kernelOfFamily, ORDINAL_KINDS, type RowData } from "./familyKernels";
import { inverseLink, kernelFamily, nonlinearEta, selectedResponses, softmaxDraws, unsupportedObservationModel } from "./observationModel";
import type { EffectRow } from "./plotSpecs";
import { quantile7, type PooledDraws } from "./summaries";
import { compensatedSum } from "../rArithmetic";

const GRID_POINTS = 100;

export interface ConditionalEffect {
  /** brms's name of the effect: `x`, `x:z` for an interaction, `x:cats__` with categorical = TRUE; multivariate: `y1.y1_x`. */
  readonly name: string;
  /** The variable on the x axis (an interaction's first, numeric when there is one). */
  readonly variable: string;
  readonly factor: boolean;
  readonly rows: readonly EffectRow[];
  /** An interaction's second variable, whose values label the rows' `group`. */
  readonly groupVariable?: string;
  /** The y axis: the response's name, or with categorical = TRUE brms's "Probability" ("Count" for multinomial). */
  readonly yTitle: string;
}

export interface ConditionalEffects {
  readonly effects: readonly ConditionalEffect[];
  /** What R prints on the way (brms's messages and warnings). */
  readonly messages: string;
}

function specOf(p: Predictor): LinearSpec {
  return (p as Predictor & { spec: LinearSpec }).spec;
}

/** brms's warning for an ordinal model plotted without categorical = TRUE. */
const ORDINAL_WARNING =
  "Predictions are treated as continuous variables in 'conditional_effects' by default which is likely invalid for ordinal families. Please set 'categorical' to TRUE.";

/** brms's warning when categorical = TRUE meets interaction effects (they are left out). */
const CATEGORICAL_INTERACTIONS_WARNING = "Interactions cannot be plotted directly if 'categorical' is TRUE. Please use argument 'conditions' instead.";

/** Why conditional_effects() cannot run on these responses, or undefined when it can. */
export function unsupportedConditionalEffects(model: BrmsModel, categorical = false, responses: readonly ResponseInfo[] = model.responses): string | undefined {
  for (const r of responses) {
    const why = unsupportedObservationModel(model, [r], false);
    if (why !== undefined) return why;
    const family = r.family.spec.name;
    const polytomous = r.family.spec.categories === true || ORDINAL_KINDS.includes(family);
    // brms 2.18's own stops
    if (categorical && !polytomous) return "Argument 'categorical' may only be used for categorical or ordinal models";
    if (!categorical && r.family.spec.categories) return "Please set 'categorical' to TRUE";
    if (r.additions.trunc && !kernelOfFamily(kernelFamily(r))!.truncatedEpred) return `brms 2.18 has no expected value of a truncated ${family} distribution`;
    if (r.additions.trunc && r.additions.rate) return "trunc() together with rate() is not supported yet";
  }
  // brms predicts an exact GP at new points by a draw from its conditional normal given the fitted
  // values (and an approximate GP by its basis there); stan2ts does not build either yet.
  if (model.predictors.some((p) => p.gaussianProcesses?.length)) return "stan2ts cannot predict gp() terms at new covariate values yet";
  if (effectsOf(model).length === 0) return "the model has no population-level predictors";
  return undefined;
}

/** The data columns an expression reads. */
function columnsOf(e: Parameters<typeof dataVariablesOf>[0], frame: DataFrame): string[] {
  const found: { name: string; span: Span }[] = [];
  dataVariablesOf(e, found);
  return [...new Set(found.map((v) => v.name).filter((name) => frame.columns.has(name)))];
}

/**
 * brms's default effects (get_all_effects): per dpar (mu first) the variables of each population
 * term and cs() term, of one or two variables (a non-linear mu: each covariate, then each pair),
 * then the nlpars' terms; a multivariate model's are those of all responses, without repeats.
 */
function effectsOf(model: BrmsModel): string[][] {
  const out: string[][] = [];
  for (const vars of termVariablesOf(model)) {
    if (vars.length === 0 || vars.length > 2) continue;
    if (!out.some((e) => e.length === vars.length && e.every((v, k) => v === vars[k]))) out.push([...vars]);
  }
  return out;
}

/** The variables of every term get_all_effects visits, in its order, terms of any order included. */
function termVariablesOf(model: BrmsModel): string[][] {
  const out: string[][] = [];
  const add = (vars: readonly string[]) => out.push([...vars]);
  const linear = (p: Predictor) => {
    const spec = specOf(p);
    const expanded = expandTerms(spec.terms);
    const columns = (term: readonly number[]) => [...new Set(term.flatMap((v) => columnsOf(expanded.variables[v].expr, model.frame)))];
    const isSpecial = (term: readonly number[]) => term.some((v) => isMonotonicCall(expanded.variables[v].expr));
    for (const term of expanded.terms) if (!isSpecial(term)) add(columns(term));
    // mo() terms after the others, each as its variables one by one and then together (brms's get_var_combs)
    for (const term of expanded.terms.filter(isSpecial)) {
      const vars = columns(term);
      for (const v of vars) add([v]);
      add(vars);
    }
    for (const e of spec.cs?.terms ?? []) add(columnsOf(e, model.frame));
    // s(x) and s(x, by = z): each variable alone, then together (brms's get_var_combs, as for mo())
    for (const sm of spec.smooths ?? []) {
      const vars = [sm.covariate.name, ...(sm.by ? [sm.by.name] : [])];
      for (const v of vars) add([v]);
      add(vars);
    }
  };
  for (const r of model.responses) {
    for (const p of [r.mu, ...r.dpars]) {
      if (p.categoryVector) continue;
      if (!p.nonlinear) {
        linear(p);
        continue;
      }
      const covariates = p.nonlinear.covariates.map((v) => v.name);
      covariates.forEach((c) => add([c]));
      covariates.forEach((a, j) => covariates.slice(j + 1).forEach((b) => add([a, b])));
    }
    for (const p of r.nlpars ?? []) linear(p);
  }
  return out;
}

/** conditional_effects(fit, effects = ): the effects brms keeps, its warning about the others, or its error. */
export type RequestedEffects = { readonly effects: string[][]; readonly warning?: string } | { readonly error: string };

/**
 * brms 2.18's reading of `effects =`: each "x" or "x:z" split at ":" (more than two variables is an
 * error), matched in either order against every variable of the model's terms and grouping factors
 * and every pair of them; the matched ones kept in the order given (once each, and without the
 * numeric-first reordering of the default effects), with a warning naming the others, or an error
 * when none matches.
 */
export function requestedEffects(model: BrmsModel, requested: readonly string[]): RequestedEffects {
  const effects = requested.map((e) => e.split(":"));
  if (effects.some((e) => e.length > 2)) return { error: "To display interactions of order higher than 2 please use the 'conditions' argument." };
  const variables = [...new Set([...termVariablesOf(model).flat(), ...model.ids.flatMap((id) => id.groupColumns)])];
  const key = (e: readonly string[]) => [...e].sort().join(":");
  const all = [...variables.map((v) => [v]), ...variables.flatMap((a, i) => variables.slice(i + 1).map((b) => [a, b]))];
  // for each of the model's effects, the first requested effect it matches (brms's match(); 0-based, -1 for none)
  const matches = all.map((a) => effects.findIndex((e) => key(e) === key(a))).filter((m) => m >= 0);
  const valid = `Valid effects are (combinations of): ${variables.map((v) => `'${v}'`).join(", ")}`;
  if (matches.length === 0) return { error: `All specified effects are invalid for this model.\n${valid}` };
  const kept = [...new Set(matches)].sort((a, b) => a - b);
  const warning =
    matches.length < effects.length
      ? `Some specified effects are invalid for this model: ${effects.filter((_, k) => !kept.includes(k)).map((e) => `'${e.join(":")}'`).join(", ")}\n${valid}`
      : undefined;
  const unique = kept.map((k) => effects[k]).filter((e, k, list) => list.findIndex((f) => f.join(":") === e.join(":")) === k);
  return { effects: unique, ...(warning !== undefined ? { warning } : {}) };
}

/** Every data column a response's predictions read: terms, offsets, cs() terms, non-linear covariates. */
function variablesOf(r: ResponseInfo, frame: DataFrame): string[] {
  const out = new Set<string>();
  for (const p of predictorsOf(r)) {
    const spec = specOf(p);
    for (const e of [...spec.terms, ...spec.offsets, ...(spec.cs?.terms ?? [])]) for (const v of columnsOf(e, frame)) out.add(v);
    for (const v of p.nonlinear?.covariates ?? []) out.add(v.name);
    for (const sm of spec.smooths ?? []) for (const v of [sm.covariate, ...(sm.by ? [sm.by] : [])]) out.add(v.name);
  }
  if (r.additions.rate) out.add(r.additions.rate.name);
  // thres(gr = g): the grid takes the thresholds of g's condition
  if (r.mu.thresholdGroups && r.additions.thres?.group) out.add(r.additions.thres.group.name);
  for (const bound of [r.additions.trunc?.lb, r.additions.trunc?.ub]) if (bound?.kind === "column") out.add(bound.column.name);
  return [...out];
}

/** The numeric columns inside mo() calls, which brms treats as integers on the grid. */
function integerVariables(model: BrmsModel): Set<string> {
  const out = new Set<string>();
  for (const p of model.predictors) for (const call of (p.special ?? []).flatMap((t) => t.calls)) if (call.scale.kind === "integer") out.add(call.column);
  return out;
}

/** R's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * R's mean(): the sum divided by n, corrected by the mean residual. A condition's value and an
 * interaction's mean ± sd labels need R's last bit: round(0.175, 2) is 0.17, round of the next double 0.18.
 */
const mean = (values: readonly number[]) => {
  const m = compensatedSum(values) / values.length;
  return m + compensatedSum(values.map((x) => x - m)) / values.length;
};
const sd = (values: readonly number[]) => {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, x) => a + (x - m) ** 2, 0) / (values.length - 1));
};

export function conditionalEffects(model: BrmsModel, fit: PooledDraws, categorical = false, resp?: string, requested?: readonly string[]): ConditionalEffects {
  const frame = model.frame;
  const responses = selectedResponses(model, resp).responses;
  // every variable the model reads is held at its condition (brms's prepare_conditions over the model frame)
  const variables = new Set(model.responses.flatMap((r) => variablesOf(r, frame)));
  const kept = (column: Column) => Array.from(model.rows, (row) => column.values[row]);
  const conditions = new Map<string, number | string>();
  // numbers inside mo() are integers to brms (get_int_vars): held at their rounded median, gridded by 1
  const integers = integerVariables(model);
  for (const v of variables) {
    const column = frame.columns.get(v)!;
    if (column.kind === "numeric") conditions.set(v, integers.has(v) ? roundHalfEven(median(kept(column) as number[])) : mean(kept(column) as number[]));
    else conditions.set(v, keptFactorLevels(column, model.rows)[0]);
  }
  let messages = "";
  // brms's prepare_conditions: trials() variables are set to 1
  if (model.responses.some((r) => r.trials !== undefined)) messages += "Setting all 'trials' variables to 1 by default if not specified otherwise.\n";
  const valuesOf = (name: string, interactionSecond: boolean): (number | string)[] => {
    const column = frame.columns.get(name)!;
    if (column.kind === "character") return keptFactorLevels(column, model.rows);
    const values = kept(column) as number[];
    if (integers.has(name)) {
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      if (!interactionSecond) return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
      // round(median ± mad), listed from the largest as for other numbers
      const m = median(values);
      const spread = mad(values);
      return [roundHalfEven(m + spread), roundHalfEven(m), roundHalfEven(m - spread)];
    }
    if (interactionSecond) {
      // mean − sd, mean, mean + sd, listed from the largest as brms's legend orders them
      const m = mean(values);
      const s = sd(values);
      return [m + s, m, m - s];
    }
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return Array.from({ length: GRID_POINTS }, (_, k) => lo + ((hi - lo) * k) / (GRID_POINTS - 1));
  };
  const isFactor = (name: string) => frame.columns.get(name)!.kind === "character";
  const chosen = requested === undefined ? undefined : requestedEffects(model, requested);
  if (chosen !== undefined && "error" in chosen) throw new Error(`internal error: effects checked before sampling: ${chosen.error}`);
  // R prints the call's warnings together after its output
  const warnings: string[] = chosen?.warning !== undefined ? [chosen.warning] : [];
  let wanted = chosen?.effects ?? effectsOf(model);
  if (categorical && wanted.some((e) => e.length === 2)) {
    wanted = wanted.filter((e) => e.length === 1);
    warnings.push(CATEGORICAL_INTERACTIONS_WARNING);
  }
  const effects: ConditionalEffect[] = [];
  let ordinalPlots = 0;
  for (const effect of wanted) {
    // brms puts a numeric variable first (on the x axis) when a default interaction mixes the two kinds;
    // effects given with `effects =` keep their order
    const ordered = requested === undefined && effect.length === 2 && isFactor(effect[0]) && !isFactor(effect[1]) ? [effect[1], effect[0]] : effect;
    const [first, second] = ordered;
    const firstValues = valuesOf(first, false);
    const secondValues = second === undefined ? [undefined] : valuesOf(second, true);
    const grid = secondValues.flatMap((s) => firstValues.map((x) => ({ x, s })));
    const gridFrame = appendRows(
      frame,
      [...variables],
      grid.map(({ x, s }) => {
        const row = new Map([...conditions, [first, x]]);
        if (second !== undefined) row.set(second, s!);
        return row;
      }),
    );
    for (const r of responses) {
      const rows = responseEffect(model, r, fit, categorical, gridFrame, grid, conditions);
      if (ORDINAL_KINDS.includes(r.family.spec.name) && !categorical) ordinalPlots++;
      const name = (categorical ? `${first}:cats__` : ordered.join(":"));
      effects.push({
        name: model.multivariate ? `${r.resp}.${r.resp}_${name}` : name,
        variable: first,
        factor: isFactor(first),
        rows,
        groupVariable: categorical ? "cats__" : second,
        yTitle: categorical ? (r.family.spec.name === "multinomial" ? "Count" : "Probability") : r.variable,
      });
    }
  }
  if (ordinalPlots > 0) {
    warnings.push(...Array.from({ length: ordinalPlots }, () => ORDINAL_WARNING));
  }
  if (warnings.length === 1) messages += `Warning message:\n${warnings[0]} \n`;
  else if (warnings.length > 1) messages += `Warning messages:\n${warnings.map((w, i) => `${i + 1}: ${w}`).join("\n")}\n`;
  return { effects, messages };
}

/** One response's expected values on the grid (gridFrame's rows after the data's), summarised per grid point. */
function responseEffect(
  model: BrmsModel,
  r: ResponseInfo,
  fit: PooledDraws,
  categorical: boolean,
  gridFrame: DataFrame,
  grid: readonly { x: number | string; s: number | string | undefined }[],
  conditions: ReadonlyMap<string, number | string>,
): EffectRow[] {
  const predictors = predictorsOf(r);
  const frame = model.frame;
  const kernel = kernelOfFamily(kernelFamily(r))!;
  const ordinal = ORDINAL_KINDS.includes(r.family.spec.name);
  const draws = fit.draws(fit.variables[0]).length;
  const trunc = r.additions.trunc;
  const categories = r.categories?.levels;
  const categoryLabels = categories ?? Array.from({ length: (r.mu.thresholds ?? 0) + 1 }, (_, k) => String(k + 1));
  // kept rows first: factor levels and scale()/poly() centring are the data's; the grid rows follow
  const rows = Int32Array.from([...model.rows, ...grid.map((_, k) => frame.nrow + k)]);
  const tail = model.rows.length;
  const linearOnGrid = (p: Predictor): Float64Array[] => {
    const design = populationDesign(specOf(p), gridFrame, rows, tail);
    // an nlpar's X keeps its intercept column (coefficient b_<nlpar>_Intercept)
    const columns = p.nlpar !== undefined && specOf(p).intercept ? [{ name: "(Intercept)", values: new Float64Array(rows.length).fill(1) }, ...design.columns] : design.columns;
    const names = predictorNames(p);
    const intercept = p.intercept && p.thresholds === undefined ? fit.draws(names.bIntercept) : undefined;
    const coefDraws = columns.map((_, j) => fit.draws(`${names.b}_${p.coefs[j]}`));
    // s() terms: mgcv's prediction matrix at the grid's covariate values, mapped as the fit's (brms's s2rPred)
    const gridRows = rows.subarray(tail);
    const smoothColumns = (p.smooths ?? []).map((t) => {
      const x = Float64Array.from(gridRows, (row) => gridFrame.columns.get(t.spec.covariate.name)!.values[row] as number);
      return smoothColumnsAt(t, x, smoothByValues(t, gridFrame, gridRows));
    });
    return grid.map((_, k) => {
      const eta = intercept ? Float64Array.from(intercept) : new Float64Array(draws);
      columns.forEach((c, j) => {
        const x = c.values[tail + k];
        const b = coefDraws[j];
        for (let s = 0; s < eta.length; s++) eta[s] += b[s] * x;
      });
      if (design.offset) for (let s = 0; s < eta.length; s++) eta[s] += design.offset[tail + k];
      // mo() terms at the grid row's codes (the data's coding), without group-level deviations
      if (design.special.length > 0) addSpecialTermDraws(eta, design.special, p.prefix, tail + k, (name) => fit.draws(name), () => []);
      if (p.smooths?.length) {
        const at = (t: (typeof p.smooths)[number]) => smoothColumns[p.smooths!.indexOf(t)];
        addSmoothDraws(eta, p.smooths, p.prefix, (name) => fit.draws(name), (t, j) => at(t).fixed[j][k], (t, j) => at(t).random[j][k]);
      }
      return eta;
    });
  };
  const params = new Map<string, Float64Array[]>();
  const nlparEta = new Map<string, Float64Array[]>();
  for (const p of predictors) {
    if (p.nlpar !== undefined) {
      nlparEta.set(p.nlpar, linearOnGrid(p));
      continue;
    }
    const etas = p.nonlinear
      ? grid.map((_, k) => nonlinearEta(p.nonlinear!, new Map([...nlparEta].map(([name, values]) => [name, values[k]])), gridFrame, frame.nrow + k, draws))
      : linearOnGrid(p);
    // ordinal mu and the category predictors stay on the link scale, as the densities take them
    const linkScale = (p.dpar === "mu" && ordinal) || (categories?.slice(1).some((c) => categoryDparName(c) === p.dpar) ?? false);
    params.set(p.dpar, linkScale ? etas : etas.map((eta) => eta.map((e) => inverseLink(p.link, e))));
  }
  for (const d of r.scalarDpars) {
    const name = scalarDparName(d, r);
    const values = fit.variables.includes(name) ? fit.draws(name) : new Float64Array(draws).fill(Number(d.fixedValue ?? NaN));
    params.set(d.name, grid.map(() => values));
  }
  // a mixture's proportions: the simplex's draws, or the softmax of the theta formulas at each grid point
  const mixture = r.family.spec.mixture;
  if (mixture) {
    const thetas = Array.from({ length: mixture.size }, (_, j) => thetaName(j + 1));
    if (mixtureSimplexSize(r) !== undefined) for (const t of thetas) params.set(t, grid.map(() => fit.draws(t)));
    else {
      const perGrid = grid.map((_, k) => softmaxDraws(thetas.map((t) => params.get(t)?.[k] ?? new Float64Array(draws))));
      thetas.forEach((t, j) => params.set(t, perGrid.map((g) => g[j])));
    }
  }
  const thresholds = ordinal ? gridThresholds(r, fit, conditions) : undefined;
  // cs() terms: each grid point's thresholds less its category-specific predictor
  const csShift = ordinal && r.mu.csCoefs?.length ? categorySpecificOnGrid(r, fit, gridFrame, rows, tail, grid.length) : undefined;
  // rate(): posterior_epred multiplies mu by the denominator, here at its mean
  const denom = r.additions.rate ? (conditions.get(r.additions.rate.name) as number) : 1;
  // trunc(): brms's posterior_epred_trunc at the bounds' conditions; counts sum up to 3 max(mu) at most
  const boundAt = (bound: NonNullable<typeof trunc>["lb"], fallback: number) =>
    bound === undefined ? fallback : bound.kind === "number" ? bound.value : (conditions.get(bound.column.name) as number);
  const lb = boundAt(trunc?.lb, -Infinity);
  let ub = boundAt(trunc?.ub, Infinity);
  if (trunc && kernel.discrete) {
    let maxMu = -Infinity;
    for (const values of params.get("mu")!) for (const v of values) maxMu = Math.max(maxMu, v);
    ub = Math.min(ub, 3 * maxMu);
  }
  const names = [...params.keys()];
  const categoryNames = categories?.slice(1).map(categoryDparName);
  const summary = (x: number | string, values: Float64Array): EffectRow => {
    const sorted = values.sort();
    return { x, estimate: quantile7(sorted, 0.5), lower: quantile7(sorted, 0.025), upper: quantile7(sorted, 0.975) };
  };
  const rowsOut: EffectRow[][] = grid.map(({ x, s }, k) => {
    const at: Record<string, number> = {};
    const row: RowData = {
      trials: 1,
      thres: thresholds ? new Float64Array(thresholds.length) : undefined,
      eta: categoryNames ? new Float64Array(categoryNames.length + 1) : undefined,
    };
    const perCategory = categorical ? categoryLabels.map(() => new Float64Array(draws)) : [];
    const epred = new Float64Array(draws);
    for (let d = 0; d < draws; d++) {
      for (const n of names) at[n] = params.get(n)![k][d];
      if (thresholds) thresholds.forEach((t, j) => ((row.thres as Float64Array)[j] = t[d] - (csShift ? csShift[k][j][d] : 0)));
      if (categoryNames) categoryNames.forEach((n, j) => ((row.eta as Float64Array)[j + 1] = at[n]));
      // a threshold group with fewer categories than the largest has probability 0 for the others
      if (categorical) kernel.categoryEpred!(at, row).forEach((v, c) => (perCategory[c][d] = v));
      else if (trunc) epred[d] = kernel.truncatedEpred!(at, row, lb, ub);
      else epred[d] = kernel.epred(at, row) * denom;
    }
    // categorical = TRUE: one row per category, brms's cats__ as the colour
    if (categorical) return categoryLabels.map((label, c) => ({ ...summary(x, perCategory[c]), group: label }));
    const out = summary(x, epred);
    return [s === undefined ? out : { ...out, group: typeof s === "number" ? roundLabel(s) : s }];
  });
  // categorical = TRUE lists the grid once per category (brms's order: by category, then grid)
  return categorical ? categoryLabels.flatMap((_, c) => rowsOut.map((rows) => rows[c])) : rowsOut.flat();
}

/** An ordinal response's thresholds on the grid: `b_Intercept[k]`, or with thres(gr = g) those of g's condition (`b_Intercept[<group>,k]`). */
function gridThresholds(r: ResponseInfo, fit: PooledDraws, conditions: ReadonlyMap<string, number | string>): Float64Array[] {
  const b = withSuffix("b", r.mu.prefix);
  const groups = r.mu.thresholdGroups;
  if (!groups) return Array.from({ length: r.mu.thresholds! }, (_, k) => fit.draws(`${b}_Intercept[${k + 1}]`));
  const level = String(conditions.get(r.additions.thres!.group!.name));
  const g = groups.levels.indexOf(level);
  return Array.from({ length: groups.counts[g] }, (_, k) => fit.draws(`${b}_Intercept[${level},${k + 1}]`));
}

/** Σ_j Xcs[k, j] · bcs_j[t] per grid point k, threshold t and draw (group-level cs() terms left out, as re_formula = NA). */
function categorySpecificOnGrid(r: ResponseInfo, fit: PooledDraws, gridFrame: DataFrame, rows: Int32Array, tail: number, points: number): Float64Array[][] {
  const mu = r.mu;
  const design = populationDesign({ intercept: true, terms: specOf(mu).cs!.terms, offsets: [] }, gridFrame, rows, tail);
  const draws = fit.draws(fit.variables[0]).length;
  const bcs = mu.csCoefs!.map((coef) => Array.from({ length: mu.thresholds! }, (_, t) => fit.draws(`${withSuffix("bcs", mu.prefix)}_${coef}[${t + 1}]`)));
  return Array.from({ length: points }, (_, k) =>
    Array.from({ length: mu.thresholds! }, (_, t) => {
      const shift = new Float64Array(draws);
      design.columns.forEach((c, j) => {
        const x = c.values[tail + k];
        const b = bcs[j][t];
        for (let s = 0; s < draws; s++) shift[s] += b[s] * x;
      });
      return shift;
    }),
  );
}

/**
 * brms labels an interaction's numeric values by round(value, 2), which R 4 takes as the nearer of
 * the two two-decimal candidates to the double itself (0.175, stored just below, gives 0.17), ties
 * to the even one.
 */
function roundLabel(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const a = Math.abs(value);
  const lowHundredths = Math.floor(a * 100);
  const lo = lowHundredths / 100;
  const hi = Math.ceil(a * 100) / 100;
  const useHi = hi - a < a - lo || (hi - a === a - lo && lowHundredths % 2 === 1);
  return String((value < 0 ? -1 : 1) * (useHi ? hi : lo));
}

/** The frame with extra rows holding the given values of `variables` (other columns missing). */
function appendRows(frame: DataFrame, variables: readonly string[], extra: readonly Map<string, number | string>[]): DataFrame {
  const columns = new Map<string, Column>();
  for (const [name, column] of frame.columns) {
    if (!variables.includes(name)) {
      columns.set(name, column);
      continue;
    }
    if (column.kind === "numeric") {
      const values = new Float64Array(frame.nrow + extra.length);
      values.set(column.values);
      extra.forEach((row, k) => (values[frame.nrow + k] = row.get(name) as number));
      columns.set(name, { kind: "numeric", values });
    } else {
      // A factor keeps its levels and contrasts (terms/design.ts codes the grid rows as the data).
      columns.set(name, { ...column, values: [...column.values, ...extra.map((row) => row.get(name) as string)] });
    }
  }
  return { ...frame, nrow: frame.nrow + extra.length, columns };
}
