/**
 * What brms 2.18 adds to an ordinal model (cumulative, sratio, cratio, acat) beyond its default
 * thresholds: `y | thres(k) ~ …` (a given number of thresholds), `y | thres(gr = g) ~ …` (one
 * threshold vector per group, merged into one vector the densities slice with `Jthres[n]`), and
 * category-specific effects `cs(x)` (a coefficient per threshold: `matrix[Kcs, nthres] bcs`,
 * subtracted from the thresholds row by row). This module computes them from the data, checks
 * them as brms does, and builds their Stan code and data; the model builder and the emitter call it.
 */
import type { Expr, Stmt } from "../ast/ast";
import { fail, type DiagnosticSink } from "../common/diagnostics";
import { syntheticSpan, type Span } from "../common/span";
import type { DataFrame } from "./dataFrame";
import type { ThresTerm } from "./additions";
import type { FamilyChoice } from "./families/index";
import type { LinearSpec } from "./formula";
import { coefName, withSuffix } from "./names";
import * as b from "./stanBuilders";
import { populationDesign, type DesignColumn } from "./terms/design";
import { factorLevels } from "./terms/levels";

/** Thresholds per group of `thres(gr = g)`: brms's `nthres[ngrthres]`, `Jthres[N, 2]`. */
export interface ThresholdGroups {
  /** The group labels in R's factor order. */
  readonly levels: readonly string[];
  /** The number of thresholds of each group. */
  readonly counts: readonly number[];
  /** Each kept row's 1-based group. */
  readonly rowGroup: Int32Array;
}

/** The number of thresholds of an ordinal response, or its threshold groups. */
export type OrdinalThresholds = { readonly count: number; readonly groups?: undefined } | { readonly count: number; readonly groups: ThresholdGroups };

const rowNote = (frame: DataFrame, row: number) => `(data row ${row + 1} is line ${row + 2} of ${frame.source})`;

/**
 * brms's nthres: the highest category minus one, or what thres() gives; with `gr =`, one count per
 * group (each group's own highest category unless thres() gives the number). The response must fit.
 */
