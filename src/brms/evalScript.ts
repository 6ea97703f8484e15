/**
 * Runs an R model script symbolically: assignments bind names, and the calls brms users write
 * (`read_csv`, `mutate`, `bf`, `set_rescor`, `prior`, `c`, `brm`) build a description of the model.
 * Nothing is executed for real; data are only loaded later, from the recorded `DataSpec`.
 */
import { availableParallelism } from "node:os";
import { fail, type Diagnostic } from "../common/diagnostics";
import type { Span } from "../common/span";
import { familyFromName, isFamilyName, type FamilyChoice } from "./families/index";
import { mixtureChoice } from "./families/mixture";
import { interpretDparFormula, interpretMainFormula, type DparFormula, type FormulaSpec, type NonlinearDparFormula, type ResponseSpec } from "./formula";
import { splitParameterFormula } from "./nonlinear";
import { parseRScript } from "./parseRScript";
import { calleeName, deparseR, type RArg, type RExpr, type RScript } from "./rAst";
import { fitSummaryArguments, hypothesisArguments, summaryArguments, SUMMARY_FUNCTIONS, type FitSummaryChoice, type HypothesisScope, type SummaryChoice } from "./summaryArguments";
import { CONTRAST_FUNCTIONS, isContrastFunction, type ContrastFunction } from "./terms/contrasts";

export type { Mutation } from "./dataFrame";
import type { Mutation } from "./dataFrame";

export interface DataSpec {
  /** `read_csv("...")` argument as written (a path relative to the script, or an http(s) URL). */
  readonly path?: string;
  readonly pathSpan?: Span;
  /** Read with read.csv or fread, which make columns of whole numbers R integers (brms then declares some data `int`). */
  readonly integerColumns?: boolean;
  readonly mutations: readonly Mutation[];
}

export interface PriorSpec {
  /** The prior as brms writes it: `normal(0, 0.2)`. */
  readonly prior: string;
  readonly distribution: string;
  readonly args: readonly RExpr[];
  readonly class: string;
  readonly coef: string;
  readonly group: string;
  readonly resp: string;
  readonly dpar: string;
  readonly nlpar: string;
  readonly lb?: string;
  readonly ub?: string;
  readonly span: Span;
}

export interface SamplingArgs {
  readonly iter?: number;
  readonly warmup?: number;
  readonly chains?: number;
  readonly cores?: number;
  readonly seed?: number;
  readonly thin?: number;
  readonly adaptDelta?: number;
  readonly maxTreedepth?: number;
}

export interface BrmsScript {
  readonly file: string;
  readonly source: string;
  readonly formula: FormulaSpec;
  readonly priors: readonly PriorSpec[];
  /** The family with its links, as given to brm() (gaussian when absent). */
  readonly family: FamilyChoice;
  readonly data: DataSpec;
  /** The `data =` expression as written, for the `Data:` line of the summary. */
  readonly dataName: string;
  readonly samplePriorOnly: boolean;
  /** brm()'s sample_prior: "yes" adds prior draws to the generated quantities, "only" drops the likelihood. */
  readonly samplePrior: "no" | "yes" | "only";
  readonly sampling: SamplingArgs;
  /** One-line notes, e.g. arguments that do not change the model. */
  readonly notes: readonly Diagnostic[];
  readonly brmSpan: Span;
  /** Calls on this fit after its brm() call (`print(m1)`, `fixef(m1)`, …), run on the draws in order. */
  readonly postFit: readonly PostFitCall[];
}

type Value =
  | { readonly type: "data"; readonly data: DataSpec }
  | { readonly type: "formula"; readonly expr: Extract<RExpr, { kind: "Formula" }> }
  | { readonly type: "bf"; readonly formula: FormulaSpec }
  /** `lf(a ~ 1 + x)`: formulas of parameters added to a bf() with `+`. */
  | { readonly type: "lf"; readonly formulas: readonly DparFormula[]; readonly span: Span }
  /** `nlf(sigma ~ a * exp(b * x))`: a distributional parameter's non-linear formula, added to a bf() with `+`. */
  | { readonly type: "nlf"; readonly formula: NonlinearDparFormula }
  | { readonly type: "rescor"; readonly value: boolean; readonly span: Span }
  | { readonly type: "mecor"; readonly value: boolean; readonly span: Span }
  | { readonly type: "priors"; readonly priors: readonly PriorSpec[] }
  | { readonly type: "family"; readonly family: FamilyChoice }
  | { readonly type: "number"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "list"; readonly entries: ReadonlyMap<string, Value> }
  | { readonly type: "fit"; readonly script: BrmsScript; readonly name?: string }
  | { readonly type: "draws"; readonly fit: BrmsScript; readonly fitName: string }
  /** The result of a post-fit call already recorded (`loo(m)`, `conditional_effects(m)`): print()/plot() of it adds nothing. */
  | { readonly type: "postFitResult"; readonly fn: string }
  | { readonly type: "none" };

/** A call on a fitted model after brm(), run on the draws once sampling ends. */
export interface PostFitCall {
  readonly fn:
    | "print"
    | "summary"
    | "fixef"
    | "ranef"
    | "coef"
    | "VarCorr"
    | "posterior_summary"
    | "prior_summary"
    | "hypothesis"
    | "as_draws_df"
    | "plot"
    | "pp_check"
    | "conditional_effects"
    | "loo"
    | "waic"
    | "bayes_R2";
  readonly fit: BrmsScript;
  /** The name the fit was assigned to (`m1`). */
  readonly fitName: string;
  /** hypothesis(): the hypotheses as written (one or `c(…)`), and where. */
  readonly hypotheses?: readonly string[];
  readonly argSpan?: Span;
  /** hypothesis(): brms's alpha (one-sided CI 1 − 2 alpha, two-sided 1 − alpha) and robust (median/MAD). */
  readonly alpha?: number;
  readonly robust?: boolean;
  /** hypothesis(): brms's prefix of the names (`b_`; `sd_g__` with class = "sd", group = "g") and the class it prints. */
  readonly hypothesisClass?: { readonly variablePrefix: string; readonly classLabel: string };
  /** hypothesis(): scope = "ranef"/"coef" tests each level of `group` on ranef()/coef() draws ("standard": by class). */
  readonly hypothesisScope?: { readonly scope: HypothesisScope; readonly group: string };
  /** fixef/ranef/coef/VarCorr/posterior_summary: the quantiles (`probs`) and `robust` (median/MAD) asked for. */
  readonly summary?: SummaryChoice;
  /** print(fit, …) / summary(fit, …): the intervals' level (`prob`) and `robust`. */
  readonly fitSummary?: FitSummaryChoice;
  /** as_draws_df(): the CSV file written with write.csv()/write_csv(), and which of the two. */
  readonly file?: string;
  readonly writer?: "write.csv" | "write_csv";
  /** pp_check(): the plot type (`dens_overlay`, `hist`, `stat`) and ndraws when given. */
  readonly ppcType?: string;
  readonly ndraws?: number;
  /** plot(): parameters per page (brms's N, default 5). */
  readonly perPage?: number;
  /** conditional_effects(fit, categorical = TRUE): one probability per category of a categorical or ordinal response. */
  readonly categorical?: boolean;
  /** conditional_effects(fit, effects = c("x", "x:z")): the effects as written, and where. */
  readonly effects?: readonly string[];
  readonly effectsSpan?: Span;
  /** pp_check(), conditional_effects(), loo(): `resp = "y"`, the response of a multivariate model they are for. */
  readonly resp?: string;
  readonly respSpan?: Span;
  readonly span: Span;
}

