/**
 * The arguments of brms's summary functions after a fit — fixef, ranef, coef, VarCorr,
 * posterior_summary (`summary`, `robust`, `probs`) and hypothesis (`alpha`, `robust`, `class`) —
 * matched as R matches them (by name, unique prefix, then position) and checked with the messages
 * brms 2.18 and R give, located at the argument.
 */
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { deparseR, type RArg, type RExpr } from "./rAst";

/** A scalar as the script evaluates it (undefined: anything else, e.g. a data frame or NULL). */
export type ScalarOf = (e: RExpr) => number | boolean | string | undefined;

/** The statistics a summary function reports (summaries.ts's SummaryOptions). */
export interface SummaryChoice {
  readonly probs: readonly number[];
  readonly robust: boolean;
}

/** The formals of each method in brms 2.18, in order, up to `...` (positional and partial matching stop there). */
const FORMALS: Record<string, readonly string[]> = {
  fixef: ["summary", "robust", "probs", "pars"],
  ranef: ["summary", "robust", "probs", "pars", "groups"],
  coef: ["summary", "robust", "probs", "pars", "groups"],
  VarCorr: ["sigma", "summary", "robust", "probs"],
  posterior_summary: ["pars", "variable", "probs", "robust"],
  bayes_R2: ["resp", "summary", "robust", "probs"],
  hypothesis: ["hypothesis", "class", "group", "scope", "alpha", "robust", "seed"],
  summary: ["priors", "prob", "robust", "mc_se"],
  // print.brmsfit(x, digits, ...) hands the rest to summary.brmsfit
  print: ["digits", "priors", "prob", "robust", "mc_se"],
};

export const SUMMARY_FUNCTIONS = new Set(["fixef", "ranef", "coef", "VarCorr", "posterior_summary"]);

/**
 * R's argument matching for the arguments after the fit: exact names, then unique prefixes (`prob =`
 * is `probs =`), then the rest by position. A name that matches no formal is a located error: brms
 * would pass it through `...` and ignore it, which hides a typo.
 */
function matchFormals(fn: string, args: readonly RArg[]): Map<string, RArg> {
  const formals = FORMALS[fn];
  const matched = new Map<string, RArg>();
  const put = (formal: string, a: RArg) => {
    if (matched.has(formal)) fail("Semantic error", a.nameSpan ?? a.span, `formal argument "${formal}" matched by multiple actual arguments`);
    matched.set(formal, a);
  };
  const named = args.filter((a) => a.name !== undefined);
  for (const a of named) if (formals.includes(a.name as string)) put(a.name as string, a);
  for (const a of named) {
    const name = a.name as string;
    if (formals.includes(name)) continue;
    const candidates = formals.filter((f) => f.startsWith(name) && !matched.has(f));
    if (candidates.length !== 1) {
      fail("Semantic error", a.nameSpan ?? a.span, `Unknown argument '${name}' of ${fn}().`, [
        `${fn}() takes ${formals.join(", ")}; brms would pass '${name}' on through '...' and ignore it.`,
      ]);
    }
    put(candidates[0], a);
  }
  const free = formals.filter((f) => !matched.has(f));
  for (const a of args) {
    if (a.name !== undefined) continue;
    const slot = free.shift();
    if (slot === undefined) fail("Semantic error", a.span, `Too many arguments to ${fn}().`);
    matched.set(slot, a);
  }
  return matched;
}

/** R's `if (x)` on a scalar: TRUE/FALSE, a number (0 is FALSE), or a string R reads as logical. */
function logicalCondition(a: RArg, scalarOf: ScalarOf): boolean {
  const items = vectorItems(a.value);
  if (items.length > 1) fail("Semantic error", a.value.span, "the condition has length > 1");
  if (items[0].kind === "NA") fail("Semantic error", a.value.span, "missing value where TRUE/FALSE needed");
  const v = items.length === 1 ? scalarOf(items[0]) : undefined;
  if (typeof v === "boolean") return v;
  if (typeof v === "number" && !Number.isNaN(v)) return v !== 0;
  if (typeof v === "string" && ["TRUE", "true", "True", "T"].includes(v)) return true;
  if (typeof v === "string" && ["FALSE", "false", "False", "F"].includes(v)) return false;
  return fail("Semantic error", a.value.span, "argument is not interpretable as logical");
}

