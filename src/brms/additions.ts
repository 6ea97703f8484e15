/**
 * brms addition terms, the `y | weights(w) + cens(c, y2) ~ ...` part of a formula (brms 2.18):
 * reading them from the formula, checking them against the family and the data, and the Stan
 * code and data they add. The likelihood changes as brms's stan_log_lik does it: weights,
 * censoring and truncation make the statement run row by row; censoring and truncation use the
 * response-scale density (`poisson_lpmf` after `mu = exp(mu)`, not `poisson_log_lpmf`) with its
 * `_lcdf`/`_lccdf`; se() replaces or widens sigma; rate() scales mu (and negbinomial's shape).
 */
import type { Expr, Stmt } from "../ast/ast";
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import type { DataFrame } from "./dataFrame";
import type { FamilySpec, Likelihood, LikelihoodContext } from "./families/family";
import { withSuffix } from "./names";
import { deparseR, type RArg, type RExpr, type VariableRef } from "./rAst";
import * as b from "./stanBuilders";
import { compensatedSum } from "./rArithmetic";
import type { MissingValueTerm } from "./missingValues";

/** A truncation bound: a number (recycled to every row) or a data column. */
export type TruncBound = { readonly kind: "number"; readonly value: number; readonly span: Span } | { readonly kind: "column"; readonly column: VariableRef };

export interface AdditionTerms {
  readonly trials?: VariableRef;
  /** weights(x, scale = ): `scale` rescales the weights to sum to the number of rows. */
  readonly weights?: VariableRef & { readonly termSpan: Span; readonly scale: boolean };
  /** se(x, sigma = ): known standard errors; `sigma` keeps the residual sd as well. */
  readonly se?: { readonly column: VariableRef; readonly sigma: boolean; readonly span: Span };
  readonly rate?: VariableRef & { readonly termSpan: Span };
  /** cens(x, y2): the censoring codes and, for interval censoring, the upper ends. */
  readonly cens?: { readonly column: VariableRef; readonly upper?: VariableRef; readonly span: Span };
  readonly trunc?: { readonly lb?: TruncBound; readonly ub?: TruncBound; readonly span: Span };
  /** subset(s): the rows (s TRUE or non-zero) this response of a multivariate model is observed on. */
  readonly subset?: VariableRef & { readonly termSpan: Span };
  /** thres(x, gr = ): the number of thresholds (a number, or a column with one value per group) and the threshold groups. */
  readonly thres?: ThresTerm;
  /** dec(x): the wiener family's decisions (1 or "upper": upper boundary; 0 or "lower": lower). */
  readonly dec?: VariableRef & { readonly termSpan: Span };
  /** mi(sdy): missing responses imputed, or (with sdy) a response measured with known error (missingValues.ts). */
  readonly mi?: MissingValueTerm;
}

export interface ThresTerm {
  readonly count?: { readonly kind: "number"; readonly value: number; readonly span: Span } | { readonly kind: "column"; readonly column: VariableRef };
  readonly group?: VariableRef;
  readonly span: Span;
}

/** Every addition term brms 2.18 knows, with why stan2ts does not implement the ones it refuses. */
const REFUSED: Readonly<Record<string, string>> = {
  cat: "cat() sets the number of categories of categorical-type families, which stan2ts does not implement here.",
  index: "index() matches the rows of a mi() response in another response's data (brms's idx), which stan2ts does not implement.",
  vreal: "vreal() passes data to custom families, which stan2ts does not implement.",
  vint: "vint() passes data to custom families, which stan2ts does not implement.",
};
const IMPLEMENTED = ["trials", "weights", "se", "rate", "cens", "trunc", "subset", "thres", "dec", "mi"];

