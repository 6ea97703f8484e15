/**
 * brms's noise-free predictors `me(x, sdx)` (brms 2.18): the observed x is a noisy measurement
 * (`Xn_k`, known sd `noise_k`) of a latent value `Xme_k` that enters the linear predictor in its
 * place. The latent values get a normal population model of their own: means `meanme_1`, sds
 * `sdme_1`, standardised values `zme`, and, with two or more me() terms and set_mecor(TRUE) (brms's
 * default), correlations through the Cholesky factor `Lme_1` (outputs `corme_1`). stan2ts builds the
 * terms without `gr =`, which brms puts in one group (the `_1` suffix).
 */
import type { Expr, Stmt } from "../../ast/ast";
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import type { BrmsModel } from "../buildModel";
import type { DataFrame } from "../dataFrame";
import * as b from "../stanBuilders";
import type { LatentFactor } from "./latentPredictors";

/** One me() variable of the model, numbered by first appearance (brms's Xme_k). */
export interface MeasurementError {
  readonly index: number;
  readonly key: string;
  readonly variable: string;
  readonly sd: string;
  /** brms's coef label of the variable's meanme / sdme rows and outputs: `mexn`. */
  readonly label: string;
  readonly span: Span;
}

export function measurementErrorNames(k: number) {
  return { Xn: `Xn_${k}`, noise: `noise_${k}`, Xme: `Xme_${k}`, zme: `zme_${k}` };
}

/** The me() group's names (stan2ts has the one group brms makes without gr =). */
const GROUP = { M: "Mme_1", NC: "NCme_1", mean: "meanme_1", sd: "sdme_1", z: "zme_1", L: "Lme_1", X: "Xme1", Cor: "Corme_1", cor: "corme_1" };
export const measurementErrorGroupNames = GROUP;

/** Every me() variable of the model, in the order brms numbers them (formula order, response by response). */
export function measurementErrors(model: Pick<BrmsModel, "predictors">): MeasurementError[] {
  const out: MeasurementError[] = [];
  for (const p of model.predictors) {
    for (const t of p.special ?? []) {
      for (const f of t.latent) {
        if (f.kind !== "me" || out.some((m) => m.key === f.key)) continue;
        out.push({ index: out.length + 1, key: f.key, variable: f.variable, sd: f.sd, label: `me${f.variable}`, span: f.span });
      }
    }
  }
  return out;
}

export function measurementErrorOf(model: Pick<BrmsModel, "predictors">, factor: Extract<LatentFactor, { kind: "me" }>): MeasurementError {
  const found = measurementErrors(model).find((m) => m.key === factor.key);
  if (!found) throw new Error(`internal error: me() term ${factor.key} not collected`);
  return found;
}

/** brms's set_mecor(TRUE) default: the latent values are correlated when there are two or more. */
export function correlatedLatents(model: BrmsModel): boolean {
  return measurementErrors(model).length > 1 && (model.script.formula.mecor ?? true);
}

/** Xn_k and noise_k on the kept rows; the sds must be non-negative (brms's message otherwise). */
export function measurementErrorData(m: MeasurementError, frame: DataFrame, rows: Int32Array): { values: Float64Array; noise: Float64Array } {
  const column = (name: string) => {
    const c = frame.columns.get(name);
    if (!c || c.kind !== "numeric") fail("Data error", m.span, `me() needs numeric columns, but '${name}' ${c ? "holds text" : "is not a column of the data"}.`);
    return Float64Array.from(rows, (r) => c.values[r]);
  };
  const noise = column(m.sd);
  noise.forEach((sd, i) => {
    if (!(sd >= 0)) fail("Data error", m.span, `me() needs non-negative measurement sds, but row ${rows[i] + 1} of '${m.sd}' holds ${sd}.`);
  });
  return { values: column(m.variable), noise };
}

