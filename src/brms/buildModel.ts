/**
 * Script + data frame → the brms model description every later step reads: responses and their
 * linear predictors, group-level IDs with their coefficients (spec §1.3), the kept rows and
 * grouping levels (§2), and the full prior table with user priors applied (§4).
 */
import { DiagnosticSink, fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { columnHint, type DataFrame } from "./dataFrame";
import type { BrmsScript, PriorSpec } from "./evalScript";
import type { DparFormula, DparName, GroupTermSpec, LinearSpec, ResponseSpec, VariableRef } from "./formula";
import { categoryDparName, withCategories } from "./families/categorical";
import { dparList, findDpar, type DparSpec, type FamilyChoice } from "./families/index";
import { coefName, joinNonEmpty, responseLabels } from "./names";
import { additionColumns, additionData, checkAdditionsForFamily, seReplacesSigma, type AdditionData, type AdditionTerms } from "./additions";
import { buildPriorTable, responseValues, type PriorRow } from "./priors";
import { groupingValues, INTERCEPT_VARIABLE as INTERCEPT_VARIABLE_NAME, populationDesign, type DesignColumn } from "./terms/design";
import { factorLevels, numericLevels } from "./terms/levels";

export interface Predictor {
  /** Cleaned response label, "" in univariate models. */
  readonly resp: string;
  readonly dpar: DparName;
  /** The link of this parameter (`identity`, `log`, …). */
  readonly link: string;
  /** brms's prefix p: dpar (unless mu) and resp joined with `_`. */
  readonly prefix: string;
  readonly intercept: boolean;
  /** Non-intercept population columns (model.matrix's) and their brms coefficient names; set once the rows are known. */
  columns: readonly DesignColumn[];
  coefs: readonly string[];
  /** Sum of the offset() terms per kept row, if any. */
  offset?: Float64Array;
  /** Group-level coefficients of this predictor, in cn order. */
  readonly groupCoefs: GroupCoef[];
  /** Categorical mu: not a linear predictor but the vector of the category predictors (the dpars); nothing of its own is emitted. */
  readonly categoryVector?: boolean;
  /** Ordinal mu: the number of thresholds that stand for the intercept (categories − 1); set once the rows are known. */
  thresholds?: number;
}

export interface ResponseInfo {
  readonly variable: string;
  readonly resp: string;
  readonly family: FamilyChoice;
  readonly mu: Predictor;
  /** Distributional parameters with their own formula, in the family's order. */
  readonly dpars: readonly Predictor[];
  /** Distributional parameters without a formula: one scalar parameter each. */
  readonly scalarDpars: readonly DparSpec[];
  /** The data column given to trials(). */
  readonly trials?: string;
  /** The addition terms after `|` (trials, weights, se, rate, cens, trunc). */
  readonly additions: AdditionTerms;
  /** Their values per kept row; set once the rows are known. */
  additionData: AdditionData;
  readonly formulaText: string;
  /** `print(fit)` lines of the dpar formulas (`sigma ~ 1 + x`). */
  readonly dparTexts: readonly string[];
  /**
   * Categorical responses: the category labels in level order and each kept row's 1-based category;
   * for a matrix response (multinomial, dirichlet) the labels are its column names and there are no codes.
   */
  readonly categories?: { readonly levels: readonly string[]; readonly codes: Int32Array | undefined };
  /** The columns of a matrix response `cbind(a, b, …)`, one per category. */
  readonly responseColumns?: readonly string[];
}

/** mu's predictor, then the predicted dpars, as brms walks them. */
export function predictorsOf(r: ResponseInfo): Predictor[] {
  return r.mu.categoryVector ? [...r.dpars] : [r.mu, ...r.dpars];
}

export interface GroupCoef {
  readonly id: number;
  readonly group: string;
  /** Running index within the ID, 1-based. */
  readonly cn: number;
  readonly predictor: Predictor;
  /** `Intercept` or the cleaned variable name. */
  readonly coef: string;
  /** The column's value per kept row (model.matrix of the group term); undefined for the intercept. */
  readonly values?: Float64Array;
}

export interface GroupId {
  readonly id: number;
  readonly group: string;
  /** The data columns combined into the grouping factor (one, or several for g1:g2). */
  readonly groupColumns: readonly string[];
  readonly correlated: boolean;
  readonly coefs: GroupCoef[];
  /** Level labels in brms order; `levelIndex[row]` is the 1-based level of each kept row. */
  levels: readonly string[];
  levelIndex: Int32Array;
}

export interface BrmsModel {
  readonly script: BrmsScript;
  readonly responses: readonly ResponseInfo[];
  /** Every linear predictor in model order (per response: mu, then sigma). */
  readonly predictors: readonly Predictor[];
  readonly ids: readonly GroupId[];
  readonly multivariate: boolean;
  readonly rescor: boolean;
  /** Kept data rows (after NA removal), as indices into the data frame. */
  readonly rows: Int32Array;
  readonly frame: DataFrame;
  readonly priors: readonly PriorRow[];
  readonly warnings: DiagnosticSink;
}

export function buildBrmsModelDescription(givenScript: BrmsScript, frame: DataFrame): BrmsModel {
  const warnings = new DiagnosticSink();
  const script = withMatrixResponse(givenScript);
  const specs = script.formula.responses;
  const multivariate = specs.length > 1;
  const labels = responseLabels(specs.map((s) => s.response.name));
  let rescor = false;
  if (multivariate) {
    if (script.formula.rescor === undefined) {
      rescor = true;
      warnings.warn(script.formula.span, "Setting 'rescor' to TRUE by default for this model", [
        "brms 2.18 warns that this default will change in a future version.",
      ]);
    } else rescor = script.formula.rescor;
  }

  const family = script.family;
  if (multivariate && family.spec.name !== "gaussian") {
    fail("Semantic error", family.span, `Multivariate models are supported for the gaussian family only, not ${family.spec.name}.`);
  }
  const responses: ResponseInfo[] = [];
  const predictors: Predictor[] = [];
  // the kept rows, once the formula and the family have been checked (a categorical response's levels need them earlier)
  let keptRowsOnce: Int32Array | undefined;
  const rowsKept = () => (keptRowsOnce ??= keptRows(script, frame, warnings));
  specs.forEach((spec, i) => {
    const resp = multivariate ? labels[i] : "";
    const categories = !script.family.spec.categories
      ? undefined
      : spec.matrix && script.family.spec.matrixResponse
        ? { levels: categoryLabels(spec.matrix.columns.map((c) => c.name), spec.matrix.span, (c) => `response column '${c}'`), codes: undefined }
        : responseCategories(spec.response, frame, rowsKept());
    // A categorical family's dpars are its response's categories; each takes the main formula unless given its own.
    const family = categories ? categoricalChoice(script.family, categories.levels) : script.family;
    const dparFormulas = categories ? categoryFormulas(spec, categories.levels) : spec.dpars;
    const mu = categories ? { ...makePredictor(resp, "mu", family.link, { ...spec.mu, intercept: false, variables: [], terms: [], offsets: [], groups: [] }), categoryVector: true } : makePredictor(resp, "mu", family.link, spec.mu);
    for (const formula of spec.dpars) {
      if (!findDpar(family.spec, formula.dpar)) {
        fail("Semantic error", formula.span, `'${formula.dpar}' is not a distributional parameter of the ${family.spec.name} family.`, [dparList(family.spec)]);
      }
    }
    const predicted = family.spec.dpars.filter((d) => dparFormulas.some((f) => f.dpar === d.name));
    const dpars = predicted.map((d) => makePredictor(resp, d.name, family.dparLinks.get(d.name)!, dparFormulas.find((f) => f.dpar === d.name)!.spec));
    checkAdditionsForFamily(spec.additions, family.spec, predicted.map((d) => d.name), multivariate);
    // se() without sigma = TRUE fixes sigma at 0: it is no parameter (brms's no_sigma).
    const scalarDpars = family.spec.dpars.filter((d) => !predicted.includes(d) && !(d.name === "sigma" && seReplacesSigma(spec.additions)));
    if (!mu.categoryVector) predictors.push(mu);
    predictors.push(...dpars);
    if (family.spec.additions.includes("trials") && !spec.additions.trials) {
      fail("Semantic error", spec.response.span, `The ${family.spec.name} family needs the number of trials: write ${spec.response.name} | trials(n) ~ ...`);
    }
    if (spec.additions.trials && !family.spec.additions.includes("trials")) {
      fail("Semantic error", spec.additions.trials.span, `trials() is for binomial-type families, not ${family.spec.name}.`);
    }
    responses.push({
      variable: spec.response.name,
      resp,
      family,
      mu,
      dpars,
      scalarDpars,
      trials: spec.additions.trials?.name,
      additions: spec.additions,
      additionData: {},
      formulaText: spec.formulaText,
      dparTexts: spec.dpars.map((d) => d.text),
      categories,
      responseColumns: family.spec.matrixResponse ? spec.matrix?.columns.map((c) => c.name) : undefined,
    });
  });
  if (rescor && responses.some((r) => r.dpars.length > 0)) {
    fail("Semantic error", script.formula.span, "Residual correlations (rescor) with a predicted sigma are not supported.", [
      "Use set_rescor(FALSE) or drop the sigma formula.",
    ]);
  }

  const rows = rowsKept();
  const ids = assignGroupIds(script, responses, frame, rows);
  for (const p of predictors) {
    const design = populationDesign((p as Predictor & { spec: LinearSpec }).spec, frame, rows);
    p.columns = design.columns;
    p.coefs = design.columns.map((c) => coefName(c.name));
    p.offset = design.offset;
  }
  checkResponses(script, responses, frame, rows);
  for (const r of responses) {
    if (r.family.spec.thresholds) r.mu.thresholds = countThresholds(script, r, frame, rows);
    r.additionData = additionData(r.additions, frame, rows, () => responseValues(frame, r.variable, rows), r.family.spec.response === "int");
  }
  for (const id of ids) computeLevels(id, frame, rows);
  const priors = buildPriorTable({ script, responses, ids, multivariate, rescor, frame, rows, warnings });
  return { script, responses, predictors, ids, multivariate, rescor, rows, frame, priors, warnings };
}

function makePredictor(resp: string, dpar: DparName, link: string, spec: LinearSpec): Predictor & { spec: LinearSpec } {
  return {
    resp,
    dpar,
    link,
    prefix: joinNonEmpty(dpar === "mu" ? "" : dpar, resp),
    intercept: spec.intercept,
    columns: [],
    coefs: [],
    groupCoefs: [],
    spec,
  };
}

/** Spec §1.3: IDs in model order; a `|ID|` token reuses its number; cn runs within an ID. */
function assignGroupIds(script: BrmsScript, responses: readonly ResponseInfo[], frame: DataFrame, rows: Int32Array): GroupId[] {
  const ids: GroupId[] = [];
  const byToken = new Map<string, { id: GroupId; span: Span }>();
  for (const response of responses) {
    for (const predictor of predictorsOf(response)) {
      const spec = (predictor as Predictor & { spec: LinearSpec }).spec;
      for (const term of spec.groups) {
        let id: GroupId;
        const shared = term.id !== undefined ? byToken.get(term.id) : undefined;
        if (shared) {
          id = shared.id;
          if (id.group !== term.group.name) {
            fail("Semantic error", term.group.span, `The group ID '${term.id}' is used with two grouping factors ('${id.group}' and '${term.group.name}').`, [
              "Terms sharing an ID must have the same grouping factor.",
            ]);
          }
          if (id.correlated !== term.correlated) fail("Semantic error", term.span, `Terms sharing the ID '${term.id}' must all be correlated.`);
        } else {
          id = { id: ids.length + 1, group: term.group.name, groupColumns: term.groupColumns.map((c) => c.name), correlated: term.correlated, coefs: [], levels: [], levelIndex: new Int32Array(0) };
          ids.push(id);
          if (term.id !== undefined) byToken.set(term.id, { id, span: term.span });
        }
        addTermCoefs(id, predictor, term, frame, rows);
      }
    }
  }
  return ids;
}

function addTermCoefs(id: GroupId, predictor: Predictor, term: GroupTermSpec, frame: DataFrame, rows: Int32Array): void {
  const coefs: { coef: string; values?: Float64Array; span: Span }[] = [];
  if (term.intercept) coefs.push({ coef: "Intercept", span: term.span });
  // The group term's own model matrix: `(1 + f | g)` gives f contrasts, `(0 + f | g)` every level.
  const design = populationDesign({ intercept: term.intercept, terms: term.terms, offsets: [] }, frame, rows);
  for (const c of design.columns) coefs.push({ coef: coefName(c.name), values: c.values, span: term.span });
  for (const c of coefs) {
    const duplicate = id.coefs.some((existing) => existing.predictor === predictor && existing.coef === c.coef);
    const sameGroupElsewhere = predictor.groupCoefs.some((g) => g.coef === c.coef && g.group === id.group);
    if (duplicate || sameGroupElsewhere) {
      fail("Semantic error", c.span, `The coefficient '${c.coef}' appears twice for the grouping factor '${id.group}'.`);
    }
    const coef: GroupCoef = { id: id.id, group: id.group, cn: id.coefs.length + 1, predictor, coef: c.coef, values: c.values };
    id.coefs.push(coef);
    predictor.groupCoefs.push(coef);
  }
}

/** Spec §2.1: one model frame from every used variable; rows with a missing value are dropped. */
function keptRows(script: BrmsScript, frame: DataFrame, warnings: DiagnosticSink): Int32Array {
  const numeric = new Map<string, Span>();
  // Grouping factors and population variables: text or numbers (the design checks how they are used).
  const spans = new Map<string, Span>();
  script.formula.responses.forEach((spec) => {
    // A categorical response may be text: its values are category labels.
    if (spec.matrix && script.family.spec.matrixResponse) for (const column of spec.matrix.columns) numeric.set(column.name, column.span);
    else if (script.family.spec.categories) spans.set(spec.response.name, spec.response.span);
    else numeric.set(spec.response.name, spec.response.span);
    const additionVariables = additionColumns(spec.additions);
    for (const v of additionVariables.numeric) if (!numeric.has(v.name)) numeric.set(v.name, v.span);
    // cens() codes may be words or numbers.
    for (const v of additionVariables.codes) if (!spans.has(v.name)) spans.set(v.name, v.span);
    for (const lin of [spec.mu, ...spec.dpars.map((d) => d.spec)]) {
      for (const v of lin.variables) {
        // brms's `0 + Intercept` names no column unless the data have one.
        if (v.name === INTERCEPT_VARIABLE_NAME && !frame.columns.has(v.name)) continue;
        if (!spans.has(v.name)) spans.set(v.name, v.span);
      }
      for (const g of lin.groups) {
        for (const v of [...g.variables, ...g.groupColumns]) {
          if (v.name === INTERCEPT_VARIABLE_NAME && !frame.columns.has(v.name)) continue;
          if (!spans.has(v.name)) spans.set(v.name, v.span);
        }
      }
    }
  });
  const used = [...numeric.keys(), ...[...spans.keys()].filter((g) => !numeric.has(g))];
  for (const name of used) {
    const column = frame.columns.get(name);
    const span = numeric.get(name) ?? spans.get(name)!;
    if (!column) fail("Data error", span, `The variable '${name}' is not a column of the data (${frame.source}).`, columnHint(frame));
    if (numeric.has(name) && column.kind !== "numeric") {
      const values = column.values;
      const row = values.findIndex((v) => v !== null && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v));
      fail("Data error", span, `Column '${name}' must be numeric, but row ${row + 1} holds '${values[row]}'.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
        "Text columns may be predictors (factors) or cens() codes, but not responses or trials (nor weights, se, rate or trunc bounds).",
      ]);
    }
  }
  const kept: number[] = [];
  let firstMissing: { row: number; column: string } | undefined;
  for (let i = 0; i < frame.nrow; i++) {
    let missing: string | undefined;
    for (const name of used) {
      const column = frame.columns.get(name)!;
      const isMissing = column.kind === "numeric" ? Number.isNaN(column.values[i]) : column.values[i] === null;
      if (isMissing) {
        missing = name;
        break;
      }
    }
    if (missing === undefined) kept.push(i);
    else firstMissing ??= { row: i + 1, column: missing };
  }
  if (firstMissing) {
    warnings.warn(undefined, "Rows containing NAs were excluded from the model.", [
      `${frame.nrow - kept.length} of ${frame.nrow} rows dropped; the first is row ${firstMissing.row} (missing '${firstMissing.column}').`,
    ]);
  }
  if (kept.length === 0) fail("Data error", script.formula.span, "No rows are left after removing rows with missing values.");
  return Int32Array.from(kept);
}

/** Each response value must lie in its family's support (brms refuses such data before fitting). */
function checkResponses(script: BrmsScript, responses: readonly ResponseInfo[], frame: DataFrame, rows: Int32Array): void {
  script.formula.responses.forEach((spec, i) => {
    const response = responses[i];
    const family = response.family.spec;
    if (response.responseColumns) return checkMatrixResponse(spec, response, frame, rows);
    if (response.categories) return;
    const y = frame.columns.get(response.variable)!.values as Float64Array;
    const trialsSpec = spec.additions.trials;
    const trials = trialsSpec ? (frame.columns.get(trialsSpec.name)!.values as Float64Array) : undefined;
    for (const row of rows) {
      if (trials && trialsSpec && !(Number.isInteger(trials[row]) && trials[row] >= 0)) {
        fail("Data error", trialsSpec.span, `trials() needs non-negative integers, but row ${row + 1} of '${trialsSpec.name}' holds ${trials[row]}.`, [
          `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
        ]);
      }
      const problem = family.checkResponse(y[row], trials?.[row]);
      if (problem !== undefined) {
        fail("Data error", spec.response.span, `The ${family.name} family needs ${family.responseRequirement} as the response, but row ${row + 1} of '${response.variable}' holds ${y[row]}: ${problem}.`, [
          `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
        ]);
      }
    }
  });
}

/** The categories of a categorical response: its distinct values in R's level order (text or numbers). */
function responseCategories(response: VariableRef, frame: DataFrame, rows: Int32Array): { levels: string[]; codes: Int32Array } {
  const column = frame.columns.get(response.name)!;
  const { levels, index } =
    column.kind === "numeric" ? numericLevels(Float64Array.from(rows, (r) => column.values[r])) : factorLevels(Array.from(rows, (r) => column.values[r] as string));
  if (levels.length < 2) fail("Data error", response.span, `The categorical family needs at least 2 categories, but '${response.name}' has only ${levels.length}.`);
  return { levels: categoryLabels(levels, response.span, (c) => `category '${c}' of '${response.name}'`), codes: index };
}

/** Category labels become dpar names (`mu<label>`): stan2ts accepts letters and digits only. */
function categoryLabels(labels: string[], span: Span, describe: (label: string) => string): string[] {
  const unusable = labels.find((l) => !/^[A-Za-z0-9]+$/.test(l));
  if (unusable !== undefined) {
    fail("Data error", span, `The ${describe(unusable)} is not supported: stan2ts needs categories made of letters and digits only.`, [
      "brms names each category's linear predictor mu<category>; rename or recode it (e.g. with mutate()) first.",
    ]);
  }
  return labels;
}

/**
 * A multinomial or dirichlet family reads `cbind(a, b, …) ~ rhs` as one response with a column
 * per category (the first column stands for it where one variable is needed); other families read
 * cbind() as mvbind(), without addition terms.
 */
function withMatrixResponse(script: BrmsScript): BrmsScript {
  const specs = script.formula.responses;
  const matrix = specs[0].matrix;
  const family = script.family.spec;
  if (!family.matrixResponse) {
    if (matrix && Object.keys(specs[0].additions).length > 0) {
      fail("Semantic error", matrix.span, "Addition terms with mvbind() or cbind() are not supported; write one bf() per response.", [
        "cbind() with trials() is a matrix response of the multinomial family.",
      ]);
    }
    return script;
  }
  if (!matrix || specs.some((s) => s.matrix !== matrix)) {
    fail("Semantic error", script.formula.span, `The ${family.name} family needs one matrix response: write cbind(y1, y2, ...) ~ ...`, [
      "Each column of cbind() holds one category.",
    ]);
  }
  if (matrix.columns.length < 2) fail("Semantic error", matrix.span, `The ${family.name} family needs at least 2 response columns in cbind().`);
  const single = { ...specs[0], formulaText: matrix.formulaText };
  return { ...script, formula: { ...script.formula, responses: [single] } };
}

function categoricalChoice(choice: FamilyChoice, levels: readonly string[]): FamilyChoice {
  const spec = withCategories(choice.spec, levels);
  return { ...choice, spec, dparLinks: new Map(spec.dpars.map((d) => [d.name, d.links[0]])) };
}

/** One formula per non-reference category (`mu<c> ~ …` where given, else the main formula), then the other dpar formulas (dirichlet's phi). */
function categoryFormulas(spec: ResponseSpec, levels: readonly string[]): DparFormula[] {
  const names = levels.slice(1).map(categoryDparName);
  const own = (name: string) => spec.dpars.find((f) => f.dpar === name);
  return [...names.map((name) => own(name) ?? { dpar: name, spec: spec.mu, text: "", span: spec.response.span }), ...spec.dpars.filter((f) => !names.includes(f.dpar))];
}

/** Each row of a matrix response must suit the family (counts summing to trials(), proportions summing to 1). */
function checkMatrixResponse(spec: ResponseSpec, response: ResponseInfo, frame: DataFrame, rows: Int32Array): void {
  const family = response.family.spec;
  const columns = response.responseColumns!.map((name) => frame.columns.get(name)!.values as Float64Array);
  const trials = response.trials ? (frame.columns.get(response.trials)!.values as Float64Array) : undefined;
  for (const row of rows) {
    const values = columns.map((c) => c[row]);
    const problem = family.matrixResponse!.checkRow(values, trials?.[row]);
    if (problem !== undefined) {
      fail("Data error", spec.matrix!.span, `The ${family.name} family needs ${family.responseRequirement} as the response, but row ${row + 1} (${values.join(", ")}) is ${problem}.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
      ]);
    }
  }
}