/** `trials(n) + weights(w) + ...` → the addition terms; anything else is a located error. */
export function interpretAdditions(e: RExpr): AdditionTerms {
  const found: { -readonly [K in keyof AdditionTerms]: AdditionTerms[K] } = {};
  for (const term of sumTerms(e)) {
    const name = term.kind === "Call" && term.fn.kind === "Name" ? term.fn.name : undefined;
    if (term.kind !== "Call" || name === undefined || !(IMPLEMENTED.includes(name) || name in REFUSED)) {
      fail("Semantic error", term.span, `'${deparseR(term)}' is not an addition term.`, [
        "After '|' on the left of '~' brms expects addition terms such as trials(n), weights(w), cens(c), trunc(lb = 0), se(s) or rate(n).",
      ]);
    }
    if (name in REFUSED) fail("Semantic error", term.span, `The addition term ${name}() is not supported.`, [REFUSED[name]]);
    if ((found as Record<string, unknown>)[name] !== undefined) fail("Semantic error", term.span, `${name}() is given twice.`);
    switch (name) {
      case "trials": {
        const args = matchArgs(term, ["x"], "trials");
        found.trials = columnArg(args.get("x"), term, "trials", "the number of trials");
        break;
      }
      case "weights": {
        const args = matchArgs(term, ["x", "scale"], "weights");
        const scale = args.get("scale");
        if (scale && scale.value.kind !== "Bool") fail("Semantic error", scale.value.span, "weights(..., scale = ) takes TRUE or FALSE.");
        const rescale = scale !== undefined && scale.value.kind === "Bool" && scale.value.value;
        found.weights = { ...columnArg(args.get("x"), term, "weights", "the weights"), termSpan: term.span, scale: rescale };
        break;
      }
      case "se": {
        const args = matchArgs(term, ["x", "sigma"], "se");
        const sigma = args.get("sigma");
        if (sigma && sigma.value.kind !== "Bool") fail("Semantic error", sigma.value.span, "se(..., sigma = ) takes TRUE or FALSE.");
        const keepSigma = sigma !== undefined && sigma.value.kind === "Bool" && sigma.value.value;
        found.se = { column: columnArg(args.get("x"), term, "se", "the standard errors"), sigma: keepSigma, span: term.span };
        break;
      }
      case "rate": {
        const args = matchArgs(term, ["denom"], "rate");
        found.rate = { ...columnArg(args.get("denom"), term, "rate", "the denominators (exposures)"), termSpan: term.span };
        break;
      }
      case "cens": {
        const args = matchArgs(term, ["x", "y2"], "cens");
        const column = columnArg(args.get("x"), term, "cens", "the censoring codes ('left', 'none', 'right', 'interval' or -1, 0, 1, 2)");
        const y2 = args.get("y2");
        const upper = y2 && y2.value.kind !== "NA" ? columnArg(y2, term, "cens", "the upper ends of interval-censored rows (y2)") : undefined;
        found.cens = { column, upper, span: term.span };
        break;
      }
      case "dec": {
        const args = matchArgs(term, ["x"], "dec");
        found.dec = { ...columnArg(args.get("x"), term, "dec", "the decisions (1 or 'upper' for the upper boundary, 0 or 'lower' for the lower)"), termSpan: term.span };
        break;
      }
      case "subset": {
        const args = matchArgs(term, ["x"], "subset");
        found.subset = { ...columnArg(args.get("x"), term, "subset", "the rows of this response (TRUE/FALSE or 1/0)"), termSpan: term.span };
        break;
      }
      case "trunc": {
        const args = matchArgs(term, ["lb", "ub"], "trunc");
        const lb = truncBound(args.get("lb"), -Infinity);
        const ub = truncBound(args.get("ub"), Infinity);
        if (!lb && !ub) fail("Semantic error", term.span, "trunc() needs a bound, as in trunc(lb = 0) or trunc(ub = 10).");
        found.trunc = { lb, ub, span: term.span };
        break;
      }
      case "mi": {
        const args = matchArgs(term, ["sdy"], "mi");
        const sdy = args.get("sdy");
        found.mi = { ...(sdy ? { sdy: columnArg(sdy, term, "mi", "the known measurement sd of the response (sdy)") } : {}), span: term.span };
        break;
      }
      case "thres": {
        const args = matchArgs(term, ["x", "gr"], "thres");
        const x = args.get("x");
        const value = x ? numberOf(x.value) : undefined;
        const count = !x ? undefined : value !== undefined ? { kind: "number" as const, value, span: x.value.span } : { kind: "column" as const, column: columnArg(x, term, "thres", "the number of thresholds") };
        const gr = args.get("gr");
        const group = gr ? columnArg(gr, term, "thres", "the threshold groups (gr =)") : undefined;
        found.thres = { count, group, span: term.span };
        break;
      }
    }
  }
  return found;
}

