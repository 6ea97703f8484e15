/**
 * Runs the calls a script makes on its fit after brm() (`print(m1)`, `fixef(m1)`,
 * `write.csv(as_draws_df(m1), "d.csv")`, …) on the draws, in script order, and returns what R
 * would print; files are written through `writeFile`.
 */
import { pow } from "../../runtime/math/elementary";
import { fail } from "../../common/diagnostics";
import { Xoshiro128 } from "../../runtime/rng/xoshiro128";
import type { TopLevelSpec } from "../../views/renderVegaLite";
import type { BrmsModel, ResponseInfo } from "../buildModel";
import { isOrdinalKind, THRESHOLD_COMBINATION, type ThresholdCombination } from "../families/ordinal";
import type { PostFitCall } from "../evalScript";
import type { FitSummaryChoice } from "../summaryArguments";
import { parseRScript } from "../parseRScript";
import { deparseR, type RExpr } from "../rAst";
import { formatDrawsCsv } from "./drawsCsv";
import { printArrayList, printHypotheses, printSummaryMatrix, printVarCorr } from "./printSummaries";
import { conditionalEffects, requestedEffects, unsupportedConditionalEffects } from "./conditionalEffects";
import { looPointwise, printLoo, printWaic, waicPointwise } from "./loo";
import { ModelLogLik, ObservationModel, selectedResponses, unsupportedLoo, unsupportedObservationModel, unsupportedPredictions } from "./observationModel";
import { conditionalEffectSpec, defaultPlotVariables, mcmcComboSpec, ppcDensOverlaySpec, ppcHistSpec, ppcStatSpec } from "./plotSpecs";
import {
  bayesR2Draws, coef, coefDraws, fixef, groupDraws, hypothesisSummary, mean, posteriorSummary, ranef, summaryColumns, summaryRow, varCorr,
  type HypothesisResult, type PooledDraws, type SummaryMatrix,
} from "./summaries";

/** The fit's draws by brms name, per chain (post-warmup, equal lengths). */
export interface FitDraws {
  readonly variables: readonly string[];
  drawsByChain(name: string): readonly Float64Array[];
}

export interface PostFitContext {
  readonly draws: FitDraws;
  /** brms's `print(fit)` text (also `summary(fit)`), with `prob`/`robust` when the call gives them. */
  printFit(options?: FitSummaryChoice): string;
  priorSummary(): string;
  /** Scalar sigma variables → the response name VarCorr's `residual__` rows carry. */
  readonly residualNames: ReadonlyMap<string, string>;
  writeFile(path: string, text: string): void;
  /** The model (design, data, family) that pp_check(), conditional_effects() and loo() evaluate. */
  readonly model: BrmsModel;
  /** The run's seed: pp_check() picks its draws and simulates replications from it. */
  readonly seed: number;
  /** A plot to render as SVG under `name` (next to the script's other outputs). */
  writePlot(name: string, spec: TopLevelSpec): void;
}

function pooled(draws: FitDraws): PooledDraws {
  const cache = new Map<string, Float64Array>();
  return {
    variables: draws.variables,
    draws(name) {
      let x = cache.get(name);
      if (!x) {
        const chains = draws.drawsByChain(name);
        x = new Float64Array(chains.reduce((n, c) => n + c.length, 0));
        let offset = 0;
        for (const c of chains) {
          x.set(c, offset);
          offset += c.length;
        }
        cache.set(name, x);
      }
      return x;
    },
  };
}

/** How an ordinal response's thresholds meet its linear predictor (its family's THRESHOLD_COMBINATION), for coef(). */
function thresholdCombination(model: BrmsModel, resp: string | undefined): ThresholdCombination | undefined {
  const response = resp === undefined ? model.responses[0] : model.responses.find((r) => r.resp === resp);
  const family = response?.family.spec.name;
  return family !== undefined && isOrdinalKind(family) ? THRESHOLD_COMBINATION[family] : undefined;
}

