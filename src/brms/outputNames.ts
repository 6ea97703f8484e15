/**
 * Stan output columns → brms variable names, in brms's order (spec §5): what brms saves, how it
 * renames each element, and the class-rank ordering of `variables(fit)`.
 */
import { predictorsOf, type BrmsModel, type GroupCoef } from "./buildModel";
import { seReplacesSigma } from "./additions";
import { computedDpars, estimatedElementNames, predictorNames, priorDraws, rName, responseNames, scalarDparName, scalarParameterName } from "./emitStanProgram";
import { basePrior, hasCorrelations } from "./priors";
import { constantValue } from "./constantPriors";
import { csNames, groupIntercept } from "./ordinalTerms";
import { hasSharedNu } from "./sharedNu";
import { withSuffix } from "./names";
import { specialNames } from "./terms/monotonic";
import { smoothNames, smoothOutputNames } from "./terms/smooth";
import { thetaName } from "./families/mixture";
import { mixtureSimplexSize } from "./families/mixtureProgram";
import { missingValueOutputs } from "./missingValues";
import { latentCorrelationNames, measurementErrorGroupNames, measurementErrors } from "./terms/measurementError";
import { gaussianProcessNames, type GaussianProcessTerm } from "./terms/gaussianProcess";

export interface OutputName {
  /** CmdStan's column name: `b.1`, `sd_1.2`, `r_1_1.17`, `sigma`, `lp__`. */
  readonly stan: string;
  /** brms's name: `b_day01`, `sd_record_id__day01`, `r_record_id[17,Intercept]`. */
  readonly brms: string;
}

interface SavedBlock {
  readonly stanName: string;
  readonly names: OutputName[];
  /** Ranks first within its class, as brms's intercepts do (default: the name ends in `_Intercept` or `_Intercept_<k>`). */
  readonly intercept?: boolean;
}

/** Where the family's distributional parameters rank (brms puts `valid_dpars()` there). */
const DPARS = "<dpars>";

const CLASS_RANK = [
  "b", "bs", "bsp", "bcs", "ar", "ma", "sderr", "lagsar", "errorsar", "car", "rhocar", "sdcar", "cosy", "sd", "cor", "df",
  "sds", "sdgp", "lscale", DPARS, "lncor", "Intercept", "tmp", "rescor", "delta", "lasso", "simo", "r", "s", "zgp",
  "rcar", "sbhaz", "R2D2", "Ymi", "Yl", "meanme", "sdme", "corme", "Xme", "prior", "lprior", "lp",
];

/** brms's reorder_pars ranks these first within their class: `b_Intercept`, and with thres(gr = ) `prior_Intercept_2`. */
const INTERCEPT_NAME = /_Intercept(_\d+)?$/;

function rname(c: GroupCoef): string {
  return c.predictor.prefix === "" ? c.coef : `${c.predictor.prefix}_${c.coef}`;
}

/** Pairs (a<b) of an upper triangle taken column by column: (1,2),(1,3),(2,3),(1,4),… */
export function upperTrianglePairs(size: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let k = 1; k <= size; k++) for (let j = 1; j < k; j++) pairs.push([j - 1, k - 1]);
  return pairs;
}

/** A predictor's gp() parameters as saved blocks (brms's names). */
function gaussianProcessOutputBlocks(terms: readonly GaussianProcessTerm[], prefix: string): SavedBlock[] {
  return terms.flatMap((term, i) => {
    const n = gaussianProcessNames(prefix, i + 1);
    const brms = (cls: string, coef: string) => `${withSuffix(cls, prefix)}_${coef}`;
    const sdgp: SavedBlock = { stanName: n.sdgp, names: term.sdCoefs.map((coef, j) => ({ stan: `${n.sdgp}.${j + 1}`, brms: brms("sdgp", coef) })) };
    const lscale: SavedBlock = { stanName: n.lscale, names: term.lscaleCoefs.flatMap((coefs, j) => coefs.map((coef, d) => ({ stan: `${n.lscale}.${j + 1}.${d + 1}`, brms: brms("lscale", coef) }))) };
    const latent = term.parts.map((part, j): SavedBlock => {
      const name = n.part("zgp", term, j);
      const size = part.basis ? part.basis.sqrtEigenvalues.length : part.points.length;
      return { stanName: name, names: Array.from({ length: size }, (_, k) => ({ stan: `${name}.${k + 1}`, brms: `${brms("zgp", term.sdCoefs[j])}[${k + 1}]` })) };
    });
    return [sdgp, lscale, ...latent];
  });
}

