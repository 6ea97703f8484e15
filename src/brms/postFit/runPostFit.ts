/**
 * Runs the calls a script makes on its fit after brm() (`print(m1)`, `fixef(m1)`,
 * `write.csv(as_draws_df(m1), "d.csv")`, …) on the draws, in script order, and returns what R
 * would print; files are written through `writeFile`.
 */
import { pow } from "../../runtime/math/elementary";
import { fail } from "../../common/diagnostics";
import { Xoshiro128 } from "../../runtime/rng/xoshiro128";
import type { TopLevelSpec } from "../../views/renderVegaLite";
import type { BrmsModel } from "../buildModel";
import type { PostFitCall } from "../evalScript";
import type { FitSummaryChoice } from "../summaryArguments";
import { parseRScript } from "../parseRScript";
import { deparseR, type RExpr } from "../rAst";
import { formatDrawsCsv } from "./drawsCsv";
import { printArrayList, printHypotheses, printSummaryMatrix, printVarCorr } from "./printSummaries";
import { conditionalEffects, requestedEffects, unsupportedConditionalEffects } from "./conditionalEffects";
import { looPointwise, printLoo } from "./loo";
import { ModelLogLik, ObservationModel, selectedResponses, unsupportedLoo, unsupportedPredictions } from "./observationModel";
import { conditionalEffectSpec, defaultPlotVariables, mcmcComboSpec, ppcDensOverlaySpec, ppcHistSpec, ppcStatSpec } from "./plotSpecs";
import { coef, fixef, hypothesisSummary, mean, posteriorSummary, ranef, varCorr, type PooledDraws, type ThresholdCombination } from "./summaries";

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

/** brms's family specials thres_minus_eta (cumulative, sratio) and eta_minus_thres (cratio, acat) of a response. */
function thresholdCombination(model: BrmsModel, resp: string | undefined): ThresholdCombination | undefined {
  const response = resp === undefined ? model.responses[0] : model.responses.find((r) => r.resp === resp);
  const family = response?.family.spec.name;
  return family === "cumulative" || family === "sratio" ? "thresholds-minus-eta"
    : family === "cratio" || family === "acat" ? "eta-minus-thresholds"
    : undefined;
}

/** Located errors for calls the model does not support (checked before sampling, so no run is wasted). */
export function checkPostFitCalls(calls: readonly PostFitCall[], model: BrmsModel): void {
  for (const call of calls) {
    if (call.fn !== "pp_check" && call.fn !== "loo" && call.fn !== "conditional_effects") continue;
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
        : call.fn === "loo"
          ? unsupportedLoo(model, responses)
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
        out += printHypotheses((call.hypotheses ?? []).map((text) => evaluateHypothesis(call, text, fit)), call.alpha, call.hypothesisClass?.classLabel);
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
 * brms's reading of "left (= | < | >) right" for a class (b unless `class =` says otherwise): draws of
 * (left) − (right), whose names are the class's variables without its prefix (`Intercept[1]`, `moedu`
 * with class = "bsp", `x[1]` with class = "bcs", `Intercept` with class = "sd", group = "g").
 */
function evaluateHypothesis(call: PostFitCall, hypothesis: string, fit: PooledDraws): ReturnType<typeof hypothesisSummary> {
  const span = call.argSpan ?? call.span;
  const prefix = call.hypothesisClass?.variablePrefix ?? "b_";
  const classLabel = call.hypothesisClass?.classLabel ?? "b";
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
  // brms's find_vars: names with ':' (interactions) and a bracketed index (`Intercept[1]`, `x[2]`)
  const variableName = (e: RExpr): string | undefined => {
    if (e.kind === "Name") return e.name;
    if (e.kind === "Binary" && e.op === ":") {
      const a = variableName(e.left);
      const b = variableName(e.right);
      return a !== undefined && b !== undefined ? `${a}:${b}` : undefined;
    }
    if (e.kind === "Index" && e.target.kind === "Name" && e.args.length > 0 && e.args.every((a) => a.name === undefined && a.value.kind === "Num")) {
      return `${e.target.name}[${e.args.map((a) => (a.value.kind === "Num" ? a.value.text : "")).join(",")}]`;
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
  const missing = mentioned.map((name) => `${prefix}${name}`).filter((v) => !fit.variables.includes(v));
  if (missing.length > 0) {
    const ofClass = (p: string) => fit.variables.filter((v) => v.startsWith(p)).map((v) => v.slice(p.length));
    const hints = [`hypothesis() reads class ${classLabel === "" ? "NULL" : classLabel} here; its names: ${ofClass(prefix).join(", ") || "none"}.`];
    for (const other of ["b", "bsp", "bcs"]) {
      // a cs() coefficient is x[1], x[2], … in its own class
      const inOther = (name: string) => fit.variables.some((v) => v === `${other}_${name}` || v.startsWith(`${other}_${name}[`));
      if (`${other}_` !== prefix && mentioned.some(inOther)) hints.push(`For the ${other}_ coefficients write hypothesis(…, class = "${other}").`);
    }
    fail("Semantic error", span, `Some parameters cannot be found in the model: \n${missing.map((v) => `'${v}'`).join(", ")}`, hints);
  }
  const n = fit.draws(fit.variables[0]).length;
  const value = (e: RExpr): Float64Array => {
    const name = variableName(e);
    if (name !== undefined) return fit.draws(`${prefix}${name}`);
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