/** Located errors for calls the model does not support (checked before sampling, so no run is wasted). */
export function checkPostFitCalls(calls: readonly PostFitCall[], model: BrmsModel): void {
  for (const call of calls) {
    if (!["pp_check", "loo", "waic", "conditional_effects", "bayes_R2"].includes(call.fn)) continue;
    const { responses, error } = selectedResponses(model, call.resp);
    // brms's own stops for resp: a name that is no response; pp_check of a multivariate model without one
    if (error !== undefined) fail("Semantic error", call.respSpan ?? call.span, `${error}`);
    if (call.fn === "pp_check" && responses.length !== 1) {
      fail("Semantic error", call.span, "Argument 'resp' must be a single variable name when applying this method to a multivariate model.", [
        `pp_check() of a multivariate model shows one response: pp_check(${call.fitName}, resp = "${responses[0].resp}").`,
      ]);
    }
    // me()/mi(): the predictions would need each draw's latent or imputed values, which stan2ts does not read yet
    const latent = model.responses.some((r) => r.additions.mi) || model.predictors.some((p) => p.special?.some((t) => t.latent.length > 0));
    const why = latent
      ? "predictions of models with me() or mi() terms (latent or imputed values) are not implemented yet"
      : call.fn === "pp_check"
        ? unsupportedPredictions(model, responses[0])
        : call.fn === "loo" || call.fn === "waic"
          ? unsupportedLoo(model, responses)
          : call.fn === "bayes_R2"
            ? unsupportedBayesR2(model, responses)
            : unsupportedConditionalEffects(model, call.categorical, responses);
    if (why !== undefined) fail("Semantic error", call.span, `${call.fn}(${call.fitName}) is not supported by stan2ts for this model: ${why}.`, ["Remove the call."]);
    if (call.fn === "conditional_effects" && call.effects !== undefined) {
      const chosen = requestedEffects(model, call.effects);
      // brms's own stops: no effect of the model, or one of more than two variables
      if ("error" in chosen) fail("Semantic error", call.effectsSpan ?? call.span, chosen.error);
      const groupColumns = new Set(model.ids.flatMap((id) => id.groupColumns));
      const grouping = chosen.effects.flat().find((v) => groupColumns.has(v));
      if (grouping !== undefined) {
        fail("Semantic error", call.effectsSpan ?? call.span, `conditional_effects() of the grouping variable '${grouping}' is not supported by stan2ts.`, ["Give population-level variables as effects."]);
      }
    }
  }
}

/** Output of every call, each as R prints it (auto-printed at top level). */
export function runPostFit(calls: readonly PostFitCall[], context: PostFitContext): string {
  checkPostFitCalls(calls, context.model);
  const fit = pooled(context.draws);
  const names = new FileNames();
  let out = "";
  for (const call of calls) {
    switch (call.fn) {
      case "print":
      case "summary":
        out += context.printFit(call.fitSummary);
        break;
      case "prior_summary":
        out += context.priorSummary();
        break;
      case "fixef":
        out += printSummaryMatrix(fixef(fit, call.summary));
        break;
      case "posterior_summary":
        out += printSummaryMatrix(posteriorSummary(fit, call.summary));
        break;
      case "ranef":
      case "coef": {
        const groups = call.fn === "ranef" ? ranef(fit, call.summary) : coef(fit, (resp) => thresholdCombination(context.model, resp), context.model?.multivariate === true, call.summary);
        if (groups.size === 0) fail("Semantic error", call.span, `${call.fn}(${call.fitName}): the model has no group-level effects.`, ["Use fixef() for population-level effects."]);
        out += printArrayList(groups);
        break;
      }
      case "VarCorr": {
        const groups = varCorr(fit, context.residualNames, call.summary);
        // brms's VarCorr.brmsfit stops only when the fit has no group-level terms and no variable named
        // sigma or sigma_<…>; a sigma that is predicted (or fixed by se()) then leaves R's empty list
        if (groups.size === 0 && !fit.variables.some((v) => /^sigma($|_)/.test(v))) {
          fail("Semantic error", call.span, "The model does not contain covariance matrices.", [`VarCorr(${call.fitName}) needs group-level terms or a residual sigma.`]);
        }
        out += groups.size === 0 ? "list()\n" : printVarCorr(groups);
        break;
      }
      case "hypothesis":
        out += runHypothesis(call, fit, context.model);
        break;
      case "as_draws_df":
        context.writeFile(call.file ?? "draws.csv", formatDrawsCsv(context.draws, call.writer));
        break;
      case "plot":
        plotFit(call, context, names);
        break;
      case "pp_check":
        out += ppCheck(call, context, fit, names);
        break;
      case "conditional_effects": {
        const { effects, messages } = conditionalEffects(context.model, fit, call.categorical, call.resp, call.effects);
        for (const effect of effects) {
          const spec = conditionalEffectSpec(effect.variable, effect.yTitle, effect.rows, effect.factor, effect.groupVariable);
          context.writePlot(names.unique(`${call.fitName}_conditional_effects_${fileSafe(effect.name)}.svg`), spec);
        }
        out += messages;
        break;
      }
      case "loo":
        out += loo(call, context, fit);
        break;
      case "waic":
        out += waic(call, context, fit);
        break;
      case "bayes_R2":
        out += bayesR2(call, context, fit);
        break;
    }
  }
  return out;
}

