/**
 * R's contrast functions (contr.treatment, contr.sum, contr.helmert, contr.poly, contr.SAS) and
 * the contrasts a factor column carries: the matrix model.matrix codes a factor with, one row per
 * level, and the column names it appends to the factor's name (`h1`, `hlin`, `f.L`, `f^4`).
 */

/** A contrast matrix: `rows[level][column]`, with model.matrix's column suffixes. */
export interface ContrastMatrix {
  readonly rows: readonly (readonly number[])[];
  /** The matrix's column names; undefined when it has none (model.matrix then numbers them 1, 2, …). */
  readonly colnames?: readonly string[];
}

/** The contrast functions stan2ts computes, as R names them. */
export const CONTRAST_FUNCTIONS = ["contr.treatment", "contr.sum", "contr.helmert", "contr.poly", "contr.SAS"] as const;
export type ContrastFunction = (typeof CONTRAST_FUNCTIONS)[number];

export const isContrastFunction = (name: string): name is ContrastFunction => (CONTRAST_FUNCTIONS as readonly string[]).includes(name);

/**
 * What a factor column's contrasts are: a function named by its attribute (`contrasts(d$h) <- "contr.sum"`,
 * or R's default from options(contrasts =)), called on the levels when the model matrix is built,
 * or a matrix fixed when it was assigned (`contr.sum(3)`, `cbind(...)`, `matrix(...)`).
 */
export type ContrastsSetting = { readonly kind: "function"; readonly name: ContrastFunction } | { readonly kind: "matrix"; readonly matrix: ContrastMatrix };

/** R's default `options(contrasts = c(unordered = "contr.treatment", ordered = "contr.poly"))`. */
export const DEFAULT_CONTRASTS: readonly [ContrastFunction, ContrastFunction] = ["contr.treatment", "contr.poly"];

/**
 * `fn(n)` or `fn(levels)` as R computes it. Called with a count, contr.treatment names its columns by
 * the level numbers ("2", "3"); called with the levels (as model.matrix does), by the level names.
 * `base` is contr.treatment's reference level (1-based).
 */
export function contrastFunction(fn: ContrastFunction, levels: readonly string[], base = 1): ContrastMatrix {
  const n = levels.length;
  switch (fn) {
    case "contr.treatment":
    case "contr.SAS": {
      const reference = fn === "contr.SAS" ? n : base;
      const kept = levels.map((_, i) => i).filter((i) => i !== reference - 1);
      return { rows: levels.map((_, r) => kept.map((c) => (c === r ? 1 : 0))), colnames: kept.map((i) => levels[i]) };
    }
    case "contr.sum":
      return { rows: levels.map((_, r) => Array.from({ length: n - 1 }, (_, c) => (r === n - 1 ? -1 : r === c ? 1 : 0))) };
    case "contr.helmert":
      // Column c (0-based) compares level c + 2 with the mean of the levels before it.
      return { rows: levels.map((_, r) => Array.from({ length: n - 1 }, (_, c) => (r <= c ? -1 : r === c + 1 ? c + 1 : 0))) };
    case "contr.poly":
      return polynomialContrasts(n);
  }
}

/** The level labels R gives `contr.*(n)`: "1", …, "n". */
export const countLevels = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1));

/**
 * contr.poly(n): orthogonal polynomials in the scores 1..n. R takes Q·diag(R) of the QR of the
 * centred powers, each column normalised, and drops the constant; Q·diag(R)'s column k is power k
 * minus its projection on the lower ones, computed here by Gram–Schmidt, done twice for accuracy.
 * Columns `.L`, `.Q`, `.C`, then `^4`, `^5`, ….
 */
function polynomialContrasts(n: number): ContrastMatrix {
  const mean = (n + 1) / 2;
  const centred = Array.from({ length: n }, (_, i) => i + 1 - mean);
  const basis: number[][] = [centred.map(() => 1)];
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
  for (let k = 1; k < n; k++) {
    const column = centred.map((v) => v ** k);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        const coefficient = dot(column, q) / dot(q, q);
        for (let i = 0; i < n; i++) column[i] -= coefficient * q[i];
      }
    }
    basis.push(column);
  }
  const columns = basis.slice(1).map((c) => {
    const norm = Math.sqrt(dot(c, c));
    return c.map((v) => v / norm);
  });
  const colnames = columns.map((_, k) => [".L", ".Q", ".C"][k] ?? `^${k + 1}`);
  return { rows: centred.map((_, r) => columns.map((c) => c[r])), colnames };
}

/** The column suffixes model.matrix appends to a factor's name for these contrasts. */
export function contrastColumnNames(matrix: ContrastMatrix): string[] {
  const width = matrix.rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, c) => matrix.colnames?.[c] ?? String(c + 1));
}