/** Level labels as brms writes them inside `r_` names (whitespace → `.`). */
function levelLabel(level: string): string {
  return level.replace(/\s/g, ".");
}

export function outputNames(model: BrmsModel): OutputName[] {
  const blocks: SavedBlock[] = [];
  const vector = (stanName: string, brmsNames: string[]): SavedBlock => ({
    stanName,
    names: brmsNames.map((brms, i) => ({ stan: `${stanName}.${i + 1}`, brms })),
  });
  const scalar = (stanName: string, brms = stanName): SavedBlock => ({ stanName, names: [{ stan: stanName, brms }] });

  // parameters
  for (const r of model.responses) {
    // mi(): the imputed values `Ymi[k]` or latent values `Yl[n]` (class Ymi / Yl)
    if (r.additions.mi && r.missingValues) {
      const imputed = missingValueOutputs(r.additions.mi, r.resp, r.missingValues);
      if (imputed) blocks.push(vector(imputed.stanName, imputed.brms));
    }
    for (const p of predictorsOf(r)) {
      if (p.coefs.length === 0) continue;
      const n = predictorNames(p);
      blocks.push(vector(n.b, p.coefs.map((coef) => `${n.b}_${coef}`)));
    }
    // Monotonic effects: bsp (`bsp_moedu`), and one simplex per mo() call (`simo_moedu1[1]`, …).
    for (const p of predictorsOf(r)) {
      if (!p.special?.length) continue;
      const sp = specialNames(p.prefix);
      blocks.push(vector(sp.bsp, p.special.map((t) => `${sp.bsp}_${t.coef}`)));
      p.special.flatMap((t) => t.calls).forEach((call, i) => {
        blocks.push(vector(sp.simo(i + 1), Array.from({ length: call.steps }, (_, k) => `${withSuffix("simo", p.prefix)}_${call.simplexCoef}[${k + 1}]`)));
      });
    }
    // Smooths: the unpenalised coefficients bs (`bs_sx_1`) and each smooth's sds (`sds_sx_1`).
    for (const p of predictorsOf(r)) {
      if (!p.smooths?.length) continue;
      const sm = smoothNames(p.prefix);
      const names = smoothOutputNames(p.smooths, p.prefix);
      blocks.push(vector(sm.bs, names.bs));
      names.sds.forEach((name, k) => blocks.push(scalar(sm.sds(k + 1), name)));
    }
    // gp(): sdgp and lscale per sub-GP by its coef (`sdgp_gpx`, `lscale_gpxx2x2`), the latent zgp by sub-GP (`zgp_gpxfa[3]`).
    for (const p of predictorsOf(r)) blocks.push(...gaussianProcessOutputBlocks(p.gaussianProcesses ?? [], p.prefix));
    // Category-specific effects, matrix[Kcs, nthres] bcs: brms names row i, column k `bcs_<coef>[k]` (`bcs_<resp>_<coef>[k]`), coefficient by coefficient.
    const cs = r.mu.csCoefs ?? [];
    if (cs.length > 0) {
      const thresholds = r.mu.thresholds ?? 0;
      const bcs = csNames(r.resp).bcs;
      const names = cs.flatMap((coef, i) => Array.from({ length: thresholds }, (_, k) => ({ stan: `${bcs}.${i + 1}.${k + 1}`, brms: `${bcs}_${coef}[${k + 1}]` })));
      blocks.push({ stanName: bcs, names });
    }
    for (const d of r.scalarDpars) if (d.fixedValue === undefined) blocks.push(scalar(scalarParameterName(d, r)));
    // Grouped thresholds: brms keeps the temporary `Intercept_1`, … (class Intercept) in its output.
    const groups = r.mu.thresholdGroups;
    if (groups) {
      const intercept = predictorNames(r.mu).Intercept;
      groups.counts.forEach((count, g) => {
        const name = groupIntercept(intercept, g + 1);
        blocks.push(vector(name, Array.from({ length: count }, (_, k) => `${name}[${k + 1}]`)));
      });
      // beside a non-linear mu it also keeps their concatenation `merged_Intercept` (ranked after lp__)
      if (r.mu.nonlinear) {
        const merged = `merged_${intercept}`;
        const total = groups.counts.reduce((a, c) => a + c, 0);
        blocks.push(vector(merged, Array.from({ length: total }, (_, k) => `${merged}[${k + 1}]`)));
      }
    } else if (r.mu.nonlinear && r.mu.thresholds !== undefined) {
      // so does it keep a non-linear ordinal mu's temporary thresholds (`Intercept[1]`, …; brms excludes them only beside linear terms)
      const intercept = predictorNames(r.mu).Intercept;
      blocks.push(vector(intercept, Array.from({ length: r.mu.thresholds }, (_, k) => `${intercept}[${k + 1}]`)));
    }
  }
  // multi_student_t's shared nu, declared after Lrescor (a constant() prior makes it a transformed parameter, after the constant nu_<resp>).
  const constantNu = hasSharedNu(model) && constantValue(basePrior(model.priors, "nu", { group: "", resp: "", dpar: "" })) !== undefined;
  if (hasSharedNu(model) && !constantNu) blocks.push(scalar("nu"));
  for (const id of model.ids) {
    const by = id.by;
    if (by) {
      // gr(by =): the matrix sd_1[M, Nby], column by column, named `sd_g__Intercept:hhi` (by variable and level).
      const names = by.levels.flatMap((level, k) => id.coefs.map((c) => ({ stan: `sd_${id.id}.${c.cn}.${k + 1}`, brms: `sd_${id.group}__${rname(c)}:${by.column}${level}` })));
      blocks.push({ stanName: `sd_${id.id}`, names });
    } else blocks.push(vector(`sd_${id.id}`, id.coefs.map((c) => `sd_${id.group}__${rname(c)}`)));
  }
  // me(): the latent means and sds named by their variable (`meanme_mexn`, `sdme_mexn`); zme, Lme and the latent values are not saved
  const noisy = measurementErrors(model);
  if (noisy.length > 0) {
    blocks.push(vector(measurementErrorGroupNames.mean, noisy.map((m) => `meanme_${m.label}`)));
    blocks.push(vector(measurementErrorGroupNames.sd, noisy.map((m) => `sdme_${m.label}`)));
  }
  // constant() priors' estimated elements (`par_b_1`): brms keeps their names and ranks them after lp__
  for (const name of estimatedElementNames(model)) blocks.push(scalar(name));
  // transformed parameters: constant dpars (ordinal disc, nu of student with rescor), sigma fixed at 0 by se(), the group-level effects
  // (per response in the family's dpar order, as declared: sigma, then nu or disc)
  for (const r of model.responses) {
    if (seReplacesSigma(r.additions)) blocks.push(scalar(responseNames(model, r).sigma));
    for (const d of r.scalarDpars) if (d.fixedValue !== undefined) blocks.push(scalar(scalarParameterName(d, r)));
    // a mixture's proportions theta1, … copied from its simplex theta (brms excludes theta and the ordered intercepts)
    for (let k = 1; k <= (mixtureSimplexSize(r) ?? 0); k++) blocks.push(scalar(thetaName(k)));
  }
  if (constantNu) blocks.push(scalar("nu"));
  // the spline coefficients s_i_1 (`s_sx_1[1]`, …)
  for (const p of model.predictors) {
    if (!p.smooths?.length) continue;
    const sm = smoothNames(p.prefix);
    smoothOutputNames(p.smooths, p.prefix).s.forEach((names, k) => blocks.push(vector(sm.s(k + 1), names)));
  }
  for (const id of model.ids) {
    for (const c of id.coefs) {
      const prefix = c.predictor.prefix === "" ? "" : `__${c.predictor.prefix}`;
      blocks.push(vector(rName(c), id.levels.map((level) => `r_${id.group}${prefix}[${levelLabel(level)},${c.coef}]`)));
    }
  }
  blocks.push(scalar("lprior"));
  // generated quantities
  for (const p of model.predictors) {
    if (!p.intercept) continue;
    const name = predictorNames(p).bIntercept;
    const groups = p.thresholdGroups;
    // Grouped thresholds: `b_Intercept[<group>,1]`, … per group.
    if (groups) {
      groups.levels.forEach((level, g) => {
        const thresholds = vector(groupIntercept(name, g + 1), Array.from({ length: groups.counts[g] }, (_, k) => `${name}[${level},${k + 1}]`));
        blocks.push({ ...thresholds, intercept: true });
      });
    }
    // Ordinal thresholds: `b_Intercept[1]`, … (print(fit) shows them as `Intercept[1]`).
    else if (p.thresholds !== undefined) blocks.push(vector(name, Array.from({ length: p.thresholds }, (_, k) => `${name}[${k + 1}]`)));
    else blocks.push(scalar(name));
  }
  if (model.rescor) {
    const resps = model.responses.map((r) => r.resp);
    blocks.push(vector("rescor", upperTrianglePairs(resps.length).map(([a, b]) => `rescor__${resps[a]}__${resps[b]}`)));
  }
  for (const id of model.ids) {
    if (!hasCorrelations(id)) continue;
    const labels = id.coefs.map(rname);
    const pairs = upperTrianglePairs(labels.length);
    const by = id.by;
    if (by) {
      by.levels.forEach((level, k) => {
        const at = (label: string) => `${label}:${by.column}${level}`;
        blocks.push(vector(`cor_${id.id}_${k + 1}`, pairs.map(([a, b]) => `cor_${id.group}__${at(labels[a])}__${at(labels[b])}`)));
      });
      // brms's exclusion list names Cor_1 but not the by-levels' Cor_1_1, …: their elements are saved (ranked after lp__).
      const size = labels.length;
      by.levels.forEach((_, k) => {
        const name = `Cor_${id.id}_${k + 1}`;
        const names: OutputName[] = [];
        for (let col = 1; col <= size; col++) for (let row = 1; row <= size; row++) names.push({ stan: `${name}.${row}.${col}`, brms: `${name}[${row},${col}]` });
        blocks.push({ stanName: name, names });
      });
    } else blocks.push(vector(`cor_${id.id}`, pairs.map(([a, b]) => `cor_${id.group}__${labels[a]}__${labels[b]}`)));
  }
  if (latentCorrelationNames(model)) {
    // brms 2.18's exclusion list does not name the matrix of correlated latent values, Xme1: its elements are saved, ranked after lp__
    const X = measurementErrorGroupNames.X;
    const N = model.rows.length;
    const names: OutputName[] = [];
    for (let col = 1; col <= noisy.length; col++) for (let row = 1; row <= N; row++) names.push({ stan: `${X}.${row}.${col}`, brms: `${X}[${row},${col}]` });
    blocks.push({ stanName: X, names });
    const labels = noisy.map((m) => m.label);
    blocks.push(vector(measurementErrorGroupNames.cor, upperTrianglePairs(labels.length).map(([a, b]) => `corme__${labels[a]}__${labels[b]}`)));
  }
  if (model.script.samplePrior === "yes") {
    for (const draw of priorDraws(model)) blocks.push(draw.simplex ? { stanName: draw.stanName, names: draw.simplex.brmsNames.map((brms, k) => ({ stan: `${draw.stanName}.${k + 1}`, brms })) } : scalar(draw.stanName, draw.brmsName));
  }
  // brms's compute_xi adds `xi` after sampling (a generated quantity of the program stan2ts samples); it ranks as a dpar.
  for (const { response, dpar } of computedDpars(model)) blocks.push(scalar(scalarDparName(dpar, response)));
  blocks.push(scalar("lp__"));

  // Every response's parameters, in response order (a multivariate model may mix families).
  const dpars = ["mu", ...new Set(model.responses.flatMap((r) => r.family.spec.dpars.map((d) => d.name)))];
  const classRank = CLASS_RANK.flatMap((cls) => (cls === DPARS ? dpars : [cls]));
  const rank = (block: SavedBlock): number => {
    const cls = block.stanName.split("_")[0] || block.stanName;
    const index = classRank.indexOf(cls);
    return index < 0 ? classRank.length : index;
  };
  const sorted = blocks
    .map((block, order) => ({ block, order, rank: rank(block), intercept: (block.intercept ?? INTERCEPT_NAME.test(block.stanName)) ? 0 : 1 }))
    .sort((a, b) => a.rank - b.rank || a.intercept - b.intercept || a.order - b.order);
  return sorted.flatMap((s) => s.block.names);
}
