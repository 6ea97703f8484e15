/**
 * brms formulas: R formula expressions → response, population terms, group terms (spec §1). Only
 * what gaussian models with numeric predictors need; anything else is a located error.
 */
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { interpretAdditions, type AdditionTerms } from "./additions";
import type { FamilyChoice } from "./families/index";
import { deparseR, type RExpr, type VariableRef } from "./rAst";
import { dataVariablesOf } from "./terms/design";
import { isSmoothCall, parseSmoothCall, type SmoothSpec } from "./terms/smooth";

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
  /** The `|ID|` token (or gr(id =)) that shares correlations across formulas, if any. */
  readonly id?: string;
  /** gr(g, by = h): a separate sd (and correlation) per level of this column. */
  readonly by?: VariableRef;
  readonly correlated: boolean;
  /** `(cs(1) | g)`: category-specific group-level effects of an ordinal family, one coefficient per threshold. */
  readonly categorySpecific?: boolean;
  /** `mm(g1, g2, weights = cbind(w1, w2), scale = TRUE)`: multi-membership grouping (groupColumns are the members). */
  readonly multiMembership?: MultiMembership;
  readonly span: Span;
}

/** brms's mm(): each row belongs to one level of each member column, weighted (equal weights unless given). */
export interface MultiMembership {
  /** Columns holding each row's weights, one per member (cbind(w1, w2)); undefined: 1 / number of members. */
  readonly weights?: readonly VariableRef[];
  /** scale = TRUE (brms's default): each row's weights are divided by their sum. */
  readonly scale: boolean;
}

/** `nlf(sigma ~ a * exp(b * x))`: a distributional parameter given by a non-linear expression. */
export interface NonlinearDparFormula {
  readonly dpar: DparName;
  readonly expr: RExpr;
  /** `print(fit)` formula line: `sigma ~ a * exp(b * x)`. */
  readonly text: string;
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
  /** The terms inside `cs(...)`: category-specific effects of the ordinal families (ordinalTerms.ts). */
  readonly cs?: { readonly terms: readonly RExpr[]; readonly intercept: boolean; readonly span: Span };
  /** The smooth terms `s(x)` (terms/smooth.ts). */
  readonly smooths?: readonly SmoothSpec[];
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
  /** `bf(y ~ <expression>, …, nl = TRUE)`: the non-linear right-hand side as written (nonlinear.ts reads it); mu then has no terms of its own. */
  readonly nonlinear?: { readonly expr: RExpr; readonly span: Span; readonly vectorised?: boolean };
  /** `+ nlf(sigma ~ <expression>)`: distributional parameters computed by a non-linear formula (nonlinear.ts). */
  readonly nonlinearDpars?: readonly NonlinearDparFormula[];
  /** `bf(..., family = poisson())`: this response's own family, which takes precedence over brm()'s. */
  readonly family?: FamilyChoice;
}

export interface FormulaSpec {
  readonly responses: readonly ResponseSpec[];
  /** `set_rescor(...)` as written; undefined means brms's default. */
  readonly rescor?: boolean;
  /** Where set_rescor() was called. */
  readonly rescorSpan?: Span;
  /** `set_mecor(...)`: whether me() latent values are correlated; undefined means brms's default, TRUE. */
  readonly mecor?: boolean;
  readonly span: Span;
}

type FormulaExpr = Extract<RExpr, { kind: "Formula" }>;

