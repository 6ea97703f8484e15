/**
 * brms formulas: R formula expressions → response, population terms, group terms (spec §1). Only
 * what gaussian models with numeric predictors need; anything else is a located error.
 */
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { interpretAdditions, type AdditionTerms } from "./additions";
import { deparseR, type RExpr, type VariableRef } from "./rAst";
import { dataVariablesOf } from "./terms/design";

export type { VariableRef } from "./rAst";

export interface GroupTermSpec {
  readonly intercept: boolean;
  /** Data columns the group-level terms read. */
  readonly variables: readonly VariableRef[];
  /** Group-level terms as written (not 1/0); expanded like population terms. */
  readonly terms: readonly RExpr[];
  /** The grouping factor; `g1:g2` (name "g1:g2") for crossed or nested grouping. */
  readonly group: VariableRef;
  /** The data columns whose combination is the grouping factor. */
  readonly groupColumns: readonly VariableRef[];
  /** The `|ID|` token that shares correlations across formulas, if any. */
  readonly id?: string;
  readonly correlated: boolean;
  readonly span: Span;
}

/** The right-hand side of one linear predictor. */
export interface LinearSpec {
  readonly intercept: boolean;
  /** Data columns the population terms and offsets read (group terms: their slope variables). */
  readonly variables: readonly VariableRef[];
  /** Population terms as written (not 1/0, group terms or offsets); terms/design.ts expands them. */
  readonly terms: readonly RExpr[];
  /** The expressions of offset() terms. */
  readonly offsets: readonly RExpr[];
  readonly groups: readonly GroupTermSpec[];
  readonly span: Span;
}

/** `mu` or another distributional parameter of the family (`sigma`, `shape`, `phi`, …). */
export type DparName = string;

/** A distributional formula such as `sigma ~ 1 + x`, checked against the family when the model is built. */
export interface DparFormula {
  readonly dpar: DparName;
  readonly spec: LinearSpec;
  /** `print(fit)` formula line: `sigma ~ 1 + x`. */
  readonly text: string;
  readonly span: Span;
}

export interface ResponseSpec {
  readonly response: VariableRef;
  readonly additions: AdditionTerms;
  readonly mu: LinearSpec;
  readonly dpars: readonly DparFormula[];
  /** `print(fit)` formula line: `y ~ rhs` (with its addition terms, as written). */
  readonly formulaText: string;
  /**
   * `cbind(a, b, …) ~ rhs`: the columns and formula line of a matrix response, which the
   * multinomial and dirichlet families read as one response; other families read them as mvbind.
   */
  readonly matrix?: { readonly columns: readonly VariableRef[]; readonly formulaText: string; readonly span: Span };
}

export interface FormulaSpec {
  readonly responses: readonly ResponseSpec[];
  /** `set_rescor(...)` as written; undefined means brms's default. */
  readonly rescor?: boolean;
  readonly span: Span;
}

type FormulaExpr = Extract<RExpr, { kind: "Formula" }>;

/** `y ~ rhs` or `mvbind(a, b) ~ rhs` → one response spec per response. */
export function interpretMainFormula(f: FormulaExpr): ResponseSpec[] {
  if (!f.lhs) fail("Semantic error", f.span, "The model formula needs a response on the left of '~'.");
  let lhs = f.lhs;
  let additions: AdditionTerms = {};
  if (lhs.kind === "Binary" && lhs.op === "|") {
    additions = interpretAdditions(lhs.right);
    lhs = lhs.left;
  }
  const responses = responseNames(lhs);
  const isCbind = lhs.kind === "Call" && lhs.fn.kind === "Name" && lhs.fn.name === "cbind";
  // cbind() with addition terms can only be a matrix response; the model builder checks the family.
  if (responses.length > 1 && Object.values(additions).some((t) => t !== undefined) && !isCbind) {
    fail("Semantic error", f.lhs.span, "Addition terms with mvbind() are not supported; write one bf() per response.");
  }
  const mu = interpretRhs(f.rhs);
  const lhsText = responses.length === 1 && f.lhs !== lhs ? deparseR(f.lhs) : undefined;
  const matrix = isCbind ? { columns: responses, formulaText: `${deparseR(f.lhs)} ~ ${deparseR(f.rhs)}`, span: lhs.span } : undefined;
  return responses.map((response) => ({
    response,
    additions,
    mu,
    dpars: [],
    formulaText: `${lhsText ?? response.name} ~ ${deparseR(f.rhs)}`,
    matrix,
  }));
}