const POST_FIT_FUNCTIONS = new Set(["print", "summary", "fixef", "ranef", "coef", "VarCorr", "posterior_summary", "prior_summary", "hypothesis", "plot", "pp_check", "conditional_effects", "loo", "waic", "bayes_R2"]);
/** pp_check() types stan2ts draws (bayesplot's ppc_<type>). */
export const PPC_TYPES = ["dens_overlay", "hist", "stat"];
const CSV_WRITERS = new Set(["write.csv", "write_csv"]);
/** brms calls a teacher's script uses that stan2ts does not run yet, and what to do instead. */
const UNSUPPORTED_POST_FIT: Record<string, string> = {
  mcmc_plot: "For trace and density plots, run `stan2ts plot` on the output directory of `stan2ts sample --output-dir`.",
  fitted: "Remove the call; fitted values are not implemented yet.",
  predict: "Remove the call; predictions are not implemented yet.",
  posterior_predict: "Remove the call; posterior predictions are not implemented yet.",
  posterior_epred: "Remove the call; posterior expectations are not implemented yet.",
  as_draws_matrix: "Use write.csv(as_draws_df(fit), \"draws.csv\") to write the draws.",
  as_draws_array: "Use write.csv(as_draws_df(fit), \"draws.csv\") to write the draws.",
  posterior_samples: "Use write.csv(as_draws_df(fit), \"draws.csv\") to write the draws.",
  update: "Write a second brm() call instead; stan2ts samples the script's last brm() call.",
};

/** Calls that only set up the R session. */
const SESSION_CALLS = new Set(["library", "require", "requireNamespace", "options", "set.seed", "theme_set", "suppressPackageStartupMessages"]);
/** Arguments of bf() that are options rather than distributional formulas. */
const BF_OPTIONS = new Set(["center", "cmc", "sparse", "decomp", "autocor", "flist", "unused"]);
const READERS = new Set(["read_csv", "read.csv", "read_csv2", "readr::read_csv", "fread", "vroom"]);
const KNOWN_FUNCTIONS = ["library", "read_csv", "read.csv", "mutate", "bf", "brmsformula", "lf", "mvbind", "mvbf", "set_rescor", "set_mecor", "prior", "set_prior", "prior_string", "c", "brm", "brmsfamily", "list", "parallel::detectCores", "and the family functions (gaussian, poisson, Gamma, …)", "and after brm(): print, summary, fixef, ranef, coef, VarCorr, posterior_summary, prior_summary, hypothesis, plot, pp_check, conditional_effects, loo, waic, bayes_R2, write.csv(as_draws_df(fit), file)"];

/** Arguments of brm() that do not change the model or the draws. */
const IGNORED_BRM_ARGS = new Set([
  "file",
  "file_refit",
  "backend",
  "refresh",
  "silent",
  "open_progress",
  "save_model",
  "stan_model_args",
  "threads",
  "opencl",
  "normalize",
  "save_pars",
  "future",
  "empty",
  "rename",
  "chain_id",
  "algorithm",
]);

export function evaluateScript(script: RScript): BrmsScript {
  const env = new Map<string, Value>();
  const fits: BrmsScript[] = [];
  const postFit = new Map<BrmsScript, PostFitCall[]>();
  const evaluator = new Evaluator(script, env, fits, postFit);
  for (const statement of script.statements) evaluator.statement(statement);
  if (fits.length === 0) {
    fail("Semantic error", { file: script.file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }, "The script has no brm(...) call.", [
      "stan2ts reads the model from the script's brm() call.",
    ]);
  }
  const last = fits[fits.length - 1];
  const notes = [...last.notes];
  for (const [fit, calls] of postFit) {
    if (fit === last) continue;
    for (const call of calls) {
      notes.push({ kind: "Info", span: call.span, message: `${call.fn}(${call.fitName}) is skipped: stan2ts samples only the script's last brm() call.` });
    }
  }
  return { ...last, notes, postFit: postFit.get(last) ?? [] };
}

/** Convenience: text → BrmsScript. */
export function readBrmsScript(source: string, file: string): BrmsScript {
  return evaluateScript(parseRScript(source, file));
}

class Evaluator {
  private notes: Diagnostic[] = [];
  /** options(contrasts = ...) as last set; undefined is R's default. */
  private contrastsOption: [ContrastFunction, ContrastFunction] | undefined;
  constructor(
    private readonly script: RScript,
    private readonly env: Map<string, Value>,
    private readonly fits: BrmsScript[],
    private readonly postFit: Map<BrmsScript, PostFitCall[]>,
  ) {}

  statement(e: RExpr): void {
    this.evaluate(e);
  }

  evaluate(e: RExpr): Value {
    switch (e.kind) {
      case "Assign": {
        if (e.target.kind === "Member" || (e.target.kind === "Call" && calleeName(e.target) === "contrasts")) return this.assignToData(e.target, e.value, e.span);
        if (e.target.kind !== "Name") fail("Semantic error", e.target.span, "Only assignments to a plain name, to a column (d$x <- ...) and to contrasts(d$x) are supported.");
        let value = this.evaluate(e.value);
        if (value.type === "fit" && value.name === undefined) value = { ...value, name: e.target.name };
        this.env.set(e.target.name, value);
        return value;
      }
      case "Num":
        return { type: "number", value: e.value };
      case "Str":
        return { type: "string", value: e.value };
      case "Bool":
        return { type: "bool", value: e.value };
      case "Null":
      case "NA":
        return { type: "none" };
      case "Name": {
        const value = this.env.get(e.name);
        if (value) return value;
        if (isFamilyName(e.name)) return { type: "family", family: familyFromName(e.name, e.span, true) };
        if (e.name === "T") return { type: "bool", value: true };
        if (e.name === "F") return { type: "bool", value: false };
        return fail("Semantic error", e.span, `Object '${e.name}' not found.`, ["Assign it earlier in the script."]);
      }
      case "Paren":
        return this.evaluate(e.inner);
      case "Unary": {
        const operand = this.evaluate(e.operand);
        if (operand.type === "number" && (e.op === "-" || e.op === "+")) return { type: "number", value: e.op === "-" ? -operand.value : operand.value };
        if (operand.type === "bool" && e.op === "!") return { type: "bool", value: !operand.value };
        return fail("Semantic error", e.span, `Cannot apply '${e.op}' here.`);
      }
      case "Formula":
        return { type: "formula", expr: e };
      case "Binary":
        return this.binary(e);
      case "Call":
        return this.call(e);
      case "Member":
      case "Index":
      case "Braces":
        return fail("Semantic error", e.span, `'${deparseR(e)}' is not supported in a model script.`);
    }
  }