export function ordinalThresholds(
  response: { readonly name: string; readonly span: Span },
  family: FamilyChoice,
  thres: ThresTerm | undefined,
  frame: DataFrame,
  rows: Int32Array,
): OrdinalThresholds {
  const y = frame.columns.get(response.name)!.values as Float64Array;
  const highestOf = (take: (i: number) => boolean) => {
    let highest = 0;
    rows.forEach((row, i) => {
      if (take(i)) highest = Math.max(highest, y[row]);
    });
    return highest;
  };
  // thres(x) with a column: its values per row (one number of thresholds per group).
  const countRef = thres?.count?.kind === "column" ? thres.count.column : undefined;
  const countColumn = countRef ? (frame.columns.get(countRef.name)!.values as Float64Array) : undefined;
  const checkCount = (value: number, span: Span) => {
    if (!(Number.isInteger(value) && value >= 1)) fail("Data error", span, `Number of thresholds must be a positive integer, not ${value}.`, ["thres(k) takes a whole number of thresholds, as in thres(4)."]);
  };
  if (thres?.count?.kind === "number") checkCount(thres.count.value, thres.count.span);
  if (countRef && countColumn) rows.forEach((row) => checkCount(countColumn[row], countRef.span));

  if (!thres?.group) {
    let count: number;
    if (thres?.count?.kind === "number") count = thres.count.value;
    else if (countRef && countColumn) {
      const values = new Set(Array.from(rows, (row) => countColumn[row]));
      if (values.size > 1) fail("Data error", countRef.span, `Number of thresholds needs to be a single value, but '${countRef.name}' holds ${[...values].slice(0, 3).join(", ")}${values.size > 3 ? ", …" : ""}.`, ["Different numbers of thresholds need threshold groups: thres(k, gr = g)."]);
      count = [...values][0];
    } else {
      const highest = highestOf(() => true);
      if (highest < 3) {
        fail("Data error", response.span, `The ${family.spec.name} family needs at least 3 response categories, but the highest category of '${response.name}' is ${highest}.`, [
          "Categories are numbered 1, 2, …; for two categories use family = bernoulli.",
        ]);
      }
      return { count: highest - 1 };
    }
    if (count < 2) fail("Data error", thres!.span, `An ordinal model needs at least 2 thresholds, but thres() gives ${count}.`, ["For two categories use family = bernoulli."]);
    const highest = highestOf(() => true);
    if (highest > count + 1) fail("Data error", thres!.span, `Number of thresholds is smaller than required by the response: thres() gives ${count}, but '${response.name}' reaches category ${highest}.`);
    return { count };
  }

  const groupRef = thres.group;
  const column = frame.columns.get(groupRef.name)!;
  if (column.kind === "numeric") {
    fail("Data error", groupRef.span, `Variable 'gr' in 'thres' needs to be factor-like, but '${groupRef.name}' is numeric.`, ["brms groups thresholds by a text (factor) column; compute one with mutate() or use a text column."]);
  }
  const labels = Array.from(rows, (row) => column.values[row] as string);
  const { levels, index } = factorLevels(labels);
  const unusable = levels.find((l) => !/^[A-Za-z0-9._]+$/.test(l));
  if (unusable !== undefined) {
    fail("Data error", groupRef.span, `The threshold group '${unusable}' of '${groupRef.name}' is not supported: stan2ts needs group labels made of letters, digits, '.' and '_'.`, [
      "brms puts the labels into parameter names (b_Intercept[<group>,1]); rename or recode them first.",
    ]);
  }
  const counts = levels.map((level, g) => {
    const inGroup = (i: number) => index[i] === g + 1;
    if (thres.count?.kind === "number") return thres.count.value;
    if (countRef && countColumn) {
      const values = new Set(Array.from(rows, (row) => countColumn[row]).filter((_, i) => inGroup(i)));
      if (values.size > 1) fail("Data error", countRef.span, `Number of thresholds should be unique for each group, but group '${level}' has ${[...values].join(", ")}.`);
      return [...values][0];
    }
    const highest = highestOf(inGroup);
    if (highest < 2) fail("Data error", response.span, `The threshold group '${level}' needs at least 2 response categories, but its highest category of '${response.name}' is ${highest}.`, ["Give the number of thresholds with thres(k, gr = …), or merge the group with another."]);
    return highest - 1;
  });
  rows.forEach((row, i) => {
    const count = counts[index[i] - 1];
    if (y[row] > count + 1) {
      fail("Data error", thres.span, `Number of thresholds is smaller than required by the response: row ${row + 1} of '${response.name}' holds ${y[row]}, but its group '${levels[index[i] - 1]}' has ${count} thresholds.`, [rowNote(frame, row)]);
    }
  });
  return { count: Math.max(...counts), groups: { levels, counts, rowGroup: index } };
}

/** brms's Jthres: each row's first and last index in the merged threshold vector, row-major N×2. */
export function thresholdIndices(groups: ThresholdGroups): Float64Array {
  const starts: number[] = [];
  let end = 0;
  for (const count of groups.counts) {
    starts.push(end + 1);
    end += count;
  }
  const out = new Float64Array(groups.rowGroup.length * 2);
  groups.rowGroup.forEach((g, i) => {
    out[2 * i] = starts[g - 1];
    out[2 * i + 1] = starts[g - 1] + groups.counts[g - 1] - 1;
  });
  return out;
}

/**
 * The design of `cs(...)`: model.matrix of its terms without the intercept column, as brms's
 * `data_cs`. Checked as brms checks it: only ordinal families' mu, never with threshold groups;
 * cumulative gets brms's warning.
 */