function responseNames(lhs: RExpr): VariableRef[] {
  if (lhs.kind === "Name") return [{ name: lhs.name, span: lhs.span }];
  if (lhs.kind === "Call" && lhs.fn.kind === "Name" && (lhs.fn.name === "mvbind" || lhs.fn.name === "cbind")) {
    return lhs.args.map((a) => {
      if (a.name !== undefined || a.value.kind !== "Name") {
        fail("Semantic error", a.span, `Each argument of ${lhs.fn.kind === "Name" ? lhs.fn.name : "mvbind"}() must be a variable name.`);
      }
      return { name: a.value.name, span: a.value.span };
    });
  }
  fail("Semantic error", lhs.span, "The response must be a variable name or mvbind(a, b, ...).", [
    "Transformations of the response (log(y), scale(y), ...) are not supported; compute the column with mutate() first.",
  ]);
}

/** A distributional formula `shape ~ rhs`; whether the family has that parameter is checked with the family. */
export function interpretDparFormula(f: FormulaExpr): DparFormula {
  if (!f.lhs || f.lhs.kind !== "Name") {
    fail("Semantic error", f.span, "A distributional formula needs a parameter name on the left, as in 'sigma ~ 1 + x'.");
  }
  const name = f.lhs.name;
  if (name === "mu") fail("Semantic error", f.lhs.span, "mu is predicted by the main formula; it cannot have a formula of its own.");
  if (/[._]/.test(name)) fail("Semantic error", f.lhs.span, `Distributional parameter names may not contain '.' or '_' ('${name}').`);
  return { dpar: name, spec: interpretRhs(f.rhs), text: `${name} ~ ${deparseR(f.rhs)}`, span: f.span };
}

/** Splits a `+`/`-` chain into signed terms. */
function flattenSum(e: RExpr, sign: 1 | -1, out: { term: RExpr; sign: 1 | -1 }[]): void {
  if (e.kind === "Binary" && (e.op === "+" || e.op === "-")) {
    flattenSum(e.left, sign, out);
    flattenSum(e.right, e.op === "-" ? (-sign as 1 | -1) : sign, out);
    return;
  }
  if (e.kind === "Unary" && (e.op === "-" || e.op === "+")) {
    flattenSum(e.operand, e.op === "-" ? (-sign as 1 | -1) : sign, out);
    return;
  }
  out.push({ term: e, sign });
}

export function interpretRhs(rhs: RExpr): LinearSpec {
  const parts: { term: RExpr; sign: 1 | -1 }[] = [];
  flattenSum(rhs, 1, parts);
  let intercept = true;
  const variables: VariableRef[] = [];
  const terms: RExpr[] = [];
  const offsets: RExpr[] = [];
  const groups: GroupTermSpec[] = [];
  for (const { term, sign } of parts) {
    if (term.kind === "Num" && (term.value === 0 || term.value === 1)) {
      // R: `+ 1` and `- 0` keep the intercept, `+ 0` and `- 1` remove it.
      intercept = (term.value === 1) === (sign === 1);
      continue;
    }
    if (sign === -1) {
      fail("Semantic error", term.span, `Removing the term '${deparseR(term)}' with '-' is not supported; only '- 1' (no intercept) is.`);
    }
    if (term.kind === "Paren" && term.inner.kind === "Binary" && (term.inner.op === "|" || term.inner.op === "||")) {
      groups.push(...interpretGroupTerm(term.inner, term.span));
      continue;
    }
    if (term.kind === "Call" && term.fn.kind === "Name" && term.fn.name === "offset") {
      if (term.args.length !== 1 || term.args[0].name !== undefined) fail("Semantic error", term.span, "offset() takes one argument.");
      offsets.push(term.args[0].value);
      dataVariablesOf(term.args[0].value, variables);
      continue;
    }
    if (term.kind === "Paren" && containsBar(term.inner)) unsupportedTerm(term);
    if (!["Name", "Call", "Binary", "Paren"].includes(term.kind)) unsupportedTerm(term);
    terms.push(term);
    dataVariablesOf(term, variables);
  }
  return { intercept, variables, terms, offsets, groups, span: rhs.span };
}