/** brms's nthres for an ordinal response: the highest category minus one; a model needs at least two thresholds. */
function countThresholds(script: BrmsScript, r: ResponseInfo, frame: DataFrame, rows: Int32Array): number {
  const spec = script.formula.responses.find((s) => s.response.name === r.variable)!;
  if (!r.mu.intercept) {
    fail("Semantic error", spec.response.span, `An ordinal (${r.family.spec.name}) model needs its thresholds: remove '0 +' / '- 1' from the formula of '${r.variable}'.`);
  }
  const y = frame.columns.get(r.variable)!.values as Float64Array;
  let highest = 0;
  for (const row of rows) highest = Math.max(highest, y[row]);
  if (highest < 3) {
    fail("Data error", spec.response.span, `The ${r.family.spec.name} family needs at least 3 response categories, but the highest category of '${r.variable}' is ${highest}.`, [
      "Categories are numbered 1, 2, …; for two categories use family = bernoulli.",
    ]);
  }
  return highest - 1;
}

/**
 * Spec §2.3: levels are sorted distinct values: numeric order for numbers, R's en_US collation for
 * text (terms/levels.ts); `g1:g2` groups by the values joined with `_`, as brms does.
 */
function computeLevels(id: GroupId, frame: DataFrame, rows: Int32Array): void {
  const grouping = groupingValues(id.groupColumns, frame, rows);
  const { levels, index } = grouping.text ? factorLevels(grouping.values as string[]) : numericLevels(Float64Array.from(grouping.values as number[]));
  id.levels = levels;
  id.levelIndex = index;
}

export type { PriorRow, PriorSpec };