  /**
   * `d$x <- value` and `contrasts(d$x) <- value`: steps on the data frame `d`, applied in order
   * when the data are loaded (dataFrame.ts). Columns in `value` are read as `d$name`.
   */
  private assignToData(target: Extract<RExpr, { kind: "Member" | "Call" }>, value: RExpr, span: Span): Value {
    let member: RExpr = target;
    if (target.kind === "Call") {
      if (target.args.length !== 1 || target.args[0].name !== undefined) fail("Semantic error", target.span, "contrasts(d$x) <- value takes the column only (how.many = is not supported).");
      member = target.args[0].value;
    }
    if (member.kind !== "Member" || member.target.kind !== "Name") fail("Semantic error", member.span, "Assign to a column of a data frame, as in d$x <- ... or contrasts(d$x) <- ....");
    const frameName = member.target.name;
    const data = this.env.get(frameName);
    if (!data || data.type !== "data") fail("Semantic error", member.target.span, `'${frameName}' is not a data frame read with read_csv().`);
    const foreign = membersOf(value).find((m) => m.target.kind !== "Name" || m.target.name !== frameName);
    if (foreign) fail("Semantic error", foreign.span, `Only columns of '${frameName}' can be used here ('${frameName}$name').`);
    const step = target.kind === "Call" ? { kind: "contrasts" as const, column: member.member, expr: value, span } : { kind: "column" as const, column: member.member, expr: value, span };
    const updated: Value = { type: "data", data: { ...data.data, mutations: [...data.data.mutations, step] } };
    this.env.set(frameName, updated);
    return updated;
  }

  /** `options(contrasts = c("contr.sum", "contr.poly"))` sets the contrasts of the brm() calls after it; other options change nothing. */
  private options(e: Extract<RExpr, { kind: "Call" }>): Value {
    const arg = e.args.find((a) => a.name === "contrasts");
    if (!arg) return { type: "none" };
    const items = arg.value.kind === "Call" && calleeName(arg.value) === "c" ? arg.value.args.map((a) => a.value) : [];
    const names = items.map((item) => (item.kind === "Str" && isContrastFunction(item.value) ? item.value : undefined));
    if (names.length !== 2 || names.some((n) => n === undefined)) {
      fail("Semantic error", arg.value.span, "options(contrasts = ...) takes two contrast functions, as in c(\"contr.sum\", \"contr.poly\") (unordered, then ordered factors).", [
        `stan2ts computes ${CONTRAST_FUNCTIONS.join(", ")}.`,
      ]);
    }
    this.contrastsOption = names as [ContrastFunction, ContrastFunction];
    return { type: "none" };
  }

  private binary(e: Extract<RExpr, { kind: "Binary" }>): Value {
    if (e.op === "%>%" || e.op === "|>") {
      // `x %>% f(a)` is `f(x, a)`.
      if (e.right.kind !== "Call") fail("Semantic error", e.right.span, "The right side of a pipe must be a function call.");
      const call = e.right;
      const piped: RArg = { value: e.left, span: e.left.span };
      return this.call({ ...call, args: [piped, ...call.args] });
    }
    if (e.op === "+") {
      const left = this.evaluate(e.left);
      const right = this.evaluate(e.right);
      if (left.type === "number" && right.type === "number") return { type: "number", value: left.value + right.value };
      return this.addFormulas(left, right, e);
    }
    const left = this.evaluate(e.left);
    const right = this.evaluate(e.right);
    if (left.type === "number" && right.type === "number") {
      const l = left.value;
      const r = right.value;
      switch (e.op) {
        case "-":
          return { type: "number", value: l - r };
        case "*":
          return { type: "number", value: l * r };
        case "/":
          return { type: "number", value: l / r };
        case "^":
          return { type: "number", value: l ** r };
      }
    }
    return fail("Semantic error", e.opSpan, `The operator '${e.op}' is not supported here.`);
  }

  /** `bf(...) + bf(...) + set_rescor(TRUE)`: a multivariate formula. */
  private addFormulas(left: Value, right: Value, e: Extract<RExpr, { kind: "Binary" }>): Value {
    if (right.type === "lf" || right.type === "nlf") return addParameterFormulas(left, right, e.left.span);
    const asFormula = (v: Value, span: Span): FormulaSpec | { rescor?: boolean; rescorSpan?: Span; mecor?: boolean } => {
      if (v.type === "bf") return v.formula;
      if (v.type === "formula") return { responses: interpretMainFormula(v.expr), span: v.expr.span };
      if (v.type === "rescor") return { rescor: v.value, rescorSpan: v.span };
      if (v.type === "mecor") return { mecor: v.value };
      return fail("Semantic error", span, "Only bf() formulas, set_rescor() and set_mecor() can be added with '+'.");
    };
    const l = asFormula(left, e.left.span);
    const r = asFormula(right, e.right.span);
    const responses: ResponseSpec[] = [];
    let rescor: boolean | undefined;
    let rescorSpan: Span | undefined;
    let mecor: boolean | undefined;
    for (const part of [l, r]) {
      if ("responses" in part) responses.push(...part.responses);
      if (part.mecor !== undefined) mecor = part.mecor;
      if (part.rescor !== undefined) {
        rescor = part.rescor;
        rescorSpan = part.rescorSpan;
      }
    }
    const seen = new Set<string>();
    for (const resp of responses) {
      if (seen.has(resp.response.name)) fail("Semantic error", resp.response.span, `The response '${resp.response.name}' appears in more than one formula.`);
      seen.add(resp.response.name);
    }
    return { type: "bf", formula: { responses, rescor, rescorSpan, ...(mecor !== undefined ? { mecor } : {}), span: e.span } };
  }

  private call(e: Extract<RExpr, { kind: "Call" }>): Value {
    const name = calleeName(e);
    if (name === undefined) fail("Semantic error", e.fn.span, "Only calls of named functions are supported.");
    if (name === "options") return this.options(e);
    if (SESSION_CALLS.has(name)) return { type: "none" };
    if (name === "mixture") return { type: "family", family: this.mixture(e) };
    if (isFamilyName(name)) return { type: "family", family: this.familyCall(e, name) };
    if (READERS.has(name)) return this.readData(e, name);
    if (POST_FIT_FUNCTIONS.has(name) || CSV_WRITERS.has(name) || name === "as_draws_df") return this.postFitCall(e, name);
    const refusal = UNSUPPORTED_POST_FIT[name];
    if (refusal !== undefined) {
      fail("Semantic error", e.fn.span, `${name}() is not supported by stan2ts yet.`, [refusal, `Supported after brm(): ${[...POST_FIT_FUNCTIONS].join(", ")}, write.csv(as_draws_df(fit), "file.csv").`]);
    }
    switch (name) {
      case "detectCores":
      case "availableCores":
        // The cores of the machine running the script, as parallel::detectCores() counts them.
        return { type: "number", value: availableParallelism() };
      case "mutate":
        return this.mutate(e);
      case "bf":
      case "brmsformula":
        return this.bf(e);
      case "lf":
        return this.lf(e);
      case "nlf":
        return this.nlf(e);
      case "mvbf":
      case "mvbrmsformula":
        return this.mvbf(e);
      case "set_rescor":
        return this.setRescor(e);
      case "set_mecor": {
        const value = e.args[0] ? this.evaluate(e.args[0].value) : { type: "bool" as const, value: true };
        if (value.type !== "bool" || e.args.length > 1) fail("Semantic error", e.span, "set_mecor() takes TRUE or FALSE.");
        return { type: "mecor", value: value.value, span: e.span };
      }
      case "prior":
      case "set_prior":
      case "prior_string":
        return this.prior(e, name);
      case "c":
        return this.combine(e);
      case "brmsfamily":
        return { type: "family", family: this.familyCall(e, undefined) };
      case "list":
        return this.list(e);
      case "brm":
        return this.brm(e);
      case "here":
      case "file.path":
      case "paste0":
        return { type: "string", value: e.args.map((a) => (a.value.kind === "Str" ? a.value.value : deparseR(a.value))).join(name === "file.path" ? "/" : "") };
    }
    fail("Semantic error", e.fn.span, `Unknown function '${name}' in a model script.`, [`stan2ts understands: ${KNOWN_FUNCTIONS.join(", ")}.`]);
  }