function containsBar(e: RExpr): boolean {
  if (e.kind === "Binary") return e.op === "|" || e.op === "||" || containsBar(e.left) || containsBar(e.right);
  return e.kind === "Paren" && containsBar(e.inner);
}

function unsupportedTerm(term: RExpr): never {
  if (term.kind === "Paren") {
    fail("Semantic error", term.span, `Parenthesised term '${deparseR(term)}' is not a group term.`, [
      "Group terms look like (1 + x | g), (1 + x || g) or (1 + x | ID | g).",
    ]);
  }
  fail("Semantic error", term.span, `The term '${deparseR(term)}' is not supported in a formula.`, [
    "Formula terms may be variable names, 1, 0 and group terms such as (1 + x | g).",
  ]);
}

type BinaryExpr = Extract<RExpr, { kind: "Binary" }>;

/** One group term; `(1 | g1/g2)` is two, `(1 | g1) + (1 | g1:g2)`, as brms expands it. */
function interpretGroupTerm(bar: BinaryExpr, span: Span): GroupTermSpec[] {
  const correlated = bar.op === "|";
  let termsExpr = bar.left;
  let id: string | undefined;
  // `(terms | ID | g)` parses as `((terms | ID) | g)`.
  if (termsExpr.kind === "Binary" && (termsExpr.op === "|" || termsExpr.op === "||")) {
    const idExpr = termsExpr.right;
    if (idExpr.kind === "Name") id = idExpr.name;
    else if (idExpr.kind === "Num") id = idExpr.text;
    else fail("Semantic error", idExpr.span, "The ID between the bars of a group term must be a name or number, as in (1 + x | i | g).");
    if (termsExpr.op === "||" || !correlated) {
      fail("Semantic error", termsExpr.opSpan, "Use single bars around a group ID: (terms | ID | g).");
    }
    termsExpr = termsExpr.left;
  }
  const inner = interpretRhs(termsExpr);
  if (inner.groups.length > 0) fail("Semantic error", inner.groups[0].span, "Group terms cannot be nested inside other group terms.");
  if (inner.offsets.length > 0) fail("Semantic error", termsExpr.span, "offset() belongs in the population part of the formula, not in a group term.");
  const variables = inner.variables;
  if (!inner.intercept && inner.terms.length === 0) {
    fail("Semantic error", termsExpr.span, "This group term has no coefficients.");
  }
  return groupingFactors(bar.right).map((columns) => ({
    intercept: inner.intercept,
    variables,
    terms: inner.terms,
    group: { name: columns.map((c) => c.name).join(":"), span: bar.right.span },
    groupColumns: columns,
    id,
    correlated,
    span,
  }));
}

/** `g`, `g1:g2` (one crossed factor) or `g1/g2/g3` (g1, g1:g2, g1:g2:g3): the factors' columns. */
function groupingFactors(e: RExpr): VariableRef[][] {
  if (e.kind === "Name") return [[{ name: e.name, span: e.span }]];
  if (e.kind === "Binary" && e.op === ":") {
    const left = groupingFactors(e.left);
    const right = groupingFactors(e.right);
    if (left.length === 1 && right.length === 1) return [[...left[0], ...right[0]]];
  }
  if (e.kind === "Binary" && e.op === "/") {
    const outer = groupingFactors(e.left);
    const inner = groupingFactors(e.right);
    if (inner.length === 1) return [...outer, [...outer[outer.length - 1], ...inner[0]]];
  }
  fail("Semantic error", e.span, `The grouping factor '${deparseR(e)}' is not supported.`, [
    "Grouping factors may be a variable (g), crossed (g1:g2) or nested (g1/g2); gr() and mm() are not supported.",
  ]);
}