export function categorySpecificDesign(
  cs: NonNullable<LinearSpec["cs"]>,
  dpar: string,
  family: FamilyChoice,
  thresholdGroups: ThresholdGroups | undefined,
  frame: DataFrame,
  rows: Int32Array,
  warnings: DiagnosticSink,
): readonly DesignColumn[] {
  checkCategorySpecific(cs.span, dpar, family, thresholdGroups, warnings);
  if (cs.terms.length === 0) {
    fail("Semantic error", cs.span, "cs(1) (category-specific intercepts) is not supported here: the thresholds already are the intercepts of each category.");
  }
  return populationDesign({ intercept: true, terms: cs.terms, offsets: [] }, frame, rows).columns;
}

/** brms's checks of cs() terms (population or group-level): ordinal families' mu only, never with threshold groups; cumulative gets brms's warning. */
export function checkCategorySpecific(span: Span, dpar: string, family: FamilyChoice, thresholdGroups: ThresholdGroups | undefined, warnings: DiagnosticSink): void {
  if (!family.spec.thresholds) {
    fail("Semantic error", span, "Category specific effects are not supported for this family.", [`cs() is for the ordinal families sratio, cratio, acat and cumulative, not ${family.spec.name}.`]);
  }
  if (dpar !== "mu") fail("Semantic error", span, "Category specific effects are only supported for the main parameter 'mu'.");
  if (thresholdGroups) fail("Semantic error", span, "Cannot use category specific effects in models with multiple thresholds.", ["Drop gr = from thres() or the cs() term."]);
  const message = "Category specific effects for this family should be considered experimental and may have convergence issues.";
  if (family.spec.name === "cumulative" && !warnings.warnings.some((w) => w.message === message)) warnings.warn(span, message);
}

export const csCoefNames = (columns: readonly DesignColumn[]) => columns.map((c) => coefName(c.name));

// ---------------------------------------------------------------------------------------------
// Stan code

const v = b.v;

/** The Stan names of a response's grouped-threshold data (`nthres`, or `nthres_yo` in a multivariate model). */
export function thresholdGroupNames(resp: string) {
  const s = (name: string) => withSuffix(name, resp);
  return { ngrthres: s("ngrthres"), nthres: s("nthres"), Jthres: s("Jthres"), nmthres: s("nmthres"), Kthres_start: s("Kthres_start"), Kthres_end: s("Kthres_end") };
}

/** `int<lower=1> ngrthres; int<lower=1> nthres[ngrthres]; int<lower=1> Jthres[N, 2];` */
export function thresholdGroupDataDecls(N: string, resp: string): Stmt[] {
  const n = thresholdGroupNames(resp);
  return [
    b.decl("int", n.ngrthres, { lower: b.int(1) }),
    b.decl("int", n.nthres, { lower: b.int(1), arrayDims: [v(n.ngrthres)] }),
    b.decl("int", n.Jthres, { lower: b.int(1), arrayDims: [v(N), b.int(2)] }),
  ];
}

/** brms's `nmthres` and the start and end of each group's thresholds in the merged vector. */
export function thresholdGroupTransformedData(resp: string): { decls: Stmt[]; statements: Stmt[] } {
  const n = thresholdGroupNames(resp);
  const at = (name: string, i: Expr) => b.idx(v(name), i);
  const previousEnd = () => at(n.Kthres_end, b.bin("-", v("i"), b.int(1)));
  return {
    decls: [
      b.decl("int", n.nmthres, { lower: b.int(1), init: b.call("sum", v(n.nthres)) }),
      b.decl("int", n.Kthres_start, { lower: b.int(1), arrayDims: [v(n.ngrthres)] }),
      b.decl("int", n.Kthres_end, { lower: b.int(1), arrayDims: [v(n.ngrthres)] }),
    ],
    statements: [
      b.assign(at(n.Kthres_start, b.int(1)), b.int(1)),
      b.assign(at(n.Kthres_end, b.int(1)), at(n.nthres, b.int(1))),
      b.forLoop("i", b.int(2), v(n.ngrthres), [
        b.assign(at(n.Kthres_start, v("i")), b.bin("+", previousEnd(), b.int(1))),
        b.assign(at(n.Kthres_end, v("i")), b.bin("+", previousEnd(), at(n.nthres, v("i")))),
      ]),
    ],
  };
}