  /** A fitted model, or a located error naming the function that wanted one. */
  private fitArgument(e: Extract<RExpr, { kind: "Call" }>, fn: string, evaluated?: Value): { fit: BrmsScript; fitName: string; rest: readonly RArg[] } {
    const [first, ...rest] = e.args;
    if (!first || (first.name !== undefined && first.name !== "x" && first.name !== "object")) {
      fail("Semantic error", e.span, `${fn}() needs a fitted model as its first argument, as in ${fn}(m1).`);
    }
    const value = evaluated ?? this.evaluate(first.value);
    if (value.type !== "fit") fail("Semantic error", first.value.span, `${fn}() in a model script takes a model fitted with brm(); '${deparseR(first.value)}' is not one.`);
    return { fit: value.script, fitName: value.name ?? deparseR(first.value), rest };
  }

  private record(call: PostFitCall): Value {
    const calls = this.postFit.get(call.fit) ?? [];
    calls.push(call);
    this.postFit.set(call.fit, calls);
    return { type: "none" };
  }

  private postFitCall(e: Extract<RExpr, { kind: "Call" }>, name: string): Value {
    if (name === "as_draws_df") {
      const { fit, fitName, rest } = this.fitArgument(e, name);
      if (rest.length > 0) fail("Semantic error", rest[0].span, "as_draws_df() takes only the fitted model here.");
      return { type: "draws", fit, fitName };
    }
    if (CSV_WRITERS.has(name)) {
      const order = name === "write_csv" ? ["x", "file"] : ["x", "file", "row.names"];
      const given = matchArgs(e, order, name);
      const x = given.get("x");
      const file = given.get("file");
      if (!x || !file) fail("Semantic error", e.span, `${name}() needs the draws and a file name, as in ${name}(as_draws_df(m1), "draws.csv").`);
      const draws = this.evaluate(x.value);
      if (draws.type !== "draws") fail("Semantic error", x.value.span, `stan2ts writes only as_draws_df(<fit>) with ${name}().`);
      const path = this.evaluate(file.value);
      if (path.type !== "string") fail("Semantic error", file.value.span, `The file of ${name}() must be a string.`);
      const rowNames = given.get("row.names");
      if (rowNames) {
        const v = this.evaluate(rowNames.value);
        if (v.type !== "bool" || v.value) fail("Semantic error", rowNames.value.span, "stan2ts writes the draws without row names (row.names = FALSE).");
      }
      return this.record({ fn: "as_draws_df", fit: draws.fit, fitName: draws.fitName, file: path.value, writer: name === "write_csv" ? "write_csv" : "write.csv", span: e.span });
    }
    let first: Value | undefined;
    if ((name === "print" || name === "plot" || name === "summary") && e.args.length >= 1 && e.args[0].name === undefined) {
      // print(loo(m)), plot(conditional_effects(m)): the inner call is recorded and shows itself
      first = this.evaluate(e.args[0].value);
      if (first.type === "postFitResult" && e.args.length === 1) return first;
      if (first.type !== "fit") fail("Semantic error", e.args[0].value.span, `${name}() in a model script takes a model fitted with brm() or the result of loo()/conditional_effects()/pp_check(); '${deparseR(e.args[0].value)}' is neither.`);
    }
    const { fit, fitName, rest } = this.fitArgument(e, name, first);
    if (name === "pp_check") return this.ppCheck(e, fit, fitName, rest);
    if (name === "plot") {
      const given = new Map(rest.map((a) => [a.name ?? "", a]));
      for (const a of rest) {
        if (a.name !== "N" && a.name !== "ask") fail("Semantic error", a.span, "plot() in stan2ts takes the fitted model and optionally N (parameters per page) and ask.", ["Other arguments (variable, combo, …) are not supported yet."]);
      }
      const perPage = given.get("N");
      let n: number | undefined;
      if (perPage) {
        const v = this.evaluate(perPage.value);
        if (v.type !== "number" || !Number.isInteger(v.value) || v.value < 1) fail("Semantic error", perPage.value.span, "Argument 'N' must be a positive integer.");
        n = v.value;
      }
      this.record({ fn: name, fit, fitName, perPage: n, span: e.span });
      return { type: "postFitResult", fn: name };
    }
    if (name === "hypothesis") {
      const { hypotheses, hypothesesSpan, variablePrefix, classLabel, alpha, robust, scope, group } = hypothesisArguments(e.span, rest, (x) => this.scalar(x));
      return this.record({
        fn: name, fit, fitName, hypotheses, hypothesisClass: { variablePrefix, classLabel }, hypothesisScope: { scope, group }, alpha, robust, span: e.span, argSpan: hypothesesSpan,
      });
    }
    if (name === "print" || name === "summary") {
      const fitSummary = fitSummaryArguments(name, rest, (x) => this.scalar(x));
      return this.record({ fn: name, fit, fitName, fitSummary, span: e.span });
    }
    if (SUMMARY_FUNCTIONS.has(name)) {
      const summary = summaryArguments(name, fitName, rest, (x) => this.scalar(x));
      return this.record({ fn: name as PostFitCall["fn"], fit, fitName, summary, span: e.span });
    }
    if (name === "bayes_R2") {
      // bayes_R2(object, resp, summary, robust, probs): resp as for loo(), the rest as fixef()'s
      const summary = summaryArguments(name, fitName, rest, (x) => this.scalar(x));
      const respArg = rest.find((a) => a.name === "resp") ?? (rest[0]?.name === undefined ? rest[0] : undefined);
      return this.record({ fn: name, fit, fitName, summary, span: e.span, ...this.respArgument(respArg ? [{ ...respArg, name: "resp" }] : []) });
    }
    const takesResp = name === "conditional_effects" || name === "loo" || name === "waic";
    const response = takesResp ? this.respArgument(rest) : undefined;
    // conditional_effects(fit, "x") passes effects by position, as its second argument
    const effectsArg = name === "conditional_effects" ? (rest.find((a) => a.name === "effects") ?? (rest[0]?.name === undefined ? rest[0] : undefined)) : undefined;
    const others = rest.filter((a) => !(a.name === "resp" && response) && !(name === "conditional_effects" && a.name === "categorical") && a !== effectsArg);
    if (others.length > 0) {
      const takes = name === "conditional_effects" ? "the fitted model, effects =, categorical = and resp =" : takesResp ? "the fitted model and resp =" : "only the fitted model";
      fail("Semantic error", others[0].span, `${name}() in stan2ts takes ${takes} (its other arguments are not supported yet).`);
    }
    const categoricalArg = name === "conditional_effects" ? rest.find((a) => a.name === "categorical") : undefined;
    let categorical: boolean | undefined;
    if (categoricalArg) {
      const v = this.evaluate(categoricalArg.value);
      if (v.type !== "bool") fail("Semantic error", categoricalArg.value.span, "Argument 'categorical' of conditional_effects() must be TRUE or FALSE.");
      categorical = v.value;
    }
    const effects = effectsArg ? { effects: this.effectNames(effectsArg.value), effectsSpan: effectsArg.value.span } : {};
    this.record({ fn: name as PostFitCall["fn"], fit, fitName, span: e.span, ...(categorical !== undefined ? { categorical } : {}), ...effects, ...response });
    return name === "loo" || name === "waic" || name === "conditional_effects" ? { type: "postFitResult", fn: name } : { type: "none" };
  }