/** brms's `as_one_logical()`: R's as.logical() of one value that is not NA (hypothesis's and summary's robust). */
function oneLogical(a: RArg, formal: string, scalarOf: ScalarOf): boolean {
  const items = vectorItems(a.value);
  const v = items.length === 1 && items[0].kind !== "NA" ? scalarOf(items[0]) : undefined;
  if (typeof v === "boolean") return v;
  if (typeof v === "number" && !Number.isNaN(v)) return v !== 0;
  if (typeof v === "string" && ["TRUE", "true", "True", "T"].includes(v)) return true;
  if (typeof v === "string" && ["FALSE", "false", "False", "F"].includes(v)) return false;
  return fail("Semantic error", a.value.span, `Cannot coerce '${formal}' to a single logical value.`);
}

/** brms's `as_one_character()` of a string argument (class, group). */
function oneString(a: RArg, formal: string, scalarOf: ScalarOf): string {
  const items = vectorItems(a.value);
  const v = items.length === 1 ? scalarOf(items[0]) : undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return fail("Semantic error", a.value.span, `Cannot coerce '${formal}' to a single character value.`);
}

/** The items of `c(a, b, …)`, or the expression itself. */
function vectorItems(e: RExpr): readonly RExpr[] {
  return e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "c" ? e.args.map((a) => a.value) : [e];
}

/** One number in [0, 1] (summary's prob, hypothesis's alpha), else the function's own message at the value. */
function unitInterval(a: RArg, scalarOf: ScalarOf, message: string): number {
  const items = vectorItems(a.value);
  const v = items.length === 1 ? scalarOf(items[0]) : undefined;
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) fail("Semantic error", a.value.span, message);
  return v;
}

/** `probs = c(0.05, 0.95)`: numbers in [0, 1] (R's quantile() message otherwise). */
function probabilities(a: RArg, scalarOf: ScalarOf): number[] {
  const items = vectorItems(a.value);
  const values = items.map((item) => {
    const v = scalarOf(item);
    if (typeof v !== "number") fail("Semantic error", item.span, `'probs' must be numbers, as in probs = c(0.05, 0.95); '${deparseR(item)}' is not one.`);
    return v;
  });
  if (values.length === 0) fail("Semantic error", a.value.span, "'probs' needs at least one probability, as in probs = c(0.05, 0.95).");
  // R's quantile() allows a rounding error of 100 machine epsilons past either end
  const tolerance = 100 * Number.EPSILON;
  if (values.some((p) => Number.isNaN(p) || p < -tolerance || p > 1 + tolerance)) fail("Semantic error", a.value.span, "'probs' outside [0,1]");
  return values.map((p) => Math.min(1, Math.max(0, p)));
}

/** `summary = TRUE` is the default; FALSE returns the draws themselves, which a script prints as a huge array. */
function refuseDrawsResult(fn: string, fitName: string, a: RArg | undefined, scalarOf: ScalarOf): void {
  if (a === undefined || logicalCondition(a, scalarOf)) return;
  fail("Semantic error", a.span, `${fn}(${fitName}, summary = FALSE) returns the posterior draws, which stan2ts does not print.`, [
    `Write the draws with write.csv(as_draws_df(${fitName}), "draws.csv", row.names = FALSE), or remove summary = FALSE.`,
  ]);
}

function refuseUnsupported(fn: string, matched: ReadonlyMap<string, RArg>, supported: readonly string[]): void {
  for (const [formal, a] of matched) {
    if (!supported.includes(formal)) {
      fail("Semantic error", a.nameSpan ?? a.span, `The argument '${formal}' of ${fn}() is not supported by stan2ts yet.`, [`${fn}() in stan2ts takes the fitted model and ${supported.join(", ")}.`]);
    }
  }
}

/** fixef/ranef/coef/VarCorr/posterior_summary(fit, …): the statistics to report. */
export function summaryArguments(fn: string, fitName: string, args: readonly RArg[], scalarOf: ScalarOf): SummaryChoice {
  const matched = matchFormals(fn, args);
  const supported = fn === "posterior_summary" ? ["probs", "robust"] : fn === "bayes_R2" ? ["resp", "summary", "robust", "probs"] : ["summary", "robust", "probs"];
  refuseUnsupported(fn, matched, supported);
  refuseDrawsResult(fn, fitName, matched.get("summary"), scalarOf);
  const probs = matched.get("probs");
  const robust = matched.get("robust");
  return { probs: probs ? probabilities(probs, scalarOf) : [0.025, 0.975], robust: robust ? logicalCondition(robust, scalarOf) : false };
}

/** brms's `summary(fit, prob =, robust =)` (print(fit, …) passes them on): the level of the intervals, median/MAD. */
export interface FitSummaryChoice {
  readonly prob: number;
  readonly robust: boolean;
}