export function measurementErrorDataDecls(model: BrmsModel): Stmt[] {
  const all = measurementErrors(model);
  if (all.length === 0) return [];
  const N = b.v("N");
  const out: Stmt[] = [b.decl("int", GROUP.M, { lower: b.int(1) })];
  for (const m of all) {
    const n = measurementErrorNames(m.index);
    out.push(b.decl("vector", n.Xn, { sizes: [N] }), b.decl("vector", n.noise, { sizes: [N], lower: b.int(0) }));
  }
  if (correlatedLatents(model)) out.push(b.decl("int", GROUP.NC, { lower: b.int(1) }));
  return out;
}

export function measurementErrorParameters(model: BrmsModel): Stmt[] {
  const all = measurementErrors(model);
  if (all.length === 0) return [];
  const M = b.v(GROUP.M);
  const out: Stmt[] = [b.decl("vector", GROUP.mean, { sizes: [M] }), b.decl("vector", GROUP.sd, { sizes: [M], lower: b.int(0) })];
  if (correlatedLatents(model)) {
    out.push(b.decl("matrix", GROUP.z, { sizes: [M, b.v("N")] }), b.decl("cholesky_factor_corr", GROUP.L, { sizes: [M] }));
  } else for (const m of all) out.push(b.decl("vector", measurementErrorNames(m.index).zme, { sizes: [b.v("N")] }));
  return out;
}

/** Transformed parameters: the latent values' declarations and their computation from meanme, sdme and zme. */
export function latentValues(model: BrmsModel): { decls: Stmt[]; compute: Stmt[] } {
  const all = measurementErrors(model);
  const N = b.v("N");
  if (all.length === 0) return { decls: [], compute: [] };
  if (correlatedLatents(model)) {
    const decls: Stmt[] = [b.decl("matrix", GROUP.X, { sizes: [N, b.v(GROUP.M)] }), ...all.map((m) => b.decl("vector", measurementErrorNames(m.index).Xme, { sizes: [N] }))];
    const scaled = b.call("transpose", b.bin("*", b.call("diag_pre_multiply", b.v(GROUP.sd), b.v(GROUP.L)), b.v(GROUP.z)));
    const compute: Stmt[] = [b.assign(b.v(GROUP.X), b.bin("+", b.call("rep_matrix", b.call("transpose", b.v(GROUP.mean)), N), scaled))];
    all.forEach((m, k) => compute.push(b.assign(b.v(measurementErrorNames(m.index).Xme), b.idx(b.v(GROUP.X), "all", b.int(k + 1)))));
    return { decls, compute };
  }
  const at = (name: string, k: number) => b.idx(b.v(name), b.int(k));
  return {
    decls: all.map((m) => b.decl("vector", measurementErrorNames(m.index).Xme, { sizes: [N] })),
    compute: all.map((m, k) => b.assign(b.v(measurementErrorNames(m.index).Xme), b.bin("+", at(GROUP.mean, k + 1), b.bin("*", at(GROUP.sd, k + 1), b.v(measurementErrorNames(m.index).zme))))),
  };
}

/** Model block, after the group-level effects: the measurement model of each Xn_k, then the standardised latents. */
export function measurementErrorDensities(model: BrmsModel): Stmt[] {
  const all = measurementErrors(model);
  const out: Stmt[] = all.map((m) => {
    const n = measurementErrorNames(m.index);
    return b.targetPlus(b.lpdf("normal_lpdf", b.v(n.Xn), b.v(n.Xme), b.v(n.noise)));
  });
  if (all.length === 0) return out;
  if (correlatedLatents(model)) out.push(b.targetPlus(b.call("std_normal_lpdf", b.call("to_vector", b.v(GROUP.z)))));
  else for (const m of all) out.push(b.targetPlus(b.call("std_normal_lpdf", b.v(measurementErrorNames(m.index).zme))));
  return out;
}

/** The latent values' prior draws and correlation output: `Corme_1`, `corme_1` (generated quantities). */
export function latentCorrelationNames(model: BrmsModel): { matrix: string; vector: string; size: string; count: string; factor: Expr } | undefined {
  if (!correlatedLatents(model)) return undefined;
  return { matrix: GROUP.Cor, vector: GROUP.cor, size: GROUP.M, count: GROUP.NC, factor: b.v(GROUP.L) };
}