  /** A number, logical or string the expression evaluates to (undefined for anything else). */
  private scalar(e: RExpr): number | boolean | string | undefined {
    const v = this.evaluate(e);
    return v.type === "number" || v.type === "bool" || v.type === "string" ? v.value : undefined;
  }

  /** `effects = "x:z"` or `c("x", "z")`: the effect names as written (brms checks them against the model). */
  private effectNames(e: RExpr): string[] {
    const items = e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "c" ? e.args.map((a) => a.value) : [e];
    return items.map((item) => {
      const v = this.evaluate(item);
      if (v.type !== "string") fail("Semantic error", item.span, 'The effects of conditional_effects() are variable names in quotes, as in effects = "x" or effects = c("x", "x:z").');
      return v.value;
    });
  }

  /** `resp = "y"` among a post-fit call's arguments (brms's name of one response of a multivariate model). */
  private respArgument(args: readonly RArg[]): { resp: string; respSpan: Span } | undefined {
    const arg = args.find((a) => a.name === "resp");
    if (!arg) return undefined;
    const v = this.evaluate(arg.value);
    if (v.type !== "string") fail("Semantic error", arg.value.span, 'Argument \'resp\' must be a response name in quotes, as in resp = "y1".');
    return { resp: v.value, respSpan: arg.value.span };
  }

  /** pp_check(fit, type = "dens_overlay" | "hist" | "stat", ndraws = n, resp = "y"). */
  private ppCheck(e: Extract<RExpr, { kind: "Call" }>, fit: BrmsScript, fitName: string, args: readonly RArg[]): Value {
    let ppcType = "dens_overlay";
    let ndraws: number | undefined;
    const order = ["type", "ndraws"];
    const response = this.respArgument(args);
    const rest = args.filter((a) => a.name !== "resp");
    rest.forEach((a, k) => {
      const slot = a.name ?? order[k];
      if (slot !== "type" && slot !== "ndraws") {
        fail("Semantic error", a.nameSpan ?? a.span, `pp_check() in stan2ts takes the fitted model, type, ndraws and resp; '${a.name ?? deparseR(a.value)}' is not supported yet.`);
      }
      const v = this.evaluate(a.value);
      if (slot === "type") {
        if (v.type !== "string") fail("Semantic error", a.value.span, 'The type of pp_check() must be a string such as "dens_overlay".');
        if (!PPC_TYPES.includes(v.value)) fail("Semantic error", a.value.span, `pp_check(type = "${v.value}") is not supported by stan2ts yet.`, [`Supported types: ${PPC_TYPES.map((t) => `"${t}"`).join(", ")}.`]);
        ppcType = v.value;
      } else {
        if (v.type !== "number" || !Number.isInteger(v.value) || v.value < 1) fail("Semantic error", a.value.span, "ndraws must be a positive integer.");
        ndraws = v.value;
      }
    });
    this.record({ fn: "pp_check", fit, fitName, ppcType, ndraws, span: e.span, ...response });
    return { type: "postFitResult", fn: "pp_check" };
  }

  private readData(e: Extract<RExpr, { kind: "Call" }>, name: string): Value {
    const fileArg = e.args.find((a) => a.name === "file") ?? e.args.find((a) => a.name === undefined);
    if (!fileArg) fail("Semantic error", e.span, `${name}() needs a file path or URL.`);
    const path = this.evaluate(fileArg.value);
    if (path.type !== "string") fail("Semantic error", fileArg.value.span, `The argument of ${name}() must be a string with a path or URL.`);
    for (const a of e.args) {
      if (a !== fileArg && a.name !== "show_col_types" && a.name !== "check.names" && a.name !== "stringsAsFactors") {
        fail("Semantic error", a.span, `The argument '${a.name ?? deparseR(a.value)}' of ${name}() is not supported.`);
      }
    }
    return { type: "data", data: { path: path.value, pathSpan: fileArg.value.span, integerColumns: name === "read.csv" || name === "fread", mutations: [] } };
  }

  private mutate(e: Extract<RExpr, { kind: "Call" }>): Value {
    const [first, ...rest] = e.args;
    if (!first || first.name !== undefined) fail("Semantic error", e.span, "mutate() needs the data as its first argument.");
    const data = this.evaluate(first.value);
    if (data.type !== "data") fail("Semantic error", first.value.span, "The first argument of mutate() must be a data frame read with read_csv().");
    const mutations = [...data.data.mutations];
    for (const a of rest) {
      if (a.name === undefined) fail("Semantic error", a.span, "Each mutate() argument must be named: mutate(new_column = expression).");
      mutations.push({ kind: "column", column: a.name, expr: a.value, span: a.span });
    }
    return { type: "data", data: { ...data.data, mutations } };
  }

  private bf(e: Extract<RExpr, { kind: "Call" }>): Value {
    const { nonlinear, loop } = this.bfOptions(e);
    let main: ResponseSpec[] | undefined;
    const dpars: DparFormula[] = [];
    // bf(y ~ 1, nlf(muB ~ a * x), a ~ 1): as `+ nlf(…)`, the other formulas then define its nlpars.
    const nonlinearDpars: NonlinearDparFormula[] = [];
    const namesParameters = nonlinear || e.args.some((a) => a.value.kind === "Call" && a.value.fn.kind === "Name" && a.value.fn.name === "nlf");
    let family: FamilyChoice | undefined;
    for (const a of e.args) {
      // nl and loop are read by bfOptions.
      if (a.name === "nl" || a.name === "loop") continue;
      if (a.name !== undefined && BF_OPTIONS.has(a.name)) {
        fail("Semantic error", a.nameSpan ?? a.span, `The bf() argument '${a.name}' is not supported.`);
      }
      if (a.name === "family") {
        family = this.familyValue(a.value);
        continue;
      }
      let value = this.evaluate(a.value);
      if (a.name !== undefined && a.name !== "formula" && value.type === "formula" && !value.expr.lhs) {
        // `sigma = ~ x` is `sigma ~ x`.
        value = { type: "formula", expr: { ...value.expr, lhs: { kind: "Name", name: a.name, span: a.nameSpan ?? a.span } } };
      }
      if (value.type === "nlf" && a.name === undefined) {
        const formula = value.formula;
        if (nonlinearDpars.some((d) => d.dpar === formula.dpar)) fail("Semantic error", a.value.span, `${formula.dpar} has more than one formula.`);
        nonlinearDpars.push(formula);
        continue;
      }
      if (value.type !== "formula") fail("Semantic error", a.value.span, "bf() takes formulas such as y ~ x and sigma ~ z.");
      if (main === undefined && (a.name === undefined || a.name === "formula")) {
        main = interpretMainFormula(value.expr, nonlinear);
      } else {
        // Non-linear models name several parameters on one left side: `a + b ~ 1 + x`.
        for (const part of namesParameters ? splitParameterFormula(value.expr) : [value.expr]) {
          const dpar = interpretDparFormula(part);
          if (dpars.some((d) => d.dpar === dpar.dpar)) fail("Semantic error", a.value.span, `${dpar.dpar} has more than one formula.`);
          dpars.push(dpar);
        }
      }
    }
    if (!main) fail("Semantic error", e.span, "bf() needs a model formula such as y ~ x.");
    // loop = FALSE: brms computes the non-linear mu over whole vectors instead of row by row.
    for (const d of nonlinearDpars) if (dpars.some((f) => f.dpar === d.dpar)) fail("Semantic error", d.span, `${d.dpar} has more than one formula.`);
    const responses = main.map((r) => ({
      ...r,
      dpars,
      family,
      nonlinear: r.nonlinear && { ...r.nonlinear, vectorised: !loop },
      ...(nonlinearDpars.length > 0 ? { nonlinearDpars } : {}),
    }));
    return { type: "bf", formula: { responses, span: e.span } };
  }

