/**
 * Non-linear brms formulas, `bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE)`, as brms
 * 2.18 builds them: the formulas of the other parameters split into the family's distributional
 * parameters and the non-linear parameters (nlpars, each a linear predictor `nlp_a` of its own
 * with an uncentred design matrix `X_a` and coefficients `b_a`), the data columns the expression
 * reads (brms's covariates `C_1`, `C_2`, … in R's `all.vars` order), the row loop
 * `mu[n] = <expression>` with the R operators and functions passed to Stan as brms passes them,
 * and brms's rule that every nlpar needs a proper prior.
 *
 * This module knows formulas, data and Stan expressions only; buildModel.ts, emitStanProgram.ts,
 * buildStanData.ts and priors.ts call it where a non-linear model differs from a linear one.
 */
import type { BinaryOperator, Expr, Stmt } from "../ast/ast";
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { columnHint, type DataFrame } from "./dataFrame";
import { joinNonEmpty } from "./names";
import type { DparFormula, ResponseSpec, VariableRef } from "./formula";
import { deparseR, formatRNumber, type RExpr } from "./rAst";
import * as b from "./stanBuilders";

type FormulaExpr = Extract<RExpr, { kind: "Formula" }>;

/** What a non-linear mu reads: its expression, the nlpars it names and the covariates (data columns). */
export interface NonlinearInfo {
  readonly expr: RExpr;
  /** Non-linear parameters in the order of their formulas (brms's order of `b_a`, `b_b`, …). */
  readonly nlparNames: readonly string[];
  /** Data columns the expression reads, in R's `all.vars` order: `C_1`, `C_2`, … */
  readonly covariates: readonly VariableRef[];
  /** "" for mu (`C_1`), the dpar for an `nlf()` dpar (`C_sigma_1`); then the response in a multivariate model (`C_y_1`, `C_sigma_y_1`). */
  readonly covariatePrefix: string;
  /** bf(loop = FALSE): one statement over whole vectors instead of the row loop. */
  readonly vectorised: boolean;
  readonly span: Span;
}

/** brms's covariate data names, `C_1`, `C_2`, … (`C_sigma_1` for an `nlf()` dpar). */
export const covariateName = (info: NonlinearInfo, k: number): string => (info.covariatePrefix === "" ? `C_${k + 1}` : `C_${info.covariatePrefix}_${k + 1}`);

/** brms's name of an nlpar's linear predictor vector: `nlp_a`. */
export const nlparVectorName = (prefix: string): string => `nlp_${prefix}`;

/** `a + b ~ 1 + z` is one formula per name on the left (brms's shorthand for nlpars sharing a formula). */
export function splitParameterFormula(f: FormulaExpr): FormulaExpr[] {
  if (!f.lhs || f.lhs.kind !== "Binary" || f.lhs.op !== "+") return [f];
  const names: RExpr[] = [];
  const walk = (e: RExpr): void => {
    if (e.kind === "Binary" && e.op === "+") {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === "Name") names.push(e);
    else fail("Semantic error", e.span, `'${deparseR(e)}' is not a parameter name; the left side of a parameter formula lists names, as in 'a + b ~ 1 + x'.`);
  };
  walk(f.lhs);
  return names.map((lhs) => ({ ...f, lhs }));
}