/** File names not yet used in this run (a second pp_check() gets `_2`). */
class FileNames {
  private readonly used = new Set<string>();
  unique(name: string): string {
    let candidate = name;
    for (let k = 2; this.used.has(candidate); k++) candidate = name.replace(/\.svg$/, `_${k}.svg`);
    this.used.add(candidate);
    return candidate;
  }
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** plot(fit): brms's default variables, N a page, as bayesplot's mcmc_combo (density | trace). */
function plotFit(call: PostFitCall, context: PostFitContext, names: FileNames): void {
  const dpars = context.model.responses[0].family.spec.dpars.map((d) => d.name);
  const variables = defaultPlotVariables(context.draws.variables, dpars);
  if (variables.length === 0) fail("Semantic error", call.span, "plot(): No valid variables selected.");
  const perPage = call.perPage ?? 5;
  const pages = Math.ceil(variables.length / perPage);
  for (let page = 0; page < pages; page++) {
    const chunk = variables.slice(page * perPage, (page + 1) * perPage).map((name) => ({ name, chains: context.draws.drawsByChain(name) }));
    const suffix = pages === 1 ? "" : `_${page + 1}`;
    context.writePlot(names.unique(`${call.fitName}_plot${suffix}.svg`), mcmcComboSpec(chunk));
  }
}

/** pp_check(fit): brms's posterior_predict on ndraws draws picked at random (from the run's seed), then bayesplot's plot. */
function ppCheck(call: PostFitCall, context: PostFitContext, fit: PooledDraws, names: FileNames): string {
  const response = selectedResponses(context.model, call.resp).responses[0];
  const observations = new ObservationModel(context.model, fit, response);
  const type = call.ppcType ?? "dens_overlay";
  const total = observations.draws;
  let message = "";
  let ndraws = call.ndraws;
  if (ndraws === undefined) {
    ndraws = type === "stat" ? total : 10;
    message = type === "stat" ? `Using all posterior draws for ppc type '${type}' by default.\n` : `Using ${ndraws} posterior draws for ppc type '${type}' by default.\n`;
  }
  if (ndraws > total) fail("Semantic error", call.span, `pp_check(): ndraws = ${ndraws} is more than the ${total} posterior draws.`);
  const rng = new Xoshiro128(context.seed);
  const ids = sampleWithoutReplacement(total, ndraws, rng);
  let yrep = observations.predict(ids, rng);
  let y = observations.y;
  const cens = response.additionData.cens;
  if (cens) {
    // brms shows only the uncensored responses (and says so)
    const keep = (values: Float64Array) => values.filter((_, i) => cens[i] === 0);
    if (!cens.some((c) => c === 0)) fail("Semantic error", call.span, "pp_check(): No non-censored responses found.");
    y = keep(y);
    yrep = yrep.map(keep);
    message += "Warning message:\nCensored responses are not shown in 'pp_check'. \n";
  }
  const spec = type === "hist" ? ppcHistSpec(y, yrep) : type === "stat" ? ppcStatSpec("mean", mean(y), Float64Array.from(yrep, (draw) => mean(draw))) : ppcDensOverlaySpec(y, yrep);
  const respSuffix = context.model.multivariate ? `_${response.resp}` : "";
  context.writePlot(names.unique(`${call.fitName}_pp_check${respSuffix}${type === "dens_overlay" ? "" : `_${type}`}.svg`), spec);
  return message;
}

/** `ndraws` distinct draw indices in random order (as R's sample()); all draws in order when every draw is wanted. */
function sampleWithoutReplacement(total: number, ndraws: number, rng: Xoshiro128): number[] {
  const pool = Array.from({ length: total }, (_, i) => i);
  if (ndraws === total) return pool;
  for (let k = 0; k < ndraws; k++) {
    const j = k + Math.floor(rng.uniform() * (total - k));
    [pool[k], pool[j]] = [pool[j], pool[k]];
  }
  return pool.slice(0, ndraws);
}

/** loo(fit): PSIS-LOO of the pointwise log-likelihood, printed as print(loo(fit)). */
function loo(call: PostFitCall, context: PostFitContext, fit: PooledDraws): string {
  const observations = new ModelLogLik(context.model, fit, selectedResponses(context.model, call.resp).responses);
  const chainLengths = context.draws.drawsByChain(context.draws.variables[0]).map((c) => c.length);
  const pointwise = Array.from({ length: observations.n }, (_, i) => {
    const logLik = observations.logLik(i);
    let offset = 0;
    const byChain = chainLengths.map((n) => logLik.subarray(offset, (offset += n)));
    return looPointwise(byChain);
  });
  const text = printLoo({ draws: observations.draws, pointwise });
  // brms's recommend_loo_options(): a warning R shows after the printed result
  const high = pointwise.filter((p) => p.paretoK > 0.7).length;
  if (high === 0) return text;
  return `${text}Warning message:\nFound ${high} observations with a pareto_k > 0.7 in model '${call.fitName}'. It is recommended to set 'moment_match = TRUE' in order to perform moment matching for problematic observations. \n`;
}

/**
 * waic(fit): loo's WAIC from the same pointwise log-likelihood loo() reads, printed as loo 2.5
 * prints it; p_waic above 0.4 adds loo's line to the print and its warning after it.
 */
function waic(call: PostFitCall, context: PostFitContext, fit: PooledDraws): string {
  const observations = new ModelLogLik(context.model, fit, selectedResponses(context.model, call.resp).responses);
  const pointwise = Array.from({ length: observations.n }, (_, i) => waicPointwise(observations.logLik(i)));
  const { text, warning } = printWaic({ draws: observations.draws, pointwise });
  return warning === undefined ? text : `${text}Warning message:\n${warning}\n`;
}

/** Why bayes_R2() cannot run on these responses (brms's stop for categorical models), or undefined. */
function unsupportedBayesR2(model: BrmsModel, responses: readonly ResponseInfo[]): string | undefined {
  const why = unsupportedObservationModel(model, responses);
  if (why !== undefined) return why;
  const categorical = responses.find((r) => r.family.spec.categories === true || r.responseColumns !== undefined);
  if (categorical) return `'bayes_R2' is not defined for unordered categorical models (${categorical.family.spec.name}), as brms 2.18 says`;
  return undefined;
}

/**
 * bayes_R2(fit): per response and draw, var(epred) / (var(epred) + var(y − epred)) over the
 * observations (brms's .bayes_R2 with posterior_epred; ordinal responses by their mean category,
 * with brms's warning), summarised as posterior_summary does (rows R2<resp>).
 */
function bayesR2(call: PostFitCall, context: PostFitContext, fit: PooledDraws): string {
  const responses = selectedResponses(context.model, call.resp).responses;
  const columns = responses.map((r) => {
    const observations = new ObservationModel(context.model, fit, r);
    const epred = Array.from({ length: observations.n }, (_, i) => observations.epred(i));
    return { name: `R2${context.model.multivariate ? r.resp : ""}`, draws: bayesR2Draws(observations.y, epred) };
  });
  const options = call.summary ?? { probs: [0.025, 0.975], robust: false };
  const table: SummaryMatrix = { rows: columns.map((c) => c.name), columns: summaryColumns(options), values: columns.map((c) => summaryRow(c.draws, options)) };
  const ordinal = responses.some((r) => isOrdinalKind(r.family.spec.name));
  const warning = ordinal ? "Warning message:\nPredictions are treated as continuous variables in 'bayes_R2' which is likely invalid for ordinal families.\n" : "";
  return printSummaryMatrix(table) + warning;
}

/** Where a hypothesis's names find their draws: the fit's variables under a class prefix, or one group level's ranef()/coef() terms. */
interface HypothesisSource {
  /** The name brms looks for (`b_day01`; the term itself for a group level). */
  readonly fullName: (name: string) => string;
  readonly draws: (fullName: string) => Float64Array | undefined;
  /** Hints for names it lacks. */
  readonly missingHints: (mentioned: readonly string[]) => string[];
  readonly drawCount: number;
}

/**
 * hypothesis(fit, …): with scope = "standard" the draws of a class (`b_` unless `class =` says
 * otherwise); with scope = "ranef" / "coef" every hypothesis is tested at each level of `group` on
 * ranef()/coef() draws (brms's hypothesis_coef), rows hypothesis by hypothesis, then level by level.
 */
function runHypothesis(call: PostFitCall, fit: PooledDraws, model: BrmsModel | undefined): string {
  const hypotheses = call.hypotheses ?? [];
  const scope = call.hypothesisScope?.scope ?? "standard";
  if (scope === "standard") {
    const prefix = call.hypothesisClass?.variablePrefix ?? "b_";
    const classLabel = call.hypothesisClass?.classLabel ?? "b";
    const source: HypothesisSource = {
      fullName: (name) => `${prefix}${name}`,
      draws: (full) => (fit.variables.includes(full) ? fit.draws(full) : undefined),
      drawCount: fit.draws(fit.variables[0]).length,
      missingHints: (mentioned) => {
        const ofClass = (p: string) => fit.variables.filter((v) => v.startsWith(p)).map((v) => v.slice(p.length));
        const hints = [`hypothesis() reads class ${classLabel === "" ? "NULL" : classLabel} here; its names: ${ofClass(prefix).join(", ") || "none"}.`];
        for (const other of ["b", "bsp", "bcs"]) {
          // a cs() coefficient is x[1], x[2], … in its own class
          const inOther = (name: string) => fit.variables.some((v) => v === `${other}_${name}` || v.startsWith(`${other}_${name}[`));
          if (`${other}_` !== prefix && mentioned.some(inOther)) hints.push(`For the ${other}_ coefficients write hypothesis(…, class = "${other}").`);
        }
        return hints;
      },
    };
    return printHypotheses(hypotheses.map((text) => evaluateHypothesis(call, text, source)), call.alpha, classLabel);
  }
  const groups = scope === "ranef" ? groupDraws(fit) : coefDraws(fit, (resp) => (model ? thresholdCombination(model, resp) : undefined), model?.multivariate === true);
  const group = call.hypothesisScope?.group ?? "";
  const chosen = groups.get(group);
  if (!chosen) {
    const names = [...groups.keys()];
    fail("Semantic error", call.span, `'group' should be one of ${names.map((g) => `'${g}'`).join(", ")}`, [
      names.length === 0 ? "The model has no group-level effects." : `Write hypothesis(${call.fitName}, …, scope = "${scope}", group = "${names[0]}").`,
    ]);
  }
  const terms = [...chosen.terms.keys()];
  const results: HypothesisResult[] = [];
  const levels: string[] = [];
  for (const text of hypotheses) {
    chosen.levels.forEach((level, l) => {
      const source: HypothesisSource = {
        fullName: (name) => name,
        draws: (name) => chosen.terms.get(name)?.[l],
        drawCount: fit.draws(fit.variables[0]).length,
        missingHints: () => [`hypothesis(scope = "${scope}") reads the ${scope}() terms of ${group}: ${terms.join(", ")}.`],
      };
      results.push(evaluateHypothesis(call, text, source));
      levels.push(level);
    });
  }
  return printHypotheses(results, call.alpha, "", levels);
}

/**
 * brms's reading of "left (= | < | >) right": draws of (left) − (right), whose names are looked up
 * in `source` (`Intercept[1]`, `moedu` with class = "bsp", `x[1]` with class = "bcs", `Intercept`
 * with class = "sd", group = "g", `r_g[1,Intercept]` with class = NULL, a level's `day01` with scope).
 */
function evaluateHypothesis(call: PostFitCall, hypothesis: string, source: HypothesisSource): HypothesisResult {
  const span = call.argSpan ?? call.span;
  const text = hypothesis.replace(/[ \t\r\n]/g, "");
  const signs = text.match(/[=<>]/g) ?? [];
  const sides = text.split(/[=<>]+/).filter((s) => s.length > 0);
  if (signs.length !== 1 || sides.length !== 2) fail("Semantic error", span, "Every hypothesis must be of the form 'left (= OR < OR >) right'.");
  const sign = signs[0] as "<" | ">" | "=";
  const parse = (side: string): RExpr => {
    const parsed = parseRScript(side, `${span.file} (hypothesis)`);
    if (parsed.statements.length !== 1) fail("Semantic error", span, `'${side}' is not an expression.`);
    return parsed.statements[0];
  };
  const left = parse(sides[0]);
  const right = parse(sides[1]);
  // brms's find_vars: names with ':' (interactions) and a bracketed index (`Intercept[1]`, `x[2]`, `r_g[1,Intercept]`)
  const indexText = (a: RExpr): string | undefined => (a.kind === "Num" ? a.text : a.kind === "Name" ? a.name : undefined);
  const variableName = (e: RExpr): string | undefined => {
    if (e.kind === "Name") return e.name;
    if (e.kind === "Binary" && e.op === ":") {
      const a = variableName(e.left);
      const b = variableName(e.right);
      return a !== undefined && b !== undefined ? `${a}:${b}` : undefined;
    }
    if (e.kind === "Index" && e.target.kind === "Name" && e.args.length > 0 && e.args.every((a) => a.name === undefined && indexText(a.value) !== undefined)) {
      return `${e.target.name}[${e.args.map((a) => indexText(a.value)).join(",")}]`;
    }
    return undefined;
  };
  const mentioned: string[] = [];
  const collect = (e: RExpr): void => {
    const name = variableName(e);
    if (name !== undefined) {
      if (!mentioned.includes(name)) mentioned.push(name);
    } else if (e.kind === "Paren") collect(e.inner);
    else if (e.kind === "Unary") collect(e.operand);
    else if (e.kind === "Binary") {
      collect(e.left);
      collect(e.right);
    }
  };
  collect(left);
  if (sides[1] !== "0") collect(right);
  const missing = mentioned.map(source.fullName).filter((v) => source.draws(v) === undefined);
  if (missing.length > 0) {
    fail("Semantic error", span, `Some parameters cannot be found in the model: \n${missing.map((v) => `'${v}'`).join(", ")}`, source.missingHints(mentioned));
  }
  const n = source.drawCount;
  const value = (e: RExpr): Float64Array => {
    const name = variableName(e);
    if (name !== undefined) return source.draws(source.fullName(name)) as Float64Array;
    switch (e.kind) {
      case "Num":
        return new Float64Array(n).fill(e.value);
      case "Paren":
        return value(e.inner);
      case "Unary":
        if (e.op === "-") return value(e.operand).map((x) => -x);
        if (e.op === "+") return value(e.operand);
        break;
      case "Binary": {
        const a = value(e.left);
        const b = value(e.right);
        const op = e.op;
        if (op === "+") return a.map((x, i) => x + b[i]);
        if (op === "-") return a.map((x, i) => x - b[i]);
        if (op === "*") return a.map((x, i) => x * b[i]);
        if (op === "/") return a.map((x, i) => x / b[i]);
        if (op === "^") return a.map((x, i) => pow(x, b[i]));
        break;
      }
      default:
        break;
    }
    return fail("Semantic error", span, `'${deparseR(e)}' is not supported in a hypothesis; use population-level effects, numbers, + - * / ^ and parentheses.`);
  };
  const l = value(left);
  const contrast = sides[1] === "0" ? l : ((r) => l.map((x, i) => x - r[i]))(value(right));
  const name = `(${sides[0]})${sides[1] !== "0" ? `-(${sides[1]})` : ""} ${sign} 0`;
  return hypothesisSummary(name, sign, contrast, call.alpha, call.robust);
}

/**
 * VarCorr's `residual__` entry: sigma per response (`sigma`, or `sigma_<resp>` in a multivariate
 * model) named by the response, listed by brms for the responses whose sigma is one parameter —
 * in a multivariate model none when some response predicts sigma (brms's VarCorr.brmsfit).
 */
export function residualNamesOf(model: BrmsModel): Map<string, string> {
  const out = new Map<string, string>();
  if (model.responses.some((r) => r.dpars.some((p) => p.dpar === "sigma"))) return out;
  for (const r of model.responses) {
    if (r.scalarDpars.some((d) => d.name === "sigma")) out.set(model.multivariate ? `sigma_${r.resp}` : "sigma", r.resp);
  }
  return out;
}
