/**
 * Population-level design matrices as R's terms() and model.matrix() make them for brms:
 * `a * b`, `a:b`, `a / b`, `(a + b)^k` expanded into terms ordered by degree; text columns and
 * factor() as factors with treatment contrasts (R's rule for when a factor in a term gets full
 * indicator coding instead); I(), scale(), log()/exp()/sqrt()/abs(), poly() raw and orthogonal;
 * column names as model.matrix writes them (`fB`, `x:w`, `poly(x, 2)1`).
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import { columnHint, evalColumnValue, map1, map2, R_ARITHMETIC, type Column, type DataFrame, type Vec } from "../dataFrame";
import { contrastColumnNames, contrastFunction, DEFAULT_CONTRASTS, type ContrastMatrix } from "./contrasts";
import { deparseR, type RExpr } from "../rAst";
import { factorLevels, formatLevel, numericLevels } from "./levels";
import { isSpecialCall, specialTerms, type SpecialTerm } from "./monotonic";

/** A formula variable: a data column or an expression such as factor(cyl), I(x^2), poly(x, 2). */
interface TermVariable {
  /** R's deparsed label, the prefix of its column names. */
  readonly label: string;
  readonly expr: RExpr;
}

export interface ExpandedTerms {
  readonly variables: readonly TermVariable[];
  /** Each term as sorted indices into `variables`, ordered as terms() orders them (by degree, then as written). */
  readonly terms: readonly (readonly number[])[];
}

/** brms's `0 + Intercept`: a column of ones named Intercept that is not centred. */
export const INTERCEPT_VARIABLE = "Intercept";