/** The names an R expression reads outside function position, first occurrence first (R's `all.vars`). */
export function allVars(e: RExpr, out: VariableRef[] = []): VariableRef[] {
  switch (e.kind) {
    case "Name":
      if (!out.some((v) => v.name === e.name)) out.push({ name: e.name, span: e.span });
      break;
    case "Paren":
      allVars(e.inner, out);
      break;
    case "Unary":
      allVars(e.operand, out);
      break;
    case "Binary":
      allVars(e.left, out);
      allVars(e.right, out);
      break;
    case "Call":
      for (const a of e.args) allVars(a.value, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * A non-linear response's formulas: those named after one of the family's parameters are
 * distributional formulas, every other one defines an nlpar, which a non-linear expression (mu's
 * or an `nlf()` dpar's) must name (brms's error otherwise). The remaining names of each
 * expression are its covariates.
 */
export function splitNonlinearFormulas(
  spec: ResponseSpec,
  familyDpars: readonly string[],
  resp = "",
): {
  readonly nlpars: readonly DparFormula[];
  readonly dpars: readonly DparFormula[];
  /** mu's expression, when mu is non-linear. */
  readonly info?: NonlinearInfo;
  /** The `nlf()` dpars' expressions by dpar. */
  readonly dparInfos: ReadonlyMap<string, NonlinearInfo>;
} {
  const expressions = [
    ...(spec.nonlinear ? [{ dpar: "", expr: spec.nonlinear.expr, span: spec.nonlinear.span, vectorised: spec.nonlinear.vectorised === true }] : []),
    ...(spec.nonlinearDpars ?? []).map((d) => ({ dpar: d.dpar, expr: d.expr, span: d.span, vectorised: false })),
  ];
  const named = expressions.flatMap((e) => allVars(e.expr));
  const nlpars: DparFormula[] = [];
  const dpars: DparFormula[] = [];
  for (const formula of spec.dpars) {
    if (familyDpars.includes(formula.dpar)) {
      if (spec.nonlinearDpars?.some((d) => d.dpar === formula.dpar)) fail("Semantic error", formula.span, `${formula.dpar} has more than one formula.`);
      dpars.push(formula);
      continue;
    }
    if (!named.some((v) => v.name === formula.dpar)) {
      fail("Semantic error", formula.span, `The parameter '${formula.dpar}' is not a valid distributional or non-linear parameter. Did you forget to set 'nl = TRUE'?`, [
        `No non-linear formula (${expressions.map((e) => `'${deparseR(e.expr)}'`).join(", ") || "none given"}) uses '${formula.dpar}'; the family's parameters are ${familyDpars.join(", ")}.`,
      ]);
    }
    if (formula.spec.offsets.length > 0) fail("Semantic error", formula.span, `offset() in the formula of the non-linear parameter '${formula.dpar}' is not supported.`);
    nlpars.push(formula);
  }
  const nlparNames = nlpars.map((f) => f.dpar);
  const infoOf = (e: (typeof expressions)[number]): NonlinearInfo => {
    checkExpression(e.expr);
    if (e.vectorised) checkVectorised(e.expr);
    const covariates = allVars(e.expr).filter((v) => !nlparNames.includes(v.name));
    return { expr: e.expr, nlparNames, covariates, covariatePrefix: joinNonEmpty(e.dpar, resp), vectorised: e.vectorised, span: e.span };
  };
  const dparInfos = new Map<string, NonlinearInfo>();
  for (const e of expressions) if (e.dpar !== "") dparInfos.set(e.dpar, infoOf(e));
  return { nlpars, dpars, info: spec.nonlinear ? infoOf(expressions[0]) : undefined, dparInfos };
}

/** Every covariate must be a numeric data column (brms: "can neither be found in 'data' nor in 'data2'"). */
export function checkCovariates(info: NonlinearInfo, frame: DataFrame): void {
  const missing = info.covariates.filter((v) => !frame.columns.has(v.name));
  if (missing.length > 0) {
    fail("Data error", missing[0].span, "The following variables can neither be found in 'data' nor in 'data2':", [
      missing.map((v) => `'${v.name}'`).join(", "),
      `Every name in the non-linear formula '${deparseR(info.expr)}' is a non-linear parameter with a formula of its own (such as ${missing[0].name} ~ 1) or a data column. ${columnHint(frame).join(" ")}`,
    ]);
  }
  for (const v of info.covariates) {
    if (frame.columns.get(v.name)!.kind !== "numeric") {
      fail("Data error", v.span, `The covariate '${v.name}' of the non-linear formula must be numeric, but it holds text.`, [
        "brms passes covariates to Stan as vectors; recode the column with mutate() first.",
      ]);
    }
  }
}

/** Stan functions of one or two reals that brms users call in non-linear formulas; brms passes the names to Stan unchanged. */
const STAN_FUNCTIONS = new Set([
  "exp", "log", "log1p", "expm1", "log2", "log10", "exp2", "sqrt", "cbrt", "square", "inv", "inv_sqrt", "inv_square",
  "inv_logit", "logit", "log_inv_logit", "log1m_inv_logit", "inv_cloglog", "log1m", "log1m_exp", "log1p_exp", "Phi", "Phi_approx",
  "lgamma", "tgamma", "digamma", "erf", "erfc", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
  "asinh", "acosh", "atanh", "fabs", "abs", "floor", "ceil", "round", "trunc", "pow", "fmin", "fmax", "fdim", "hypot", "atan2", "lbeta", "step",
]);

/** R functions with another name in Stan, and what to write instead. */
const R_ONLY_FUNCTIONS: Record<string, string> = {
  plogis: "inv_logit",
  qlogis: "logit",
  pnorm: "Phi",
  gamma: "tgamma",
  min: "fmin",
  max: "fmax",
  ifelse: "step() arithmetic",
};

/** R operators brms passes to Stan as they are (comparisons and && / || give Stan's 0/1 ints). */
const OPERATORS = new Set(["+", "-", "*", "/", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||"]);

/** The expression must translate into Stan as brms translates it: arithmetic, numbers, names and Stan's scalar functions. */
function checkExpression(e: RExpr): void {
  switch (e.kind) {
    case "Num":
    case "Name":
      return;
    case "Paren":
      if (e.inner.kind === "Binary" && (e.inner.op === "|" || e.inner.op === "||")) {
        fail("Semantic error", e.span, `The group term '${deparseR(e)}' cannot be part of the non-linear formula.`, [
          "Group-level effects belong in the formula of a non-linear parameter, as in b ~ 1 + (1 | g).",
        ]);
      }
      return checkExpression(e.inner);
    case "Unary":
      if (e.op !== "-" && e.op !== "+" && e.op !== "!") fail("Semantic error", e.span, `The operator '${e.op}' is not supported in a non-linear formula.`);
      return checkExpression(e.operand);
    case "Binary":
      if (!OPERATORS.has(e.op)) {
        fail("Semantic error", e.opSpan, `The operator '${e.op}' is not supported in a non-linear formula.`, [
          e.op === "&" || e.op === "|"
            ? `brms writes the expression into Stan as it stands, and Stan has no '${e.op}': write '${e.op}${e.op}'.`
            : "brms writes the expression into Stan as it stands: use + - * / ^, comparisons, && and || with Stan functions such as exp(), log() and inv_logit().",
        ]);
      }
      checkExpression(e.left);
      return checkExpression(e.right);
    case "Call": {
      const name = e.fn.kind === "Name" ? e.fn.name : deparseR(e.fn);
      if (!STAN_FUNCTIONS.has(name)) {
        const instead = R_ONLY_FUNCTIONS[name];
        fail("Semantic error", e.fn.span, `The function '${name}' is not supported in a non-linear formula.`, [
          instead
            ? `brms passes the expression to Stan unchanged, and Stan has no ${name}(); write ${instead} instead.`
            : `brms passes the expression to Stan unchanged; stan2ts takes Stan's scalar functions here (${[...STAN_FUNCTIONS].slice(0, 12).join(", ")}, …).`,
        ]);
      }
      for (const a of e.args) {
        if (a.name !== undefined) fail("Semantic error", a.nameSpan ?? a.span, `Named arguments ('${a.name} =') are not supported in a non-linear formula.`);
        checkExpression(a.value);
      }
      return;
    }
    default:
      fail("Semantic error", e.span, `'${deparseR(e)}' is not supported in a non-linear formula.`, ["Non-linear formulas combine parameters, data columns and numbers with arithmetic and Stan functions."]);
  }
}

/**
 * bf(loop = FALSE): brms writes the expression over whole vectors, so it is Stan only where each
 * operation is defined for vectors: sums and differences, products and quotients by a number,
 * functions of one vector. Anything else brms writes Stan rejects (`nlp_b * C_1` is no
 * elementwise product there); that gets a located error instead.
 */
function checkVectorised(e: RExpr): boolean {
  const refuse = (at: Span): never =>
    fail("Semantic error", at, `With bf(loop = FALSE), brms writes '${deparseR(e)}' over whole vectors, which Stan rejects.`, [
      "Over vectors Stan takes sums, differences, products and quotients by a number and functions of one vector; leave loop at its default (TRUE) to compute the formula row by row.",
    ]);
  switch (e.kind) {
    case "Num":
      return false;
    case "Name":
      return true;
    case "Paren":
      return checkVectorised(e.inner);
    case "Unary": {
      const vector = checkVectorised(e.operand);
      if (vector && e.op === "!") refuse(e.span);
      return vector;
    }
    case "Binary": {
      const left = checkVectorised(e.left);
      const right = checkVectorised(e.right);
      if (!left && !right) return false;
      const defined = e.op === "+" || e.op === "-" || (e.op === "*" && !(left && right)) || (e.op === "/" && !right);
      if (!defined) refuse(e.opSpan);
      return true;
    }
    case "Call": {
      const vectors = e.args.map((a) => checkVectorised(a.value));
      if (vectors.length > 1 && vectors.some((v) => v)) refuse(e.span);
      return vectors.some((v) => v);
    }
    default:
      return false;
  }
}

/**
 * `for (n in 1:N) { mu[n] = <expression>; }`: nlpars read `nlp_a[n]`, covariates `C_k[n]`, numbers
 * and functions stay as written (brms's default `loop = TRUE`); a link other than the density's
 * own is inverted around the expression (`mu[n] = exp(…)`).
 */
export function nonlinearLoop(info: NonlinearInfo, target: string, N: Expr, nlparVector: (name: string) => string, inverseLink?: string): Stmt {
  // loop = FALSE reads whole vectors (`nlp_a`, `C_1`) in one statement.
  const at = (name: string): Expr => (info.vectorised ? b.v(name) : b.idx(b.v(name), b.v("n")));
  const translate = (e: RExpr): Expr => {
    switch (e.kind) {
      case "Num": {
        const text = formatRNumber(e.value);
        return /^\d+$/.test(text) ? b.int(e.value) : b.real(text);
      }
      case "Name": {
        const covariate = info.covariates.findIndex((v) => v.name === e.name);
        return at(covariate >= 0 ? covariateName(info, covariate) : nlparVector(e.name));
      }
      case "Paren":
        return b.paren(translate(e.inner));
      case "Unary":
        return e.op === "-" ? b.neg(translate(e.operand)) : e.op === "!" ? b.not(translate(e.operand)) : translate(e.operand);
      case "Binary":
        return b.bin(e.op as BinaryOperator, translate(e.left), translate(e.right));
      case "Call":
        return b.call((e.fn as Extract<RExpr, { kind: "Name" }>).name, ...e.args.map((a) => translate(a.value)));
      default:
        throw new Error(`internal: non-linear expression of kind ${e.kind} passed the check`);
    }
  };
  const value = translate(info.expr);
  const assignment = b.assign(at(target), inverseLink ? b.call(inverseLink, value) : value);
  return info.vectorised ? assignment : b.forLoop("n", b.int(1), N, [assignment]);
}

/** An R integer column (read.csv of whole numbers), which brms passes as `int C_k[N]`. */
const isIntegerColumn = (frame: DataFrame, name: string): boolean => {
  const column = frame.columns.get(name);
  return column?.kind === "numeric" && column.integer === true;
};

/** `vector[N] C_1;` … in the data block; `array[N] int C_1;` for an R integer column, as brms declares it. */
export function covariateDecls(info: NonlinearInfo, N: Expr, frame: DataFrame): Stmt[] {
  return info.covariates.map((v, k) =>
    isIntegerColumn(frame, v.name) ? b.decl("int", covariateName(info, k), { arrayDims: [N] }) : b.decl("vector", covariateName(info, k), { sizes: [N] }),
  );
}

/** The covariates' values on the kept rows, by data name, and whether they are R integers. */
export function covariateData(info: NonlinearInfo, frame: DataFrame, rows: Int32Array): [string, Float64Array, boolean][] {
  return info.covariates.map((v, k) => {
    const column = frame.columns.get(v.name)!;
    return [covariateName(info, k), Float64Array.from(rows, (r) => column.values[r] as number), isIntegerColumn(frame, v.name)];
  });
}

/**
 * brms 2.18 refuses to fit an nlpar whose every prior row is flat (its coefficients would be
 * improper): at least its class `b` or one of its coefficients, or its sd, must have a prior.
 */
export function checkNlparPriors(
  rows: readonly { readonly prior: string; readonly nlpar: string; readonly resp: string }[],
  nlpars: readonly { readonly nlpar: string; readonly resp: string; readonly span: Span }[],
): void {
  for (const p of nlpars) {
    if (rows.some((r) => r.nlpar === p.nlpar && r.resp === p.resp && r.prior !== "")) continue;
    fail("Semantic error", p.span, `Priors on population-level coefficients are required in non-linear models, but none were found for parameter '${p.nlpar}'. See help(set_prior) for more details.`, [
      `For example: prior(normal(0, 1), nlpar = "${p.nlpar}").`,
    ]);
  }
}