  /** bf()'s `nl = TRUE/FALSE` (whether the main formula is a non-linear expression) and `loop` (row by row, the default, or vectorised). */
  private bfOptions(e: Extract<RExpr, { kind: "Call" }>): { nonlinear: boolean; loop: boolean } {
    let nonlinear = false;
    let loop = true;
    for (const a of e.args) {
      if (a.name !== "nl" && a.name !== "loop") continue;
      const v = this.evaluate(a.value);
      if (v.type !== "bool") fail("Semantic error", a.value.span, `bf(${a.name} = ...) takes TRUE or FALSE.`);
      if (a.name === "nl") nonlinear = v.value;
      else loop = v.value;
    }
    return { nonlinear, loop };
  }

  /** `lf(a ~ 1 + x)`, `lf(a + b ~ z)`: parameter formulas to add to a bf() with `+`. */
  private lf(e: Extract<RExpr, { kind: "Call" }>): Value {
    const formulas: DparFormula[] = [];
    for (const a of e.args) {
      if (a.name !== undefined) fail("Semantic error", a.nameSpan ?? a.span, `The lf() argument '${a.name}' is not supported.`, ["lf() takes formulas such as lf(a ~ 1 + x)."]);
      const value = this.evaluate(a.value);
      if (value.type !== "formula") fail("Semantic error", a.value.span, "lf() takes formulas such as a ~ 1 + x.");
      for (const part of splitParameterFormula(value.expr)) formulas.push(interpretDparFormula(part));
    }
    if (formulas.length === 0) fail("Semantic error", e.span, "lf() needs a formula such as a ~ 1 + x.");
    return { type: "lf", formulas, span: e.span };
  }

  /** `mvbf(bf(y1 ~ x), bf(y2 ~ x), rescor = FALSE)`: the same as `bf(y1 ~ x) + bf(y2 ~ x) + set_rescor(FALSE)`. */
  private mvbf(e: Extract<RExpr, { kind: "Call" }>): Value {
    const responses: ResponseSpec[] = [];
    let rescor: boolean | undefined;
    let rescorSpan: Span | undefined;
    for (const a of e.args) {
      const value = this.evaluate(a.value);
      if (a.name === "rescor") {
        if (value.type !== "bool") fail("Semantic error", a.value.span, "mvbf(..., rescor = ) takes TRUE or FALSE.");
        rescor = value.value;
        rescorSpan = a.span;
      } else if (a.name !== undefined) {
        fail("Semantic error", a.nameSpan ?? a.span, `The mvbf() argument '${a.name}' is not supported.`, ["mvbf() takes bf() formulas and rescor = TRUE/FALSE."]);
      } else if (value.type === "bf") responses.push(...value.formula.responses);
      else if (value.type === "formula") responses.push(...interpretMainFormula(value.expr));
      else fail("Semantic error", a.value.span, "mvbf() takes formulas such as bf(y1 ~ x) and bf(y2 ~ x).");
    }
    if (responses.length < 2) fail("Semantic error", e.span, "Multivariate models require at least two responses.");
    const seen = new Set<string>();
    for (const r of responses) {
      if (seen.has(r.response.name)) fail("Semantic error", r.response.span, `The response '${r.response.name}' appears in more than one formula.`);
      seen.add(r.response.name);
    }
    return { type: "bf", formula: { responses, rescor, rescorSpan, span: e.span } };
  }

  /** `nlf(sigma ~ <expression>)`: a distributional parameter computed by a non-linear formula. */
  private nlf(e: Extract<RExpr, { kind: "Call" }>): Value {
    const [first, ...rest] = e.args;
    if (!first || first.name !== undefined || rest.length > 0) fail("Semantic error", e.span, "nlf() in stan2ts takes one formula, as in nlf(sigma ~ a * exp(b * x)).");
    const value = this.evaluate(first.value);
    if (value.type !== "formula" || !value.expr.lhs) fail("Semantic error", first.value.span, "nlf() takes a formula such as sigma ~ a * exp(b * x).");
    const lhs = value.expr.lhs;
    if (lhs.kind !== "Name" || lhs.name === "mu") {
      fail("Semantic error", lhs.span, "nlf() in stan2ts defines a distributional parameter (sigma, shape, …) by a non-linear formula.", [
        "For mu, write the expression as the main formula of bf(y ~ <expression>, ..., nl = TRUE).",
      ]);
    }
    return { type: "nlf", formula: { dpar: lhs.name, expr: value.expr.rhs, text: `${lhs.name} ~ ${deparseR(value.expr.rhs)}`, span: value.expr.span } };
  }

  private setRescor(e: Extract<RExpr, { kind: "Call" }>): Value {
    const arg = e.args[0];
    const value = arg ? this.evaluate(arg.value) : { type: "bool" as const, value: true };
    if (value.type !== "bool" || e.args.length > 1) fail("Semantic error", e.span, "set_rescor() takes TRUE or FALSE.");
    return { type: "rescor", value: value.value, span: e.span };
  }

  private prior(e: Extract<RExpr, { kind: "Call" }>, fn: string): Value {
    const order = ["prior", "class", "coef", "group", "resp", "dpar", "nlpar", "lb", "ub", "check"];
    const given = matchArgs(e, order, fn);
    const priorArg = given.get("prior");
    if (!priorArg) fail("Semantic error", e.span, `${fn}() needs a distribution, as in prior(normal(0, 1), class = b).`);
    let dist: RExpr = priorArg.value;
    if (fn !== "prior") {
      // set_prior("normal(0, 1)") takes the distribution as a string.
      const text = this.evaluate(priorArg.value);
      if (text.type !== "string") fail("Semantic error", priorArg.value.span, `${fn}() takes the distribution as a string.`);
      const parsed = parseRScript(text.value, `${this.script.file} (prior string)`);
      if (parsed.statements.length !== 1) fail("Semantic error", priorArg.value.span, `'${text.value}' is not a single distribution.`);
      dist = relocate(parsed.statements[0], priorArg.value.span);
    }
    if (dist.kind !== "Call" || dist.fn.kind !== "Name") {
      fail("Semantic error", dist.span, `The prior '${deparseR(dist)}' must be a distribution call such as normal(0, 1).`);
    }
    const label = (key: string): string => {
      const a = given.get(key);
      if (!a) return "";
      // brms quotes these arguments: class = b and class = "b" are the same.
      if (a.value.kind === "Name") return a.value.name;
      if (a.value.kind === "Str") return a.value.value;
      if (a.value.kind === "Num" || (a.value.kind === "Unary" && a.value.operand.kind === "Num")) return deparseR(a.value);
      return fail("Semantic error", a.value.span, `The ${key} of a prior must be a name or a string.`);
    };
    const cls = label("class") || "b";
    const lb = label("lb");
    const ub = label("ub");
    return {
      type: "priors",
      priors: [
        {
          prior: deparseR(dist),
          distribution: dist.fn.name,
          args: dist.args.map((a) => a.value),
          class: cls,
          coef: label("coef"),
          group: label("group"),
          resp: label("resp"),
          dpar: label("dpar"),
          nlpar: label("nlpar"),
          lb: lb || undefined,
          ub: ub || undefined,
          span: e.span,
        },
      ],
    };
  }