function sumTerms(e: RExpr): RExpr[] {
  if (e.kind === "Binary" && e.op === "+") return [...sumTerms(e.left), ...sumTerms(e.right)];
  return [e];
}

function matchArgs(call: Extract<RExpr, { kind: "Call" }>, order: readonly string[], fn: string): Map<string, RArg> {
  const out = new Map<string, RArg>();
  for (const a of call.args) {
    if (a.name === undefined) continue;
    if (!order.includes(a.name)) fail("Semantic error", a.nameSpan ?? a.span, `Unknown argument '${a.name}' of ${fn}().`, [`${fn}() takes: ${order.join(", ")}.`]);
    if (out.has(a.name)) fail("Semantic error", a.nameSpan ?? a.span, `The argument '${a.name}' is given twice.`);
    out.set(a.name, a);
  }
  const free = order.filter((k) => !out.has(k));
  for (const a of call.args) {
    if (a.name !== undefined) continue;
    const slot = free.shift();
    if (slot === undefined) fail("Semantic error", a.span, `Too many arguments to ${fn}().`, [`${fn}() takes: ${order.join(", ")}.`]);
    out.set(slot, a);
  }
  return out;
}

function columnArg(arg: RArg | undefined, term: RExpr, fn: string, what: string): VariableRef {
  if (!arg) fail("Semantic error", term.span, `${fn}() needs ${what} as a column of the data.`);
  if (arg.value.kind !== "Name") {
    fail("Semantic error", arg.value.span, `${fn}(${deparseR(arg.value)}) is not supported; give ${what} as a column of the data (compute it with mutate() first).`);
  }
  return { name: arg.value.name, span: arg.value.span };
}

/** A bound as a number (`-3`, `Inf`) or a column; the unbounded default is no bound. */
function truncBound(arg: RArg | undefined, unbounded: number): TruncBound | undefined {
  if (!arg) return undefined;
  const value = numberOf(arg.value);
  if (value !== undefined) return value === unbounded ? undefined : { kind: "number", value, span: arg.value.span };
  if (arg.value.kind === "Name") return { kind: "column", column: { name: arg.value.name, span: arg.value.span } };
  return fail("Semantic error", arg.value.span, `trunc() bounds must be numbers or data columns, not '${deparseR(arg.value)}'.`);
}