/** `y ~ rhs` or `mvbind(a, b) ~ rhs` → one response spec per response; with `nonlinear`, rhs is kept as an expression. */
export function interpretMainFormula(f: FormulaExpr, nonlinear = false): ResponseSpec[] {
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
  if (nonlinear && responses.length > 1) fail("Semantic error", f.lhs.span, "Non-linear formulas with several responses (mvbind) are not supported; write one bf() per response.");
  const mu: LinearSpec = nonlinear ? { intercept: false, variables: [], terms: [], offsets: [], groups: [], span: f.rhs.span } : interpretRhs(f.rhs);
  const lhsText = responses.length === 1 && f.lhs !== lhs ? deparseR(f.lhs) : undefined;
  const matrix = isCbind ? { columns: responses, formulaText: `${deparseR(f.lhs)} ~ ${deparseR(f.rhs)}`, span: lhs.span } : undefined;
  return responses.map((response) => ({
    response,
    additions,
    mu,
    dpars: [],
    formulaText: `${lhsText ?? response.name} ~ ${deparseR(f.rhs)}`,
    matrix,
    nonlinear: nonlinear ? { expr: f.rhs, span: f.rhs.span } : undefined,
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

/** `allowMmc`: the group-level terms of an mm() grouping, where brms's mmc(x1, x2) covariates belong. */
export function interpretRhs(rhs: RExpr, allowMmc = false): LinearSpec {
  const parts: { term: RExpr; sign: 1 | -1 }[] = [];
  flattenSum(rhs, 1, parts);
  let intercept = true;
  const variables: VariableRef[] = [];
  const terms: RExpr[] = [];
  const offsets: RExpr[] = [];
  const groups: GroupTermSpec[] = [];
  let cs: { terms: RExpr[]; intercept: boolean; span: Span } | undefined;
  const smooths: SmoothSpec[] = [];
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
    if (term.kind === "Call" && term.fn.kind === "Name" && term.fn.name === "cs") {
      const inner = categorySpecificTerms(term);
      cs = { terms: [...(cs?.terms ?? []), ...inner.terms], intercept: cs?.intercept ?? inner.intercept, span: cs?.span ?? term.span };
      for (const t of inner.terms) dataVariablesOf(t, variables);
      continue;
    }
    if (term.kind === "Call" && term.fn.kind === "Name" && ["t2", "te", "ti"].includes(term.fn.name)) {
      fail("Semantic error", term.span, `Tensor product smooths (${term.fn.name}()) are not supported by stan2ts yet.`, ["stan2ts builds one-dimensional thin plate smooths s(x)."]);
    }
    if (term.kind === "Call" && isSmoothCall(term)) {
      const smooth = parseSmoothCall(term);
      smooths.push(smooth);
      variables.push(smooth.covariate, ...(smooth.by ? [smooth.by] : []));
      continue;
    }
    if (term.kind === "Call" && term.fn.kind === "Name" && term.fn.name === "mmc" && !allowMmc) {
      fail("Semantic error", term.span, `mmc() gives each member of an mm() grouping its own covariate, so '${deparseR(term)}' belongs in a group term with mm() grouping.`, [
        "Write it as (1 + mmc(x1, x2) | mm(g1, g2)).",
      ]);
    }
    if (term.kind === "Paren" && containsBar(term.inner)) unsupportedTerm(term);
    if (!["Name", "Call", "Binary", "Paren"].includes(term.kind)) unsupportedTerm(term);
    terms.push(term);
    dataVariablesOf(term, variables);
  }
  return { intercept, variables, terms, offsets, groups, ...(cs ? { cs } : {}), ...(smooths.length > 0 ? { smooths } : {}), span: rhs.span };
}

/** `cs(x + z)` → its terms and whether it keeps the intercept (brms's category-specific effects; `cs(1)` only in group terms). */
function categorySpecificTerms(call: Extract<RExpr, { kind: "Call" }>): { terms: RExpr[]; intercept: boolean } {
  if (call.args.length !== 1 || call.args[0].name !== undefined) fail("Semantic error", call.span, "cs() takes one argument, the terms with category-specific effects, as in cs(x + z).");
  const inner = interpretRhs(call.args[0].value);
  if (inner.groups.length > 0 || inner.offsets.length > 0 || inner.cs || inner.smooths) {
    fail("Semantic error", call.span, `'${deparseR(call)}' is not supported: cs() takes population-level terms only.`);
  }
  return { terms: [...inner.terms], intercept: inner.intercept };
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
  const multiMembership = bar.right.kind === "Call" && bar.right.fn.kind === "Name" && bar.right.fn.name === "mm";
  const inner = interpretRhs(termsExpr, multiMembership);
  if (inner.groups.length > 0) fail("Semantic error", inner.groups[0].span, "Group terms cannot be nested inside other group terms.");
  if (inner.offsets.length > 0) fail("Semantic error", termsExpr.span, "offset() belongs in the population part of the formula, not in a group term.");
  if (inner.smooths) fail("Semantic error", inner.smooths[0].span, "Smooth terms s() belong in the population part of the formula, not in a group term.");
  // `(cs(1) | g)`, `(cs(1 + x) | g)`: the whole group term is one cs() call.
  const categorySpecific = inner.cs !== undefined;
  if (inner.cs && !(termsExpr.kind === "Call" && termsExpr.fn.kind === "Name" && termsExpr.fn.name === "cs")) {
    fail("Semantic error", inner.cs.span, `'${deparseR(termsExpr)}' mixes cs() with other group-level terms, which stan2ts does not support.`, [
      "Write category-specific group-level effects as a group term of their own: (cs(1) | g) + (1 + x | g).",
    ]);
  }
  const spec = inner.cs ? { intercept: inner.cs.intercept, terms: inner.cs.terms } : { intercept: inner.intercept, terms: inner.terms };
  const variables = inner.variables;
  if (!spec.intercept && spec.terms.length === 0) {
    fail("Semantic error", termsExpr.span, "This group term has no coefficients.");
  }
  if (multiMembership && bar.right.kind === "Call") {
    if (inner.cs) fail("Semantic error", inner.cs.span, "cs() terms with mm() grouping are not supported.");
    const mm = multiMembershipOptions(bar.right);
    const weights = mm.weights ?? [];
    return [
      {
        intercept: spec.intercept,
        variables: [...variables, ...weights],
        terms: spec.terms,
        // brms's name of the grouping factor: mm(g1, g2) cleaned (`mmg1g2`), as in sd_mmg1g2__Intercept
        group: { name: `mm${mm.columns.map((c) => c.name).join("")}`, span: bar.right.span },
        groupColumns: mm.columns,
        id,
        correlated,
        multiMembership: { weights: mm.weights, scale: mm.scale },
        span,
      },
    ];
  }
  const options = bar.right.kind === "Call" && bar.right.fn.kind === "Name" && bar.right.fn.name === "gr" ? grOptions(bar.right) : undefined;
  if (options?.id !== undefined && id !== undefined) fail("Semantic error", bar.right.span, "Give the group ID either between the bars or as gr(id = ), not both.");
  if (options?.correlated === true && !correlated) fail("Semantic error", bar.right.span, "'||' and gr(cor = TRUE) contradict each other; use one of them.");
  const factors = options ? [options.columns] : groupingFactors(bar.right);
  return factors.map((columns) => ({
    intercept: spec.intercept,
    variables: options?.by ? [...variables, options.by] : variables,
    terms: spec.terms,
    group: { name: columns.map((c) => c.name).join(":"), span: options?.groupSpan ?? bar.right.span },
    groupColumns: columns,
    id: id ?? options?.id,
    correlated: correlated && options?.correlated !== false,
    by: options?.by,
    ...(categorySpecific ? { categorySpecific } : {}),
    span,
  }));
}

/** brms's gr(g, by = , cor = , id = , dist = "gaussian"): one grouping factor and its options. */
function grOptions(call: Extract<RExpr, { kind: "Call" }>): { columns: VariableRef[]; groupSpan: Span; by?: VariableRef; correlated?: boolean; id?: string } {
  const positional = call.args.filter((a) => a.name === undefined);
  if (positional.length !== 1) {
    fail("Semantic error", call.span, "gr() takes one grouping factor (a variable, or g1:g2) and its options by =, cor =, id =.", [
      positional.length > 1 ? "Several grouping variables in gr() are not supported; write gr(g1:g2)." : "Write the grouping factor first, as in gr(g, by = h).",
    ]);
  }
  const factors = groupingFactors(positional[0].value);
  if (factors.length !== 1) fail("Semantic error", positional[0].value.span, "Nested grouping (g1/g2) is not supported inside gr(); write gr(g1) + gr(g1:g2) terms.");
  const out: { columns: VariableRef[]; groupSpan: Span; by?: VariableRef; correlated?: boolean; id?: string } = { columns: factors[0], groupSpan: positional[0].value.span };
  for (const a of call.args) {
    if (a.name === undefined) continue;
    const value = a.value;
    switch (a.name) {
      case "by":
        if (value.kind === "Null") break;
        if (value.kind !== "Name") fail("Semantic error", value.span, "by = in gr() must name a variable of the data, as in gr(g, by = h).");
        out.by = { name: value.name, span: value.span };
        break;
      case "cor":
        if (value.kind !== "Bool") fail("Semantic error", value.span, "cor = in gr() must be TRUE or FALSE.");
        out.correlated = value.value;
        break;
      case "id":
        if (value.kind === "NA") break;
        if (value.kind === "Name" || value.kind === "Str") out.id = value.kind === "Name" ? value.name : value.value;
        else if (value.kind === "Num") out.id = value.text;
        else fail("Semantic error", value.span, "id = in gr() must be a name, string or number.");
        break;
      case "dist":
        if (value.kind !== "Str" || value.value !== "gaussian") fail("Semantic error", value.span, 'Only dist = "gaussian" group-level effects are supported (brms 2.18 also has "student").');
        break;
      default:
        fail("Semantic error", a.nameSpan ?? a.span, `gr() argument '${a.name}' is not supported.`, ["gr() takes the grouping factor and by =, cor =, id =, dist = \"gaussian\"."]);
    }
  }
  return out;
}

/** brms's mm(g1, g2, …, weights = cbind(w1, w2, …), scale = TRUE): the member columns and the weights. */
function multiMembershipOptions(call: Extract<RExpr, { kind: "Call" }>): { columns: VariableRef[]; weights?: VariableRef[]; scale: boolean } {
  const columns: VariableRef[] = [];
  let weights: VariableRef[] | undefined;
  let scale = true;
  for (const a of call.args) {
    if (a.name === undefined) {
      if (a.value.kind !== "Name") fail("Semantic error", a.value.span, "Each grouping factor of mm() must be a column of the data, as in mm(g1, g2).");
      columns.push({ name: a.value.name, span: a.value.span });
      continue;
    }
    const value = a.value;
    switch (a.name) {
      case "weights": {
        const isCbind = value.kind === "Call" && value.fn.kind === "Name" && value.fn.name === "cbind";
        if (!isCbind || value.args.some((w) => w.name !== undefined || w.value.kind !== "Name")) {
          fail("Semantic error", value.span, "weights = in mm() must be cbind() of data columns, one per grouping factor, as in weights = cbind(w1, w2).");
        }
        weights = value.args.map((w) => ({ name: (w.value as Extract<RExpr, { kind: "Name" }>).name, span: w.value.span }));
        break;
      }
      case "scale":
        if (value.kind !== "Bool") fail("Semantic error", value.span, "scale = in mm() must be TRUE or FALSE.");
        scale = value.value;
        break;
      default:
        fail("Semantic error", a.nameSpan ?? a.span, `mm() argument '${a.name}' is not supported.`, ["mm() takes the grouping factors and weights = cbind(...), scale = TRUE/FALSE."]);
    }
  }
  if (columns.length < 2) fail("Semantic error", call.span, "mm() needs at least two grouping factors, as in mm(g1, g2).");
  if (weights && weights.length !== columns.length) {
    fail("Semantic error", call.span, `mm() has ${columns.length} grouping factors but ${weights.length} weight columns; give one weight column per grouping factor.`);
  }
  return { columns, weights, scale };
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
    "Grouping factors may be a variable (g), crossed (g1:g2), nested (g1/g2), gr(g, by = h, cor = , id = ) or mm(g1, g2, weights = cbind(w1, w2)).",
  ]);
}