  private combine(e: Extract<RExpr, { kind: "Call" }>): Value {
    const priors: PriorSpec[] = [];
    for (const a of e.args) {
      const v = this.evaluate(a.value);
      if (v.type !== "priors") fail("Semantic error", a.value.span, "c() in a model script combines priors made with prior(...).");
      priors.push(...v.priors);
    }
    return { type: "priors", priors };
  }

  /** The `family =` argument of brm() or bf(): a family name, call or string. */
  private familyValue(e: RExpr): FamilyChoice {
    const value = this.evaluate(e);
    if (value.type === "family") return value.family;
    if (value.type === "string") return familyFromName(value.value, e.span, false);
    return fail("Semantic error", e.span, `family must be a brms family such as poisson, poisson() or "poisson", not '${deparseR(e)}'.`);
  }

  /** brms's `mixture(gaussian, student)`, `mixture(gaussian, nmix = 3)`, `order = "mu" | "none"` (TRUE/FALSE). */
  private mixture(e: Extract<RExpr, { kind: "Call" }>): FamilyChoice {
    const families: { family: FamilyChoice; span: Span }[] = [];
    let nmix: number[] | undefined;
    let order: "mu" | "none" | undefined;
    for (const a of e.args) {
      if (a.name === undefined) {
        families.push({ family: this.familyValue(a.value), span: a.value.span });
        continue;
      }
      if (a.name === "nmix") {
        // one count, or c(…) with one per family
        const items = a.value.kind === "Call" && calleeName(a.value) === "c" ? a.value.args.map((x) => x.value) : [a.value];
        const counts = items.map((x) => {
          const v = this.evaluate(x);
          return v.type === "number" ? v.value : NaN;
        });
        if (counts.some((n) => !Number.isInteger(n) || n < 1)) fail("Semantic error", a.value.span, "nmix must be a positive whole number, or c(…) of them with one per family.");
        nmix = counts;
        continue;
      }
      const v = this.evaluate(a.value);
      if (a.name === "order") {
        if (v.type === "string" && (v.value === "mu" || v.value === "none")) order = v.value;
        else if (v.type === "bool") order = v.value ? "mu" : "none";
        else fail("Semantic error", a.value.span, "order must be \"mu\", \"none\", TRUE or FALSE.");
      } else {
        fail("Semantic error", a.nameSpan ?? a.span, `The mixture() argument '${a.name}' is not supported.`, ["mixture() takes the component families, nmix = and order = ."]);
      }
    }
    if (families.length === 0) fail("Semantic error", e.span, "mixture() needs the component families, as in mixture(gaussian, gaussian).");
    if (nmix && nmix.length !== 1 && nmix.length !== families.length) fail("Semantic error", e.span, `nmix gives ${nmix.length} counts for ${families.length} families.`);
    // nmix repeats each family (one count for all, or one per family), as brms's mixture() does.
    const components = families.flatMap((f, i) => Array.from({ length: nmix ? nmix[nmix.length === 1 ? 0 : i] : 1 }, () => f.family));
    return mixtureChoice(components, { order, span: e.span });
  }

  /** `poisson()`, `Gamma(link = "log")`, `student(link_sigma = "identity")`, `brmsfamily("poisson", ...)`. */
  private familyCall(e: Extract<RExpr, { kind: "Call" }>, fn: string | undefined): FamilyChoice {
    const args = [...e.args];
    let name = fn;
    if (name === undefined) {
      const first = args.shift();
      const v = first ? this.evaluate(first.value) : undefined;
      if (!first || !v || v.type !== "string") fail("Semantic error", e.span, 'brmsfamily() needs the family name as a string, as in brmsfamily("poisson").');
      name = v.value;
    }
    const links: { dpar: string; link: string; span: Span }[] = [];
    for (const a of args) {
      const key = a.name ?? "link";
      if (key !== "link" && !key.startsWith("link_")) {
        fail("Semantic error", a.nameSpan ?? a.span, `The family argument '${key}' is not supported.`, ["Family arguments may set links: link = ..., link_sigma = ..., ..."]);
      }
      const v = this.evaluate(a.value);
      let link: string;
      if (v.type === "string") link = v.value;
      else if (a.value.kind === "Name") link = a.value.name;
      else fail("Semantic error", a.value.span, `A link must be given as a name or string, as in link = "log".`);
      links.push({ dpar: key === "link" ? "mu" : key.slice("link_".length), link, span: a.value.span });
    }
    return familyFromName(name, e.span, fn !== undefined, links);
  }

  private list(e: Extract<RExpr, { kind: "Call" }>): Value {
    const entries = new Map<string, Value>();
    for (const a of e.args) {
      if (a.name === undefined) fail("Semantic error", a.span, "list() entries must be named.");
      entries.set(a.name, this.evaluate(a.value));
    }
    return { type: "list", entries };
  }