function numberOf(e: RExpr): number | undefined {
  if (e.kind === "Num") return e.value;
  if (e.kind === "Name" && e.name === "Inf") return Infinity;
  if (e.kind === "Unary" && (e.op === "-" || e.op === "+")) {
    const inner = numberOf(e.operand);
    return inner === undefined ? undefined : e.op === "-" ? -inner : inner;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Checks against the family and the data

/** Columns the addition terms read: numeric ones, and cens() codes (numbers or words). */
export function additionColumns(a: AdditionTerms): { numeric: VariableRef[]; codes: VariableRef[] } {
  const numeric: VariableRef[] = [];
  if (a.trials) numeric.push(a.trials);
  if (a.weights) numeric.push(a.weights);
  if (a.se) numeric.push(a.se.column);
  if (a.rate) numeric.push(a.rate);
  if (a.cens?.upper) numeric.push(a.cens.upper);
  for (const bound of [a.trunc?.lb, a.trunc?.ub]) if (bound?.kind === "column") numeric.push(bound.column);
  if (a.thres?.count?.kind === "column") numeric.push(a.thres.count.column);
  if (a.mi?.sdy) numeric.push(a.mi.sdy);
  // cens() codes, subset() indicators, threshold groups (checked with the thresholds, ordinalTerms.ts)
  // and dec() decisions may be numbers or words.
  const codes = [...(a.cens ? [a.cens.column] : []), ...(a.subset ? [a.subset] : []), ...(a.thres?.group ? [a.thres.group] : []), ...(a.dec ? [a.dec] : [])];
  return { numeric, codes };
}

const SE_FAMILIES = ["gaussian", "student"];

/** Refuses addition terms the family (with its mu link) cannot take in stan2ts, naming why; `responseSpan` locates a missing required term. */
export function checkAdditionsForFamily(a: AdditionTerms, family: FamilySpec, link: string, predictedDpars: readonly string[], rescor: boolean, responseSpan: Span): void {
  // brms 2.18's messages (validate_data / the family's `ad` list)
  if (family.additions.includes("dec") && !a.dec) {
    fail("Semantic error", responseSpan, `Addition argument 'dec' is required for family '${family.name}'.`, [
      "Give each row's decision after '|': rt | dec(decision) ~ ..., the decisions 1 or 'upper' (upper boundary) and 0 or 'lower'.",
    ]);
  }
  if (a.dec && !family.additions.includes("dec")) {
    fail("Semantic error", a.dec.termSpan, `Argument 'dec' is not supported for family '${family.name}(${link})'.`, ["dec() gives the decisions of the wiener (drift diffusion) family."]);
  }
  // The residual correlations' density takes every response at once, row by row alike: brms allows
  // only se(), weights() and mi() there (stan2ts refuses mi() with rescor, missingValues.ts).
  const refusedByBrms = [a.rate?.termSpan, a.cens?.span, a.trunc?.span, a.subset?.termSpan].filter((s): s is Span => s !== undefined);
  if (rescor && refusedByBrms.length > 0) {
    fail("Semantic error", refusedByBrms[0], "Only 'se', 'weights', 'mi' are supported addition arguments when 'rescor' is estimated.", [
      "Use set_rescor(FALSE) to model the responses without residual correlations.",
    ]);
  }
  for (const term of [a.cens, a.trunc]) {
    if (term && !family.cdfs) {
      const name = term === a.cens ? "cens" : "trunc";
      fail("Semantic error", term.span, `${name}() needs the ${family.name} family's log CDF and CCDF, which stan2ts has not wired up for this family.`, [
        "cens() and trunc() work with gaussian, student, skew_normal, lognormal, exgaussian, Gamma, weibull, frechet, exponential, poisson, negbinomial and geometric.",
      ]);
    }
  }
  if (a.se) {
    if (!SE_FAMILIES.includes(family.name)) fail("Semantic error", a.se.span, `se() is for gaussian and student models, not ${family.name}.`);
    // se() alone fixes sigma at 0 (brms's no_sigma), so there is no sigma to predict: brms's message
    if (predictedDpars.includes("sigma") && !a.se.sigma) {
      fail("Semantic error", a.se.span, "Cannot predict or fix 'sigma' in this model.", ["se(x) alone takes the standard errors as the whole residual sd; write se(x, sigma = TRUE) to model sigma as well."]);
    }
  }
  if (a.rate && family.rateScaled === undefined) {
    fail("Semantic error", a.rate.termSpan, `rate() is for count families with a rate (poisson, negbinomial), not ${family.name}.`);
  }
}

/** brms's prepare_cens: a prefix of left/none/right/interval, or -1/0/1/2. */
function censCode(value: string | number): number | undefined {
  if (typeof value === "number") return [-1, 0, 1, 2].includes(value) ? value : undefined;
  const words: [string, number][] = [["left", -1], ["none", 0], ["right", 1], ["interval", 2]];
  const t = value.trim();
  if (t === "TRUE") return 1;
  if (t === "FALSE") return 0;
  const match = words.find(([w]) => t !== "" && w.startsWith(t));
  return match?.[1];
}

const rowNote = (frame: DataFrame, row: number) => `(data row ${row + 1} is line ${row + 2} of ${frame.source})`;

/** The values the addition terms give each kept row, checked as brms checks them. */
export interface AdditionData {
  readonly weights?: Float64Array;
  readonly se?: Float64Array;
  readonly denom?: Float64Array;
  readonly cens?: Int32Array;
  /** The interval ends (y2) where cens is 2, else 0 (as make_standata fills them). */
  readonly rcens?: Float64Array;
  readonly lb?: Float64Array;
  readonly ub?: Float64Array;
  /** dec(): 1 for the upper boundary, 0 for the lower. */
  readonly dec?: Int32Array;
}

/** The addition terms' data columns, checked; `response` reads the response (only cens() and trunc() need it: a categorical response is text). */
export function additionData(a: AdditionTerms, frame: DataFrame, rows: Int32Array, response: () => Float64Array, intResponse: boolean): AdditionData {
  const numeric = (ref: VariableRef) => {
    const column = frame.columns.get(ref.name);
    if (!column || column.kind !== "numeric") throw new Error(`internal: ${ref.name} is not a numeric column`);
    return Float64Array.from(rows, (r) => column.values[r]);
  };
  const nonNegative = (ref: VariableRef, fn: string, strict: boolean) => {
    const values = numeric(ref);
    values.forEach((v, i) => {
      if (!(strict ? v > 0 : v >= 0)) {
        fail("Data error", ref.span, `${fn}() needs ${strict ? "positive" : "non-negative"} values, but row ${rows[i] + 1} of '${ref.name}' holds ${v}.`, [rowNote(frame, rows[i])]);
      }
    });
    return values;
  };
  const out: { -readonly [K in keyof AdditionData]: AdditionData[K] } = {};
  if (a.weights) {
    const weights = nonNegative(a.weights, "weights", false);
    // brms's scale = TRUE: weights / sum(weights) * N (R sums in extended precision; a compensated sum matches it).
    if (a.weights.scale) {
      const total = compensatedSum(weights);
      weights.forEach((w, i) => (weights[i] = (w / total) * weights.length));
    }
    out.weights = weights;
  }
  if (a.se) out.se = nonNegative(a.se.column, "se", false);
  if (a.dec) out.dec = decisions(a.dec, frame, rows);
  if (a.rate) out.denom = nonNegative(a.rate, "rate", true);
  if (a.cens) {
    const ref = a.cens.column;
    const column = frame.columns.get(ref.name)!;
    const cens = new Int32Array(rows.length);
    rows.forEach((r, i) => {
      const raw = column.kind === "numeric" ? column.values[r] : column.values[r]!;
      const code = censCode(raw);
      if (code === undefined) {
        fail("Data error", ref.span, `cens() codes must be 'left', 'none', 'right' or 'interval' (or -1, 0, 1, 2), but row ${r + 1} of '${ref.name}' holds ${raw}.`, [rowNote(frame, r)]);
      }
      cens[i] = code;
    });
    out.cens = cens;
    const interval = cens.findIndex((c) => c === 2);
    if (a.cens.upper) {
      const upper = numeric(a.cens.upper);
      const rcens = new Float64Array(rows.length);
      const y = response();
      cens.forEach((c, i) => {
        if (c !== 2) return;
        if (!(upper[i] > y[i])) {
          fail("Data error", a.cens!.upper!.span, `Interval-censored rows need an upper end above the response, but row ${rows[i] + 1} has ${a.cens!.upper!.name} = ${upper[i]} and response ${y[i]}.`, [rowNote(frame, rows[i])]);
        }
        if (intResponse && !Number.isInteger(upper[i])) {
          fail("Data error", a.cens!.upper!.span, `The upper ends of a count response must be integers, but row ${rows[i] + 1} of '${a.cens!.upper!.name}' holds ${upper[i]}.`, [rowNote(frame, rows[i])]);
        }
        rcens[i] = upper[i];
      });
      out.rcens = rcens;
    } else if (interval >= 0) {
      fail("Data error", a.cens.span, `Row ${rows[interval] + 1} is interval censored, so cens() needs the upper ends as its second argument: cens(${ref.name}, y2).`, [rowNote(frame, rows[interval])]);
    }
  }
  if (a.trunc) {
    const bound = (t: TruncBound | undefined) => (t === undefined ? undefined : t.kind === "number" ? new Float64Array(rows.length).fill(t.value) : numeric(t.column));
    const lb = bound(a.trunc.lb);
    const ub = bound(a.trunc.ub);
    for (const [values, t] of [[lb, a.trunc.lb], [ub, a.trunc.ub]] as const) {
      if (values && intResponse && !values.every(Number.isInteger)) {
        fail("Data error", t!.kind === "number" ? t!.span : t!.column.span, "Truncation bounds of a count response must be integers.");
      }
    }
    response().forEach((v, i) => {
      if ((lb && v < lb[i]) || (ub && v > ub[i])) {
        fail("Data error", a.trunc!.span, `Some responses are outside of the truncation bounds: row ${rows[i] + 1} holds ${v}.`, [rowNote(frame, rows[i])]);
      }
    });
    if (lb) out.lb = lb;
    if (ub) out.ub = ub;
  }
  return out;
}

/**
 * dec()'s values as brms's data_response reads them: words must be "lower" (0) or "upper" (1), a
 * logical column's TRUE/FALSE are 1/0, and numbers go through R's as.logical (non-zero is 1).
 */
function decisions(ref: VariableRef, frame: DataFrame, rows: Int32Array): Int32Array {
  const column = frame.columns.get(ref.name)!;
  const out = new Int32Array(rows.length);
  const words = column.kind === "numeric" ? [] : Array.from(rows, (r) => String(column.values[r]).trim());
  const logical = words.length > 0 && words.every((w) => w === "TRUE" || w === "FALSE");
  rows.forEach((r, i) => {
    if (column.kind === "numeric") {
      const value = column.values[r];
      if (Number.isNaN(value)) fail("Data error", ref.span, `dec() needs a decision in every row, but row ${r + 1} of '${ref.name}' is missing.`, [rowNote(frame, r)]);
      out[i] = value !== 0 ? 1 : 0;
      return;
    }
    const word = words[i];
    if (logical) out[i] = word === "TRUE" ? 1 : 0;
    else if (word === "lower" || word === "upper") out[i] = word === "upper" ? 1 : 0;
    else fail("Data error", ref.span, "Decisions should be 'lower' or 'upper' when supplied as characters or factors.", [`Row ${r + 1} of '${ref.name}' holds '${word}' ${rowNote(frame, r)}.`]);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stan code

/** True when the likelihood runs row by row because of an addition term (brms's stan_log_lik_adj). */
export function rowwiseAdditions(a: AdditionTerms): boolean {
  return a.weights !== undefined || a.cens !== undefined || a.trunc !== undefined;
}

/** brms's use_glm_primitive refuses these addition terms. */
export function blocksGlm(a: AdditionTerms): boolean {
  return a.se !== undefined || a.weights !== undefined || a.cens !== undefined || a.trunc !== undefined || a.rate !== undefined;
}

/** Censoring and truncation need the response-scale density, so built-in links (`poisson_log`) are not used. */
export function needsResponseScale(a: AdditionTerms): boolean {
  return a.cens !== undefined || a.trunc !== undefined;
}

/** se() without `sigma = TRUE`: sigma is fixed at 0 and se takes its place. */
export function seReplacesSigma(a: AdditionTerms): boolean {
  return a.se !== undefined && !a.se.sigma;
}

/** Data-block declarations after trials, in brms's order: weights, se, dec, denom, cens, rcens, lb, ub. */
export function additionDataDecls(a: AdditionTerms, resp: string, N: string, intResponse: boolean): Stmt[] {
  const name = (n: string) => withSuffix(n, resp);
  const out: Stmt[] = [];
  const positiveVector = (n: string) => b.decl("vector", name(n), { sizes: [b.v(N)], lower: b.int(0) });
  if (a.weights) out.push(positiveVector("weights"));
  if (a.se) out.push(positiveVector("se"));
  if (a.dec) out.push(b.decl("int", name("dec"), { arrayDims: [b.v(N)], lower: b.int(0), upper: b.int(1) }));
  if (a.rate) out.push(positiveVector("denom"));
  if (a.cens) {
    out.push(b.decl("int", name("cens"), { arrayDims: [b.v(N)], lower: b.neg(b.int(1)), upper: b.int(2) }));
    if (a.cens.upper) out.push(intResponse ? b.decl("int", name("rcens"), { arrayDims: [b.v(N)] }) : b.decl("vector", name("rcens"), { sizes: [b.v(N)] }));
  }
  const type = intResponse ? "int" : "real";
  if (a.trunc?.lb) out.push(b.decl(type, name("lb"), { arrayDims: [b.v(N)] }));
  if (a.trunc?.ub) out.push(b.decl(type, name("ub"), { arrayDims: [b.v(N)] }));
  return out;
}

/** Transformed data brms adds: `se2 = square(se)`, `log_denom = log(denom)`. */
export function additionTransformedData(a: AdditionTerms, resp: string, N: string): Stmt[] {
  const name = (n: string) => withSuffix(n, resp);
  const out: Stmt[] = [];
  if (a.se) out.push(b.decl("vector", name("se2"), { sizes: [b.v(N)], lower: b.int(0), init: b.call("square", b.v(name("se"))) }));
  if (a.rate) out.push(b.decl("vector", name("log_denom"), { sizes: [b.v(N)], init: b.call("log", b.v(name("denom"))) }));
  return out;
}

/**
 * The likelihood context with se() and rate() applied to the parameters the density reads:
 * sigma becomes `se` or `sqrt(square(sigma) + se2)`; mu gets `+ log_denom` when the density applies
 * the log link itself, else `* denom`; the family's rate-scaled dpars (negbinomial's shape) `* denom`.
 */
export function adjustedContext(ctx: LikelihoodContext, a: AdditionTerms, family: FamilySpec, resp: string, builtInLog: boolean): LikelihoodContext {
  const at = (n: string) => (ctx.rowwise ? b.idx(b.v(withSuffix(n, resp)), b.v("n")) : b.v(withSuffix(n, resp)));
  return {
    ...ctx,
    dpar: (name) => {
      const base = ctx.dpar(name);
      if (name === "sigma" && a.se) return a.se.sigma ? b.call("sqrt", b.bin("+", b.call("square", base), at("se2"))) : at("se");
      if (a.rate && name === "mu") {
        if (builtInLog) return b.bin("+", base, at("log_denom"));
        return b.bin(ctx.rowwise ? "*" : ".*", base, at("denom"));
      }
      if (a.rate && family.rateScaled?.includes(name)) {
        return b.bin(ctx.rowwise || !ctx.isPredicted(name) ? "*" : ".*", base, at("denom"));
      }
      return base;
    },
  };
}

/**
 * The likelihood statement with the addition terms applied, as brms writes it: `density - truncation`,
 * weighted as `weights[n] * (...)`, or censoring's if/else chain over `cens[n]`.
 */
export function additionLikelihood(a: AdditionTerms, ll: Likelihood, suffix: "_lpdf" | "_lpmf", y: Expr, resp: string, intResponse: boolean): Stmt {
  const n = () => b.v("n");
  const row = (name: string) => b.idx(b.v(withSuffix(name, resp)), n());
  const shifted = (e: Expr) => (ll.shift ? b.bin("-", e, ll.shift) : e);
  const at = (variant: string, value: Expr) => b.lpdf(`${ll.dist}${variant}`, shifted(value), ...ll.args);
  let truncation: Expr | undefined;
  if (a.trunc) {
    // A discrete response's lower bound is inclusive: P(Y >= lb) = 1 - F(lb - 1).
    const lb = () => (intResponse ? b.bin("-", row("lb"), b.int(1)) : row("lb"));
    if (a.trunc.lb && a.trunc.ub) truncation = b.call("log_diff_exp", at("_lcdf", row("ub")), at("_lcdf", lb()));
    else if (a.trunc.lb) truncation = at("_lccdf", lb());
    else truncation = at("_lcdf", row("ub"));
  }
  const truncated = (e: Expr) => (truncation ? b.bin("-", e, truncation) : e);
  if (a.cens) {
    const weighted = (e: Expr) => (a.weights ? b.bin("*", row("weights"), e) : e);
    const branch = (code: number, e: Expr) => ({ condition: b.bin("==", row("cens"), code < 0 ? b.neg(b.int(1)) : b.int(code)), body: [b.targetPlus(truncated(weighted(e)))] });
    const branches = [branch(0, at(suffix, y)), branch(1, at("_lccdf", y)), branch(-1, at("_lcdf", y))];
    if (a.cens.upper) branches.push(branch(2, b.call("log_diff_exp", at("_lcdf", row("rcens")), at("_lcdf", y))));
    let chain: Stmt | undefined;
    for (const br of branches.reverse()) chain = b.ifElse(br.condition, b.block(br.body), chain);
    return chain!;
  }
  const density = truncated(at(suffix, y));
  return b.targetPlus(a.weights ? b.bin("*", row("weights"), b.paren(density)) : density);
}