/** print(fit, …) / summary(fit, …): prob and robust. */
export function fitSummaryArguments(fn: "print" | "summary", args: readonly RArg[], scalarOf: ScalarOf): FitSummaryChoice {
  const matched = matchFormals(fn, args);
  refuseUnsupported(fn, matched, ["prob", "robust"]);
  const probArg = matched.get("prob");
  const prob = probArg ? unitInterval(probArg, scalarOf, "'prob' must be a single numeric value in [0, 1].") : 0.95;
  const robustArg = matched.get("robust");
  return { prob, robust: robustArg ? oneLogical(robustArg, "robust", scalarOf) : false };
}

export interface HypothesisArguments {
  readonly hypotheses: readonly string[];
  /** What brms puts before each name of a hypothesis (`b_`, `sd_record_id__`, or nothing with class = NULL). */
  readonly variablePrefix: string;
  /** The class as brms's print names it (`b`, `sd_record_id`). */
  readonly classLabel: string;
  readonly hypothesesSpan: Span;
  readonly alpha: number;
  readonly robust: boolean;
  /** brms's scope: "standard" reads the draws by class; "ranef"/"coef" test each level of `group` on ranef()/coef() draws. */
  readonly scope: HypothesisScope;
  /** The grouping factor (`group =`), "" when not given. */
  readonly group: string;
}

export type HypothesisScope = "standard" | "ranef" | "coef";
const SCOPES: readonly HypothesisScope[] = ["standard", "ranef", "coef"];

/** R's match.arg(scope): one of the choices or a unique prefix of one (an exact match wins). */
function scopeArgument(a: RArg, scalarOf: ScalarOf): HypothesisScope {
  const items = vectorItems(a.value);
  if (items.length !== 1) fail("Semantic error", a.value.span, "'arg' must be of length 1");
  const v = scalarOf(items[0]);
  const candidates = typeof v === "string" ? (SCOPES.includes(v as HypothesisScope) ? [v as HypothesisScope] : SCOPES.filter((c) => v !== "" && c.startsWith(v))) : [];
  if (candidates.length !== 1) fail("Semantic error", a.value.span, `'arg' should be one of ${SCOPES.map((c) => `\u201c${c}\u201d`).join(", ")}`);
  return candidates[0];
}

/** hypothesis(fit, "…" or c("…", "…"), class = "b", group = "", scope = "standard", alpha = 0.05, robust = FALSE, seed = …). */
export function hypothesisArguments(callSpan: Span, args: readonly RArg[], scalarOf: ScalarOf): HypothesisArguments {
  const matched = matchFormals("hypothesis", args);
  refuseUnsupported("hypothesis", matched, ["hypothesis", "class", "group", "scope", "alpha", "robust", "seed"]);
  const hypothesis = matched.get("hypothesis");
  if (!hypothesis) fail("Semantic error", callSpan, 'hypothesis() needs a hypothesis string, as in hypothesis(m1, "day01 > 0").');
  const hypotheses = vectorItems(hypothesis.value).map((item) => {
    const text = scalarOf(item);
    if (typeof text !== "string") fail("Semantic error", item.span, 'The hypothesis must be a string such as "day01 > 0".');
    return text;
  });
  // brms: the names are class_group__name with a group, class_name without, as written with class = NULL
  const classArg = matched.get("class");
  const hypothesisClass = classArg === undefined ? "b" : classArg.value.kind === "Null" ? "" : oneString(classArg, "class", scalarOf);
  const groupArg = matched.get("group");
  const group = groupArg === undefined ? "" : oneString(groupArg, "group", scalarOf);
  const variablePrefix = group !== "" ? `${hypothesisClass}_${group}__` : hypothesisClass !== "" ? `${hypothesisClass}_` : "";
  const alphaArg = matched.get("alpha");
  const alpha = alphaArg ? unitInterval(alphaArg, scalarOf, "Argument 'alpha' must be a single value in [0,1].") : 0.05;
  const robustArg = matched.get("robust");
  // seed only seeds the prior draws brms samples for evidence ratios of point hypotheses, which need sample_prior
  return {
    hypotheses,
    hypothesesSpan: hypothesis.value.span,
    variablePrefix,
    classLabel: variablePrefix.replace(/_+$/, ""),
    alpha,
    robust: robustArg ? oneLogical(robustArg, "robust", scalarOf) : false,
    scope: matched.has("scope") ? scopeArgument(matched.get("scope") as RArg, scalarOf) : "standard",
    group,
  };
}