  private brm(e: Extract<RExpr, { kind: "Call" }>): Value {
    const order = ["formula", "data", "family", "prior"];
    const positional = e.args.filter((a) => a.name === undefined);
    const named = new Map<string, RArg>();
    for (const a of e.args) {
      if (a.name === undefined) continue;
      if (named.has(a.name)) fail("Semantic error", a.nameSpan ?? a.span, `The argument '${a.name}' is given twice.`);
      named.set(a.name, a);
    }
    for (const slot of order) {
      if (!named.has(slot) && positional.length > 0) named.set(slot, positional.shift()!);
    }
    if (positional.length > 0) fail("Semantic error", positional[0].span, "Too many unnamed arguments to brm().");

    const numberArg = (key: string): number | undefined => {
      const a = named.get(key);
      if (!a) return undefined;
      const v = this.evaluate(a.value);
      if (v.type !== "number" || !Number.isFinite(v.value)) fail("Semantic error", a.value.span, `brm(${key} = ...) must be a number.`);
      return v.value;
    };

    const formulaArg = named.get("formula");
    if (!formulaArg) fail("Semantic error", e.span, "brm() needs a model formula.");
    const formulaValue = this.evaluate(formulaArg.value);
    let formula: FormulaSpec;
    if (formulaValue.type === "bf") formula = formulaValue.formula;
    else if (formulaValue.type === "formula") formula = { responses: interpretMainFormula(formulaValue.expr), span: formulaValue.expr.span };
    else fail("Semantic error", formulaArg.value.span, "The formula of brm() must be a formula or bf(...).");

    const dataArg = named.get("data");
    if (!dataArg) fail("Semantic error", e.span, "brm() needs data = <data frame>.");
    const data = this.evaluate(dataArg.value);
    if (data.type !== "data") fail("Semantic error", dataArg.value.span, "data must be a data frame read with read_csv().");

    const familyArg = named.get("family");
    const family: FamilyChoice = familyArg ? this.familyValue(familyArg.value) : familyFromName("gaussian", e.span, false);
    let priors: readonly PriorSpec[] = [];
    const priorArg = named.get("prior");
    if (priorArg) {
      const p = this.evaluate(priorArg.value);
      if (p.type === "none") priors = [];
      else if (p.type !== "priors") fail("Semantic error", priorArg.value.span, "prior must be made with prior(...) or c(prior(...), ...).");
      else priors = p.priors;
    }
    let samplePrior: "no" | "yes" | "only" = "no";
    const samplePriorArg = named.get("sample_prior");
    if (samplePriorArg) {
      const v = this.evaluate(samplePriorArg.value);
      // brms: TRUE means "yes", FALSE "no".
      if (v.type === "string" && (v.value === "only" || v.value === "yes" || v.value === "no")) samplePrior = v.value;
      else if (v.type === "bool") samplePrior = v.value ? "yes" : "no";
      else fail("Semantic error", samplePriorArg.value.span, `sample_prior takes "no", "yes" or "only".`);
    }
    const samplePriorOnly = samplePrior === "only";
    let adaptDelta: number | undefined;
    let maxTreedepth: number | undefined;
    const control = named.get("control");
    if (control) {
      const v = this.evaluate(control.value);
      if (v.type !== "list") fail("Semantic error", control.value.span, "control must be list(adapt_delta = ..., max_treedepth = ...).");
      for (const [key, entry] of v.entries) {
        if (entry.type !== "number" || (key !== "adapt_delta" && key !== "max_treedepth")) {
          fail("Semantic error", control.value.span, `control entry '${key}' is not supported (adapt_delta and max_treedepth are).`);
        }
        if (key === "adapt_delta") adaptDelta = entry.value;
        else maxTreedepth = entry.value;
      }
    }

    const known = new Set([...order, "iter", "warmup", "chains", "cores", "seed", "thin", "sample_prior", "control"]);
    const notes: Diagnostic[] = [...this.notes];
    for (const [key, a] of named) {
      if (known.has(key)) continue;
      if (IGNORED_BRM_ARGS.has(key)) {
        notes.push({ kind: "Info", span: a.span, message: `brm(${key} = ...) does not change the model or the draws; stan2ts ignores it.` });
        continue;
      }
      fail("Semantic error", a.nameSpan ?? a.span, `brm() argument '${key}' is not supported.`, [
        `Supported: ${[...known].join(", ")}; ignored: ${[...IGNORED_BRM_ARGS].join(", ")}.`,
      ]);
    }
    const script: BrmsScript = {
      file: this.script.file,
      source: this.script.source,
      formula,
      priors,
      family,
      // The contrasts in force at this call decide how its factors are coded.
      data: this.contrastsOption ? { ...data.data, mutations: [...data.data.mutations, { kind: "contrastsOption", functions: this.contrastsOption }] } : data.data,
      dataName: deparseR(dataArg.value),
      samplePriorOnly,
      samplePrior,
      sampling: {
        iter: numberArg("iter"),
        warmup: numberArg("warmup"),
        chains: numberArg("chains"),
        cores: numberArg("cores"),
        seed: numberArg("seed"),
        thin: numberArg("thin"),
        adaptDelta,
        maxTreedepth,
      },
      notes,
      brmSpan: e.span,
      postFit: [],
    };
    this.fits.push(script);
    return { type: "fit", script };
  }
}

/** `bf(...) + lf(a ~ 1)`, `bf(...) + nlf(sigma ~ …)`: the parameter formulas join the bf()'s one response. */
function addParameterFormulas(left: Value, right: Extract<Value, { type: "lf" | "nlf" }>, leftSpan: Span): Value {
  if (left.type !== "bf" || left.formula.responses.length !== 1) {
    fail("Semantic error", leftSpan, `${right.type}() formulas are added to one bf() formula, as in bf(y ~ a * exp(b * x), nl = TRUE) + lf(a ~ 1) + lf(b ~ 1).`);
  }
  const response = left.formula.responses[0];
  if (right.type === "nlf") {
    const formula = right.formula;
    if (response.dpars.some((d) => d.dpar === formula.dpar) || response.nonlinearDpars?.some((d) => d.dpar === formula.dpar)) {
      fail("Semantic error", formula.span, `${formula.dpar} has more than one formula.`);
    }
    return { type: "bf", formula: { ...left.formula, responses: [{ ...response, nonlinearDpars: [...(response.nonlinearDpars ?? []), formula] }] } };
  }
  const dpars = [...response.dpars];
  for (const formula of right.formulas) {
    if (dpars.some((d) => d.dpar === formula.dpar)) fail("Semantic error", formula.span, `${formula.dpar} has more than one formula.`);
    dpars.push(formula);
  }
  return { type: "bf", formula: { ...left.formula, responses: [{ ...response, dpars }] } };
}

/** R's argument matching for a fixed parameter list: exact names first, then positions. */
function matchArgs(e: Extract<RExpr, { kind: "Call" }>, order: readonly string[], fn: string): Map<string, RArg> {
  const result = new Map<string, RArg>();
  for (const a of e.args) {
    if (a.name === undefined) continue;
    if (!order.includes(a.name)) {
      fail("Semantic error", a.nameSpan ?? a.span, `Unknown argument '${a.name}' of ${fn}().`, [`${fn}() takes: ${order.join(", ")}.`]);
    }
    if (result.has(a.name)) fail("Semantic error", a.nameSpan ?? a.span, `The argument '${a.name}' is given twice.`);
    result.set(a.name, a);
  }
  const free = order.filter((k) => !result.has(k));
  for (const a of e.args) {
    if (a.name !== undefined) continue;
    const slot = free.shift();
    if (slot === undefined) fail("Semantic error", a.span, `Too many arguments to ${fn}().`);
    result.set(slot, a);
  }
  return result;
}

/** The `d$x` reads inside an expression. */
function membersOf(e: RExpr): Extract<RExpr, { kind: "Member" }>[] {
  switch (e.kind) {
    case "Member":
      return [e];
    case "Call":
      return [...membersOf(e.fn), ...e.args.flatMap((a) => membersOf(a.value))];
    case "Binary":
      return [...membersOf(e.left), ...membersOf(e.right)];
    case "Unary":
      return membersOf(e.operand);
    case "Paren":
      return membersOf(e.inner);
    default:
      return [];
  }
}

/** Gives every node of an expression parsed from a string the span of that string. */
function relocate(e: RExpr, span: Span): RExpr {
  const walk = (x: RExpr): RExpr => {
    switch (x.kind) {
      case "Call":
        return { ...x, span, fn: walk(x.fn), args: x.args.map((a) => ({ ...a, span, value: walk(a.value) })) };
      case "Binary":
        return { ...x, span, opSpan: span, left: walk(x.left), right: walk(x.right) };
      case "Unary":
        return { ...x, span, operand: walk(x.operand) };
      case "Paren":
        return { ...x, span, inner: walk(x.inner) };
      default:
        return { ...x, span } as RExpr;
    }
  };
  return walk(e);
}