/** The threshold vector of group g (1-based): `Intercept_g`. */
export const groupIntercept = (intercept: string, g: number) => `${intercept}_${g}`;

/** `nthres[g]`: the number of thresholds of group g (1-based). */
export const groupThresholdCount = (resp: string, g: number): Expr => b.idx(v(thresholdGroupNames(resp).nthres), b.int(g));

/** `ordered[nthres[g]] Intercept_g;` per group. */
export function thresholdGroupParameters(intercept: string, groups: ThresholdGroups, ordered: boolean, resp: string): Stmt[] {
  return groups.levels.map((_, i) => b.decl(ordered ? "ordered" : "vector", groupIntercept(intercept, i + 1), { sizes: [groupThresholdCount(resp, i + 1)] }));
}

/** `vector[nmthres] merged_Intercept;` and its slices `merged_Intercept[Kthres_start[g]:Kthres_end[g]] = Intercept_g;`. */
export function mergedThresholds(intercept: string, groups: ThresholdGroups, resp: string): { decl: Stmt; statements: Stmt[] } {
  const n = thresholdGroupNames(resp);
  const merged = `merged_${intercept}`;
  return {
    decl: b.decl("vector", merged, { sizes: [v(n.nmthres)] }),
    statements: groups.levels.map((_, i) => {
      const g = b.int(i + 1);
      const slice: Expr = {
        kind: "Indexed",
        meta: { span: syntheticSpan("<brms>") },
        target: v(merged),
        indices: [{ kind: "Between", lower: b.idx(v(n.Kthres_start), g), upper: b.idx(v(n.Kthres_end), g) }],
      };
      return b.assign(slice, v(groupIntercept(intercept, i + 1)));
    }),
  };
}

/** The Stan names of the category-specific pieces of a response (`Xcs`, or `Xcs_yo` in a multivariate model). */
export function csNames(resp: string) {
  const s = (name: string) => withSuffix(name, resp);
  return { Kcs: s("Kcs"), Xcs: s("Xcs"), bcs: s("bcs"), mucs: s("mucs"), nthres: s("nthres") };
}

/** `int<lower=1> Kcs; matrix[N, Kcs] Xcs;` */
export function csDataDecls(N: string, resp: string): Stmt[] {
  const n = csNames(resp);
  return [b.decl("int", n.Kcs, { lower: b.int(1) }), b.decl("matrix", n.Xcs, { sizes: [v(N), v(n.Kcs)] })];
}

/** `matrix[Kcs, nthres] bcs;` */
export function csParameter(resp: string): Stmt {
  const n = csNames(resp);
  return b.decl("matrix", n.bcs, { sizes: [v(n.Kcs), v(n.nthres)] });
}

/** `matrix[N, nthres] mucs = Xcs * bcs;` (or `rep_matrix(0, N, nthres)` with only group-level cs()), the category-specific part of each row's thresholds. */
export function csLinearPredictor(N: string, population: boolean, resp: string): Stmt {
  const n = csNames(resp);
  const init = population ? b.bin("*", v(n.Xcs), v(n.bcs)) : b.call("rep_matrix", b.int(0), v(N), v(n.nthres));
  return b.decl("matrix", n.mucs, { sizes: [v(N), v(n.nthres)], init });
}

/** The thresholds one row's density reads: `Intercept - transpose(mucs[n])` with cs(), else `Intercept`. */
export function rowThresholds(intercept: string, hasCs: boolean, resp: string): Expr {
  return hasCs ? b.bin("-", v(intercept), b.call("transpose", b.idx(v(csNames(resp).mucs), v("n")))) : v(intercept);
}