/** R's terms(): expands the written terms (not 0/1, not group terms) into sets of variables. */
export function expandTerms(written: readonly RExpr[]): ExpandedTerms {
  const variables: TermVariable[] = [];
  const variableIndex = (e: RExpr): number => {
    const label = deparseR(e);
    let i = variables.findIndex((v) => v.label === label);
    if (i < 0) i = variables.push({ label, expr: e }) - 1;
    return i;
  };
  const union = (a: readonly number[], b: readonly number[]) => [...new Set([...a, ...b])].sort((x, y) => x - y);
  const dedupe = (terms: number[][]) => {
    const seen = new Set<string>();
    return terms.filter((t) => {
      const key = t.join(",");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const product = (left: number[][], right: number[][]) => left.flatMap((l) => right.map((r) => union(l, r)));
  const termsOf = (e: RExpr): number[][] => {
    if (e.kind === "Paren") return termsOf(e.inner);
    if (e.kind === "Binary") {
      switch (e.op) {
        case "+":
          return dedupe([...termsOf(e.left), ...termsOf(e.right)]);
        case ":":
          return dedupe(product(termsOf(e.left), termsOf(e.right)));
        case "*": {
          const left = termsOf(e.left);
          const right = termsOf(e.right);
          return dedupe([...left, ...right, ...product(left, right)]);
        }
        case "/": {
          // `a / b` is `a + a:b` with a:b containing every variable of the left side.
          const left = termsOf(e.left);
          const all = left.reduce((acc, t) => union(acc, t), [] as number[]);
          return dedupe([...left, ...termsOf(e.right).map((t) => union(all, t))]);
        }
        case "^": {
          if (e.right.kind !== "Num" || !Number.isInteger(e.right.value) || e.right.value < 1) {
            fail("Semantic error", e.right.span, `The power in '${deparseR(e)}' must be a positive whole number; write I(${deparseR(e)}) for arithmetic.`);
          }
          const base = termsOf(e.left);
          let out = base;
          for (let k = 1; k < e.right.value; k++) out = dedupe([...out, ...product(out, base)]);
          return out;
        }
        case "-":
        case "|":
        case "||":
          fail("Semantic error", e.span, `'${deparseR(e)}' cannot be used inside an interaction.`);
      }
    }
    if (e.kind === "Num") fail("Semantic error", e.span, `The number ${deparseR(e)} cannot be part of an interaction; write I(...) for arithmetic.`);
    return [[variableIndex(e)]];
  };
  const terms = dedupe(written.flatMap(termsOf));
  // terms() orders by degree; within a degree, as written.
  const ordered = terms.map((t, i) => ({ t, i })).sort((a, b) => a.t.length - b.t.length || a.i - b.i);
  return { variables, terms: ordered.map((o) => o.t) };
}

/** Data columns a written term reads (for the NA filter), with their spans. */
export function dataVariablesOf(e: RExpr, out: { name: string; span: Span }[]): void {
  switch (e.kind) {
    case "Name":
      if (!out.some((v) => v.name === e.name)) out.push({ name: e.name, span: e.span });
      return;
    case "Paren":
      return dataVariablesOf(e.inner, out);
    case "Unary":
      return dataVariablesOf(e.operand, out);
    case "Binary":
      dataVariablesOf(e.left, out);
      // `x^2`: the power is a number, so walking it adds nothing.
      return dataVariablesOf(e.right, out);
    case "Call":
      for (const a of e.args) if (a.name === undefined) dataVariablesOf(a.value, out);
      return;
    default:
      return;
  }
}

/** One evaluated variable: a factor, or numeric columns (one for most, k for poly(x, k)). */
type Evaluated =
  | {
      readonly kind: "factor";
      readonly levels: readonly string[];
      readonly index: Int32Array;
      /** The contrasts it is coded by where a term gives it contrasts (R's contrasts(x) for these levels). */
      readonly contrasts: ContrastMatrix;
    }
  | { readonly kind: "numeric"; readonly suffixes: readonly string[]; readonly columns: readonly Float64Array[] };

export interface DesignColumn {
  /** model.matrix's column name (`fB`, `x:w`); brms cleans it into the coefficient name. */
  readonly name: string;
  readonly values: Float64Array;
}

/**
 * model.matrix(~ terms) on the kept rows, without the intercept column. `intercept` is whether the
 * formula has an intercept, which decides whether the first factor gets contrasts.
 */
export function designColumns(expanded: ExpandedTerms, intercept: boolean, frame: DataFrame, rows: Int32Array, training = rows.length): DesignColumn[] {
  return designColumnsByTerm(expanded, intercept, frame, rows, training).flat();
}

/** designColumns, the columns of each term apart (in the order of `expanded.terms`). */
function designColumnsByTerm(expanded: ExpandedTerms, intercept: boolean, frame: DataFrame, rows: Int32Array, training = rows.length): DesignColumn[][] {
  // Only the variables of the terms given (populationDesign leaves the mo() terms out).
  const used = new Set(expanded.terms.flat());
  const evaluated = expanded.variables.map((v, i): Evaluated => (used.has(i) ? evaluateVariable(v.expr, frame, rows, training) : { kind: "numeric", suffixes: [], columns: [] }));
  const isFactor = (i: number) => evaluated[i].kind === "factor";
  // R's TermCode: a factor in a term is coded by contrasts when the term without it is the empty
  // term or lies within an earlier term; otherwise by one indicator per level.
  const coding = expanded.terms.map((term, t) =>
    term.map((v) => {
      if (!isFactor(v)) return "numeric" as const;
      const rest = term.filter((u) => u !== v);
      if (rest.length === 0) return "contrasts" as const;
      const covered = expanded.terms.slice(0, t).some((earlier) => rest.every((u) => earlier.includes(u)));
      return covered ? ("contrasts" as const) : ("indicators" as const);
    }),
  );
  if (!intercept) {
    // Without an intercept, the first factor of the first term that has one gets every level.
    outer: for (let t = 0; t < expanded.terms.length; t++) {
      const ordered = [...expanded.terms[t]].sort((a, b) => a - b);
      for (const v of ordered) {
        if (isFactor(v) && (evaluated[v] as { levels: readonly string[] }).levels.length > 1) {
          coding[t][expanded.terms[t].indexOf(v)] = "indicators";
          break outer;
        }
      }
    }
  }
  const n = rows.length;
  const out: DesignColumn[][] = [];
  expanded.terms.forEach((term, t) => {
    // The first variable of a term varies fastest in model.matrix's column order.
    let columns: DesignColumn[] = [{ name: "", values: new Float64Array(n).fill(1) }];
    term.forEach((v, k) => {
      const variable = expanded.variables[v];
      const ev = evaluated[v];
      const factorColumns: DesignColumn[] = [];
      if (ev.kind === "factor" && coding[t][k] === "contrasts") {
        // Each row takes its level's row of the contrast matrix.
        contrastColumnNames(ev.contrasts).forEach((suffix, c) => {
          factorColumns.push({ name: variable.label + suffix, values: Float64Array.from(ev.index, (i) => ev.contrasts.rows[i - 1][c]) });
        });
      } else if (ev.kind === "factor") {
        for (let level = 0; level < ev.levels.length; level++) {
          factorColumns.push({ name: variable.label + ev.levels[level], values: Float64Array.from(ev.index, (i) => (i === level + 1 ? 1 : 0)) });
        }
      } else {
        ev.columns.forEach((values, c) => factorColumns.push({ name: variable.label + ev.suffixes[c], values }));
      }
      const next: DesignColumn[] = [];
      for (const right of factorColumns) {
        for (const left of columns) {
          next.push({ name: left.name === "" ? right.name : `${left.name}:${right.name}`, values: left.values.map((x, i) => x * right.values[i]) });
        }
      }
      columns = next;
    });
    out.push(columns);
  });
  return out;
}

/**
 * `training`: scale() and poly() take their centring and scaling from the first `training` rows
 * only and apply it to the rest, as R's predict methods (makepredictcall) do for new data.
 */
function evaluateVariable(e: RExpr, frame: DataFrame, rows: Int32Array, training: number): Evaluated {
  // mo(x), me(x, sdx), mi(x) stand as 1 in a special term's columns: its covariate is the rest of the term (terms/monotonic.ts)
  if (isSpecialCall(e)) return { kind: "numeric", suffixes: [""], columns: [new Float64Array(rows.length).fill(1)] };
  if (e.kind === "Name") {
    const column = frame.columns.get(e.name);
    if (!column) fail("Data error", e.span, `The variable '${e.name}' is not a column of the data (${frame.source}).`, columnHint(frame));
    if (column.kind === "character") return factorVariable(e.name, column, frame, rows);
    return { kind: "numeric", suffixes: [""], columns: [Float64Array.from(rows, (r) => column.values[r])] };
  }
  if (e.kind === "Call" && e.fn.kind === "Name") {
    const name = e.fn.name;
    const positional = e.args.filter((a) => a.name === undefined);
    const factorCall = ["factor", "as.factor", "ordered", "as.ordered", "relevel"].includes(name);
    if (factorCall && !((name === "factor" || name === "as.factor") && e.args.length === 1 && positional.length === 1)) {
      // factor(x, levels =), ordered(x), relevel(factor(x), ref =): the factor as the data step would make it.
      const column = evalColumnValue(e, frame);
      if (typeof column === "number" || column instanceof Float64Array || column.kind !== "character") return fail("Semantic error", e.span, `${name}() did not give a factor here.`);
      const missing = Array.from(rows).find((r) => column.values[r] === null);
      if (missing !== undefined) {
        fail("Data error", e.span, `${deparseR(e)} has no level for row ${missing + 1} (its value is not among the levels), which brms would drop as missing.`, [
          "Make the factor before brm() (d$x <- factor(...)), so that such rows are dropped with a warning, or list every value in levels =.",
        ]);
      }
      return factorVariable(deparseR(e), column, frame, rows);
    }
    if (name === "factor" || name === "as.factor") {
      const inner = positional[0].value;
      if (inner.kind === "Name" && frame.columns.get(inner.name)?.kind === "character") {
        const column = frame.columns.get(inner.name) as Extract<Column, { kind: "character" }>;
        // factor() of a factor keeps its levels but not its contrasts.
        return factorVariable(inner.name, column.factor ? { ...column, factor: { ...column.factor, contrasts: undefined } } : column, frame, rows);
      }
      const { levels, index } = numericLevels(asVector(evaluateNumeric(inner, frame, rows, true, training), rows.length));
      return { kind: "factor", levels, index, contrasts: defaultContrasts(levels, false, frame) };
    }
    if (name === "poly") return evaluatePoly(e, frame, rows, training);
  }
  return { kind: "numeric", suffixes: [""], columns: [asVector(evaluateNumeric(e, frame, rows, false, training), rows.length)] };
}

/**
 * A factor column on the kept rows: text gets its sorted distinct values as levels; a factor() keeps
 * its own order, without levels no kept row has (brms's model frame drops them, and with them
 * contrasts set for the full set of levels, as R warns).
 */
function factorVariable(name: string, column: Extract<Column, { kind: "character" }>, frame: DataFrame, rows: Int32Array): Evaluated {
  const values = Array.from(rows, (r) => column.values[r]!);
  if (!column.factor) {
    const { levels, index } = factorLevels(values);
    return { kind: "factor", levels, index, contrasts: defaultContrasts(levels, false, frame) };
  }
  const levels = keptFactorLevels(column, rows);
  const position = new Map(levels.map((l, i) => [l, i + 1]));
  const index = Int32Array.from(values, (v) => position.get(v)!);
  const setting = column.factor.contrasts;
  let contrasts: ContrastMatrix;
  if (setting?.kind === "matrix" && levels.length === column.factor.levels.length) contrasts = setting.matrix;
  else if (setting?.kind === "function") contrasts = contrastFunction(setting.name, levels);
  else {
    if (setting?.kind === "matrix") {
      fail("Data error", column.factor.contrastsSpan!, `The contrasts of '${name}' were set for ${column.factor.levels.length} levels, but the rows of the model have only ${levels.length} of them.`, [
        "R drops such contrasts (with a warning) and uses the default ones; set them after removing the unused levels.",
      ]);
    }
    contrasts = defaultContrasts(levels, column.factor.ordered, frame);
  }
  return { kind: "factor", levels, index, contrasts };
}

/** A text or factor column's levels on the kept rows, in its level order (a factor's own, else sorted as R sorts text). */
export function keptFactorLevels(column: Extract<Column, { kind: "character" }>, rows: Int32Array): string[] {
  const values = Array.from(rows, (r) => column.values[r]!);
  if (!column.factor) return factorLevels(values).levels;
  const present = new Set(values);
  return column.factor.levels.filter((l) => present.has(l));
}

/** R's contrasts for a factor without its own: options(contrasts =)'s first function, the second for ordered factors. */
function defaultContrasts(levels: readonly string[], ordered: boolean, frame: DataFrame): ContrastMatrix {
  const functions = frame.defaultContrasts ?? DEFAULT_CONTRASTS;
  return contrastFunction(functions[ordered ? 1 : 0], levels);
}

const asVector = (v: Vec, n: number): Float64Array => (typeof v === "number" ? new Float64Array(n).fill(v) : v);

const ELEMENTWISE: Record<string, (x: number) => number> = { log: Math.log, exp: Math.exp, sqrt: Math.sqrt, abs: Math.abs, log10: Math.log10, log2: Math.log2 };

/** A numeric expression on the kept rows (inside I(), or a function term such as log(x)). */
function evaluateNumeric(e: RExpr, frame: DataFrame, rows: Int32Array, insideI = false, training = rows.length): Vec {
  const recur = (x: RExpr) => evaluateNumeric(x, frame, rows, insideI, training);
  switch (e.kind) {
    case "Num":
      return e.value;
    case "Paren":
      return recur(e.inner);
    case "Name": {
      const column = frame.columns.get(e.name);
      if (!column) fail("Data error", e.span, `The variable '${e.name}' is not a column of the data (${frame.source}).`, columnHint(frame));
      if (column.kind !== "numeric") fail("Data error", e.span, `Column '${e.name}' holds text, so it cannot be used in arithmetic or a function term.`);
      return Float64Array.from(rows, (r) => column.values[r]);
    }
    case "Unary":
      if (e.op === "-") return map1(recur(e.operand), (x) => -x);
      if (e.op === "+") return recur(e.operand);
      break;
    case "Binary": {
      const op = R_ARITHMETIC[e.op];
      if (op && insideI) return map2(recur(e.left), recur(e.right), op);
      if (op) fail("Semantic error", e.span, `In a formula '${e.op}' is not arithmetic; write I(${deparseR(e)}) to compute it.`);
      break;
    }
    case "Call": {
      const name = e.fn.kind === "Name" ? e.fn.name : "";
      const positional = e.args.filter((a) => a.name === undefined);
      // A function's argument is ordinary R: `log(w + 1)` adds.
      const argument = () => evaluateNumeric(positional[0].value, frame, rows, true, training);
      if (name === "I" && e.args.length === 1 && positional.length === 1) return argument();
      if (name in ELEMENTWISE && e.args.length === 1 && positional.length === 1) return map1(argument(), ELEMENTWISE[name]);
      if (name === "scale" && e.args.length === 1 && positional.length === 1) return scale(asVector(argument(), rows.length), training);
      break;
    }
  }
  return fail("Semantic error", e.span, `The formula term '${deparseR(e)}' is not supported.`, [
    "Formula terms may be columns, factor(), I(...) with + - * / ^, scale(), log(), exp(), sqrt(), abs(), poly(x, k) and offset().",
  ]);
}

/** R's scale(x): centred by the mean, divided by the standard deviation (n − 1), both of the first `training` values. */
function scale(x: Float64Array, training: number): Float64Array {
  const fitted = x.subarray(0, training);
  const mean = fitted.reduce((s, v) => s + v, 0) / fitted.length;
  const centred = x.map((v) => v - mean);
  const sd = Math.sqrt(centred.subarray(0, training).reduce((s, v) => s + v * v, 0) / Math.max(1, fitted.length - 1));
  return centred.map((v) => v / sd);
}

/**
 * poly(x, degree, raw = FALSE). Raw: x, x², …. Orthogonal: R takes Q·diag(R) of the QR of the
 * centred powers, which is each centred power minus its projection on the lower ones (no sign
 * ambiguity), scaled to unit length; computed here by Gram–Schmidt, done twice for accuracy.
 */
function evaluatePoly(e: Extract<RExpr, { kind: "Call" }>, frame: DataFrame, rows: Int32Array, training: number): Evaluated {
  const positional = e.args.filter((a) => a.name === undefined);
  let raw = false;
  let degreeExpr: RExpr | undefined = positional[1]?.value;
  for (const a of e.args) {
    if (a.name === "raw") {
      if (a.value.kind !== "Bool") fail("Semantic error", a.value.span, "raw = in poly() must be TRUE or FALSE.");
      raw = a.value.value;
    } else if (a.name === "degree") degreeExpr = a.value;
    else if (a.name !== undefined) fail("Semantic error", a.span, `poly() argument '${a.name}' is not supported (only degree and raw).`);
  }
  if (positional.length < 1 || positional.length > 2) fail("Semantic error", e.span, "poly() takes one variable and a degree, as in poly(x, 2).");
  let degree = 1;
  if (degreeExpr) {
    if (degreeExpr.kind !== "Num" || !Number.isInteger(degreeExpr.value) || degreeExpr.value < 1) fail("Semantic error", degreeExpr.span, "The degree of poly() must be a positive whole number.");
    degree = degreeExpr.value;
  }
  const x = asVector(evaluateNumeric(positional[0].value, frame, rows, true, training), rows.length);
  const suffixes = Array.from({ length: degree }, (_, k) => String(k + 1));
  if (raw) return { kind: "numeric", suffixes, columns: suffixes.map((_, k) => x.map((v) => v ** (k + 1))) };
  const fitted = x.subarray(0, training);
  if (new Set(fitted).size <= degree) fail("Data error", e.span, `poly(): the degree (${degree}) must be less than the number of distinct values (${new Set(fitted).size}).`);
  const mean = fitted.reduce((s, v) => s + v, 0) / fitted.length;
  const centred = x.map((v) => v - mean);
  const basis: Float64Array[] = [new Float64Array(x.length).fill(1)];
  // inner products over the training rows; the same combinations evaluate the polynomials elsewhere
  const dot = (a: Float64Array, b: Float64Array) => a.subarray(0, training).reduce((s, v, i) => s + v * b[i], 0);
  for (let k = 1; k <= degree; k++) {
    const column = centred.map((v) => v ** k);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const coefficient = dot(column, q) / dot(q, q);
        for (let i = 0; i < column.length; i++) column[i] -= coefficient * q[i];
      }
    }
    basis.push(column);
  }
  const columns = basis.slice(1).map((c) => {
    const norm = Math.sqrt(dot(c, c));
    return c.map((v) => v / norm);
  });
  return { kind: "numeric", suffixes, columns };
}

/** The values of offset(expr) on the kept rows. */
export function offsetValues(e: RExpr, frame: DataFrame, rows: Int32Array, training = rows.length): Float64Array {
  return asVector(evaluateNumeric(e, frame, rows, true, training), rows.length);
}

/** The population part of one linear predictor: its non-intercept columns and its offset. */
export interface PopulationDesign {
  readonly columns: readonly DesignColumn[];
  /** The terms with a mo() call, which brms takes out of the design matrix (terms/monotonic.ts). */
  readonly special: readonly SpecialTerm[];
  /** Sum of the offset() terms on the kept rows; undefined without offsets. */
  readonly offset?: Float64Array;
}

/**
 * model.matrix for one predictor. brms's `0 + Intercept` (when the data have no column Intercept)
 * is an uncentred column of ones named Intercept, put first; the other terms are coded as with an
 * intercept, so factors keep their contrasts.
 */
export function populationDesign(
  spec: { readonly intercept: boolean; readonly terms: readonly RExpr[]; readonly offsets: readonly RExpr[] },
  frame: DataFrame,
  rows: Int32Array,
  training = rows.length,
): PopulationDesign {
  const isInterceptVariable = (t: RExpr) => t.kind === "Name" && t.name === INTERCEPT_VARIABLE && !frame.columns.has(INTERCEPT_VARIABLE);
  const explicitIntercept = !spec.intercept && spec.terms.some(isInterceptVariable);
  const terms = spec.terms.filter((t) => !isInterceptVariable(t));
  const expanded = expandTerms(terms);
  // brms takes every term with a mo() call out of the fixed-effects formula before model.matrix.
  const isSpecial = (term: readonly number[]) => term.some((v) => isSpecialCall(expanded.variables[v].expr));
  const regular = { variables: expanded.variables, terms: expanded.terms.filter((t) => !isSpecial(t)) };
  const columns = designColumns(regular, spec.intercept || explicitIntercept, frame, rows, training);
  // A special term's columns are coded within the whole formula, as model.matrix codes brms's mo() terms.
  const specialIndices = expanded.terms.flatMap((t, i) => (isSpecial(t) ? [i] : []));
  const byTerm = specialIndices.length > 0 ? designColumnsByTerm(expanded, spec.intercept || explicitIntercept, frame, rows, training) : [];
  const special = specialTerms(
    specialIndices.map((i) => ({ variables: expanded.terms[i].map((v) => expanded.variables[v].expr), columns: byTerm[i] })),
    frame,
    rows,
    training,
  );
  if (explicitIntercept) columns.unshift({ name: INTERCEPT_VARIABLE, values: new Float64Array(rows.length).fill(1) });
  let offset: Float64Array | undefined;
  for (const e of spec.offsets) {
    const values = offsetValues(e, frame, rows, training);
    offset = offset ? offset.map((v, i) => v + values[i]) : values;
  }
  return { columns, special, offset };
}


/** A grouping factor's label per kept row: the column's value, or values joined by `_` for g1:g2. */
export function groupingValues(columns: readonly string[], frame: DataFrame, rows: Int32Array): { text: boolean; values: (string | number)[]; levels?: readonly string[] } {
  const cells = columns.map((name) => {
    const column = frame.columns.get(name)!;
    return Array.from(rows, (r) => column.values[r]!);
  });
  if (cells.length === 1) {
    const column = frame.columns.get(columns[0])!;
    if (column.kind === "character" && column.factor) {
      // A factor groups by its own level order, without levels no kept row has.
      const present = new Set(cells[0]);
      return { text: true, values: cells[0], levels: column.factor.levels.filter((l) => present.has(l)) };
    }
    return { text: column.kind === "character", values: cells[0] };
  }
  const label = (v: string | number) => (typeof v === "number" ? formatLevel(v) : v);
  return { text: true, values: Array.from(rows, (_, i) => cells.map((c) => label(c[i])).join("_")) };
}
