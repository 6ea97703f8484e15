/**
 * brms's `conditional_effects(fit)` for each variable of mu's population terms: the expected
 * response (posterior_epred, group-level effects left out as with re_formula = NA) along a
 * 100-point grid over a numeric variable's range, or at each level of a factor, with every other
 * numeric variable at its mean and every other factor at its reference level; summarised by the
 * median and the 2.5% and 97.5% quantiles over the draws (brms's robust default).
 */
import type { Span } from "../../common/span";
import type { BrmsModel, Predictor } from "../buildModel";
import type { Column, DataFrame } from "../dataFrame";
import type { LinearSpec } from "../formula";
import { predictorNames, scalarDparName } from "../emitStanProgram";
import type { RExpr } from "../rAst";
import { dataVariablesOf, populationDesign } from "../terms/design";
import { factorLevels } from "../terms/levels";
import { inverseLink, unsupportedAdditions } from "./observationModel";
import type { EffectRow } from "./plotSpecs";
import { quantile7, type PooledDraws } from "./summaries";

const GRID_POINTS = 100;

/** Families whose expected response is mu itself. */
const EPRED_IS_MU = new Set(["gaussian", "student", "poisson", "negbinomial", "geometric", "bernoulli", "gamma", "weibull", "exponential", "beta", "skew_normal"]);

export interface ConditionalEffect {
  readonly variable: string;
  readonly factor: boolean;
  readonly rows: readonly EffectRow[];
}

function specOf(p: Predictor): LinearSpec {
  return (p as Predictor & { spec: LinearSpec }).spec;
}

/** Why conditional_effects() cannot run on this model, or undefined when it can. */
export function unsupportedConditionalEffects(model: BrmsModel): string | undefined {
  if (model.multivariate) return "multivariate models are not supported yet";
  const r = model.responses[0];
  const family = r.family.spec.name;
  if (!EPRED_IS_MU.has(family) && family !== "lognormal") return `the ${family} family is not supported yet`;
  for (const p of [r.mu, ...r.dpars]) {
    const spec = specOf(p);
    if (spec.offsets.length > 0) return "models with offset() terms are not supported yet";
    if (spec.terms.some(usesDataDependentFunction)) return "terms with scale() or poly() are not supported yet";
  }
  if (specOf(r.mu).terms.length === 0) return "the model has no population-level predictors";
  return unsupportedAdditions(model);
}

function usesDataDependentFunction(e: RExpr): boolean {
  if (e.kind === "Call" && e.fn.kind === "Name" && (e.fn.name === "scale" || e.fn.name === "poly")) return true;
  return Object.values(e).some((v) => (Array.isArray(v) ? v.some((x) => isExpr(x) && usesDataDependentFunction(x)) || v.some((x) => isArg(x) && usesDataDependentFunction(x.value)) : isExpr(v) && usesDataDependentFunction(v)));
}

function isExpr(v: unknown): v is RExpr {
  return typeof v === "object" && v !== null && "kind" in v && "span" in v;
}

function isArg(v: unknown): v is { value: RExpr } {
  return typeof v === "object" && v !== null && "value" in v && isExpr((v as { value: unknown }).value);
}

export function conditionalEffects(model: BrmsModel, fit: PooledDraws): ConditionalEffect[] {
  const r = model.responses[0];
  const predictors = [r.mu, ...r.dpars];
  const frame = model.frame;
  // data columns of the population terms (not group-level slopes, not `0 + Intercept`)
  const populationVariables = (p: Predictor) => {
    const found: { name: string; span: Span }[] = [];
    for (const term of specOf(p).terms) dataVariablesOf(term, found);
    return found.map((v) => v.name).filter((name) => frame.columns.has(name));
  };
  const variables = [...new Set(predictors.flatMap(populationVariables))];
  const effects = populationVariables(r.mu);
  const kept = (column: Column) => Array.from(model.rows, (row) => column.values[row]);
  // the conditions brms holds the other variables at: numeric means, factors' first levels
  const conditions = new Map<string, number | string>();
  for (const v of variables) {
    const column = frame.columns.get(v)!;
    if (column.kind === "numeric") conditions.set(v, (kept(column) as number[]).reduce((a, x) => a + x, 0) / model.rows.length);
    else conditions.set(v, factorLevels(kept(column) as string[]).levels[0]);
  }
  return effects.map((effect) => {
    const column = frame.columns.get(effect)!;
    const factor = column.kind === "character";
    let grid: (number | string)[];
    if (factor) grid = factorLevels(kept(column) as string[]).levels;
    else {
      const values = kept(column) as number[];
      const lo = Math.min(...values);
      const hi = Math.max(...values);
      grid = Array.from({ length: GRID_POINTS }, (_, k) => lo + ((hi - lo) * k) / (GRID_POINTS - 1));
    }
    const gridFrame = appendRows(frame, variables, grid.map((x) => new Map([...conditions, [effect, x]])));
    // kept rows first so factor levels are the data's; the grid rows follow
    const rows = Int32Array.from([...model.rows, ...grid.map((_, k) => frame.nrow + k)]);
    const tail = model.rows.length;
    const params = new Map<string, Float64Array[]>();
    for (const p of predictors) {
      const design = populationDesign(specOf(p), gridFrame, rows);
      const names = predictorNames(p);
      const intercept = p.intercept ? fit.draws(names.bIntercept) : undefined;
      const coefDraws = design.columns.map((_, j) => fit.draws(`${names.b}_${p.coefs[j]}`));
      params.set(
        p.dpar,
        grid.map((_, k) => {
          const eta = intercept ? Float64Array.from(intercept) : new Float64Array(fit.draws(fit.variables[0]).length);
          design.columns.forEach((c, j) => {
            const x = c.values[tail + k];
            const b = coefDraws[j];
            for (let s = 0; s < eta.length; s++) eta[s] += b[s] * x;
          });
          return eta.map((e) => inverseLink(p.link, e));
        }),
      );
    }
    const mu = params.get("mu")!;
    const sigma = r.family.spec.name === "lognormal" ? (params.get("sigma") ?? grid.map(() => fit.draws(scalarDparName(r.scalarDpars.find((d) => d.name === "sigma")!, r)))) : undefined;
    const rowsOut = grid.map((x, k) => {
      const epred = sigma ? mu[k].map((m, s) => Math.exp(m + sigma[k][s] ** 2 / 2)) : mu[k];
      const sorted = Float64Array.from(epred).sort();
      return { x, estimate: quantile7(sorted, 0.5), lower: quantile7(sorted, 0.025), upper: quantile7(sorted, 0.975) };
    });
    return { variable: effect, factor, rows: rowsOut };
  });
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
      columns.set(name, { kind: "character", values: [...column.values, ...extra.map((row) => row.get(name) as string)] });
    }
  }
  return { ...frame, nrow: frame.nrow + extra.length, columns };
}
