/**
 * brms model → Stan data (spec §2), in the Stan data block's declaration order. Values keep their
 * Stan kind so the JSON writer prints ints as ints.
 */
import { mixtureSimplexSize } from "./families/mixtureProgram";
import { predictorsOf, type BrmsModel } from "./buildModel";
import { jName, memberJName, memberWName, predictorNames, responseNames, zName } from "./emitStanProgram";
import { withSuffix } from "./names";
import { responseValues, simplexConcentrations } from "./priors";
import { simplexPriorCoef, specialNames } from "./terms/monotonic";
import { smoothFixedCoefs, smoothNames } from "./terms/smooth";
import { covariateData } from "./nonlinear";
import { gaussianProcessData } from "./terms/gaussianProcess";
import { atResponseRows } from "./responseRows";
import { missingValueNames } from "./missingValues";
import { measurementErrorData, measurementErrorGroupNames, measurementErrorNames, measurementErrors } from "./terms/measurementError";
import { csNames, thresholdGroupNames, thresholdIndices } from "./ordinalTerms";

export type StanDataValue =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "real"; readonly value: number }
  | { readonly kind: "int[]"; readonly value: Int32Array }
  | { readonly kind: "vector"; readonly value: Float64Array }
  /** Row-major N×K. */
  | { readonly kind: "matrix"; readonly rows: number; readonly cols: number; readonly value: Float64Array };

export type StanData = ReadonlyMap<string, StanDataValue>;

export function buildStanData(model: BrmsModel): StanData {
  const out = new Map<string, StanDataValue>();
  const N = model.rows.length;
  const int = (value: number): StanDataValue => ({ kind: "int", value });
  out.set("N", int(N));
  for (const r of model.responses) {
    const names = responseNames(model, r);
    // subset() gives a response fewer observations than the model's N.
    const observed = r.observations.rows;
    const N = observed.length;
    if (model.multivariate) out.set(names.N, int(N));
    if (r.categories) out.set(names.ncat, int(r.categories.levels.length));
    if (r.responseColumns) {
      // A matrix response: one row per observation, one column per category (JSON as arrays of rows).
      const columns = r.responseColumns.map((name) => responseValues(model.frame, name, observed));
      const Y = new Float64Array(N * columns.length);
      for (let i = 0; i < N; i++) for (let k = 0; k < columns.length; k++) Y[i * columns.length + k] = columns[k][i];
      out.set(names.Y, { kind: "matrix", rows: N, cols: columns.length, value: Y });
    } else {
      // mi(): Inf where the response is imputed, as make_standata writes it
      const y = r.categories?.codes ? Float64Array.from(r.categories.codes) : (r.missingValues?.Y ?? responseValues(model.frame, r.variable, observed));
      out.set(names.Y, r.family.spec.response === "int" ? { kind: "int[]", value: Int32Array.from(y) } : { kind: "vector", value: y });
    }
    if (r.trials !== undefined) out.set(names.trials, { kind: "int[]", value: Int32Array.from(responseValues(model.frame, r.trials, observed)) });
    const groups = r.mu.thresholdGroups;
    if (groups) {
      const n = thresholdGroupNames(r.resp);
      out.set(n.ngrthres, int(groups.levels.length));
      out.set(n.nthres, { kind: "int[]", value: Int32Array.from(groups.counts) });
      out.set(n.Jthres, { kind: "matrix", rows: N, cols: 2, value: thresholdIndices(groups) });
    } else if (r.mu.thresholds !== undefined) out.set(names.nthres, int(r.mu.thresholds));
    // Addition terms in the data block's order; a count response's rcens and bounds are ints.
    const added = r.additionData;
    const intResponse = r.family.spec.response === "int";
    const reals = (value: Float64Array): StanDataValue => (intResponse ? { kind: "int[]", value: Int32Array.from(value) } : { kind: "vector", value });
    const suffixed = (name: string) => withSuffix(name, r.resp);
    if (added.weights) out.set(suffixed("weights"), { kind: "vector", value: added.weights });
    if (added.se) out.set(suffixed("se"), { kind: "vector", value: added.se });
    if (added.dec) out.set(suffixed("dec"), { kind: "int[]", value: added.dec });
    if (added.denom) out.set(suffixed("denom"), { kind: "vector", value: added.denom });
    if (added.cens) out.set(suffixed("cens"), { kind: "int[]", value: added.cens });
    if (added.rcens) out.set(suffixed("rcens"), reals(added.rcens));
    if (added.lb) out.set(suffixed("lb"), reals(added.lb));
    if (added.ub) out.set(suffixed("ub"), reals(added.ub));
    if (r.missingValues) {
      const mi = missingValueNames(r.resp);
      const { positions, noise } = r.missingValues;
      if (noise) {
        out.set(mi.noise, { kind: "vector", value: noise });
        out.set(mi.Nme, int(positions.length));
        out.set(mi.Jme, { kind: "int[]", value: positions });
      } else {
        out.set(mi.Nmi, int(positions.length));
        out.set(mi.Jmi, { kind: "int[]", value: positions });
      }
    }
    for (const p of predictorsOf(r)) {
      const n = predictorNames(p);
      // A non-linear mu has no design matrix, only the covariates its expression reads.
      if (p.nonlinear) {
        for (const [name, value, integer] of covariateData(p.nonlinear, model.frame, model.rows)) out.set(name, integer ? { kind: "int[]", value: Int32Array.from(value) } : { kind: "vector", value });
        continue;
      }
      // brms's list holds K/X even for intercept-only dpars; the program only declares them with slopes.
      const columns: Float64Array[] = [];
      // Ordinal thresholds replace the intercept column.
      if (p.intercept && p.thresholds === undefined) columns.push(new Float64Array(N).fill(1));
      for (const column of p.columns) columns.push(column.values);
      out.set(n.K, int(columns.length));
      const X = new Float64Array(N * columns.length);
      for (let i = 0; i < N; i++) for (let k = 0; k < columns.length; k++) X[i * columns.length + k] = columns[k][i];
      out.set(n.X, { kind: "matrix", rows: N, cols: columns.length, value: X });
      if (p.special?.length) {
        // Monotonic effects: Ksp, the covariates, Imo, Jmo, then each mo() call's codes and Dirichlet concentrations.
        const sp = specialNames(p.prefix);
        out.set(sp.Ksp, int(p.special.length));
        for (const t of p.special) if (t.covariate) out.set(sp.Csp(t.cspIndex), { kind: "vector", value: t.covariate });
        const calls = p.special.flatMap((t) => t.calls);
        // me() and mi() terms alone have no mo() codes
        if (calls.length > 0) {
          out.set(sp.Imo, int(calls.length));
          out.set(sp.Jmo, { kind: "int[]", value: Int32Array.from(calls, (c) => c.steps) });
        }
        calls.forEach((call, i) => {
          out.set(sp.Xmo(i + 1), { kind: "int[]", value: call.codes });
          if (call.sharedWith !== undefined) return;
          const row = model.priors.find((x) => x.class === "simo" && x.coef === simplexPriorCoef(call) && x.resp === r.resp)!;
          out.set(sp.conSimo(i + 1), { kind: "vector", value: simplexConcentrations(row.prior, call.steps) });
        });
      }
      if (p.smooths?.length) {
        // Smooths: Ks and Xs (every smooth's unpenalised columns), then per smooth nb_i, knots_i and Zs_i_1.
        const sm = smoothNames(p.prefix);
        const fixed = p.smooths.flatMap((t) => t.fixed);
        out.set(sm.Ks, int(smoothFixedCoefs(p.smooths).length));
        out.set(sm.Xs, columnMatrix(fixed, N));
        p.smooths.forEach((t, k) => {
          out.set(sm.nb(k + 1), int(1));
          out.set(sm.knots(k + 1), { kind: "int[]", value: Int32Array.of(t.random.length) });
          out.set(sm.Zs(k + 1), columnMatrix(t.random, N));
        });
      }
      for (const [name, value] of gaussianProcessData(p.gaussianProcesses ?? [], p.prefix)) out.set(name, value);
      if (p.offset) out.set(n.offsets, { kind: "vector", value: p.offset });
      if (p.csColumns?.length) {
        const cs = p.csColumns;
        const Xcs = new Float64Array(N * cs.length);
        for (let i = 0; i < N; i++) for (let k = 0; k < cs.length; k++) Xcs[i * cs.length + k] = cs[k].values[i];
        const csData = csNames(r.resp);
        out.set(csData.Kcs, int(cs.length));
        out.set(csData.Xcs, { kind: "matrix", rows: N, cols: cs.length, value: Xcs });
      }
    }
    // a mixture's simplex theta: the Dirichlet concentrations of its class theta prior
    const mixtureSize = mixtureSimplexSize(r);
    if (mixtureSize !== undefined) {
      const row = model.priors.find((x) => x.class === "theta" && x.resp === r.resp)!;
      out.set("con_theta", { kind: "vector", value: simplexConcentrations(row.prior, mixtureSize) });
    }
  }
  if (model.rescor) {
    const nresp = model.responses.length;
    out.set("nresp", int(nresp));
    out.set("nrescor", int((nresp * (nresp - 1)) / 2));
  }
  for (const id of model.ids) {
    out.set(`N_${id.id}`, int(id.levels.length));
    out.set(`M_${id.id}`, int(id.coefs.length));
    const mm = id.multiMembership;
    for (const r of mm ? model.responses : []) {
      if (!id.coefs.some((c) => c.predictor.resp === r.resp)) continue;
      mm!.levelIndices.forEach((levels, k) => {
        out.set(memberJName(model, id.id, r.resp, k + 1), { kind: "int[]", value: atResponseRows(levels, r.observations) });
        out.set(memberWName(model, id.id, r.resp, k + 1), { kind: "vector", value: atResponseRows(mm!.weightValues[k], r.observations) });
      });
    }
    for (const r of mm ? [] : model.responses) {
      if (!id.coefs.some((c) => c.predictor.resp === r.resp)) continue;
      out.set(jName(model, id.id, r.resp), { kind: "int[]", value: atResponseRows(id.levelIndex, r.observations) });
    }
    if (id.by) {
      out.set(`Nby_${id.id}`, int(id.by.levels.length));
      out.set(`Jby_${id.id}`, { kind: "int[]", value: id.by.levelOf });
    }
    for (const c of id.coefs) {
      if (c.special) continue;
      const observations = model.responses.find((r) => r.resp === c.predictor.resp)!.observations;
      const value = c.values ?? new Float64Array(observations.rows.length).fill(1);
      // mm(): the same column for every member
      if (mm) mm.levelIndices.forEach((_, k) => out.set(`${zName(c)}_${k + 1}`, { kind: "vector", value: c.memberValues?.[k] ?? value }));
      else out.set(zName(c), { kind: "vector", value });
    }
    out.set(`NC_${id.id}`, int((id.coefs.length * (id.coefs.length - 1)) / 2));
  }
  // me(): the noisy values and their sds, after the group-level data
  const noisy = measurementErrors(model);
  if (noisy.length > 0) {
    out.set(measurementErrorGroupNames.M, int(noisy.length));
    for (const m of noisy) {
      const { values, noise } = measurementErrorData(m, model.frame, model.rows);
      const n = measurementErrorNames(m.index);
      out.set(n.Xn, { kind: "vector", value: values });
      out.set(n.noise, { kind: "vector", value: noise });
    }
    out.set(measurementErrorGroupNames.NC, int((noisy.length * (noisy.length - 1)) / 2));
  }
  out.set("prior_only", int(model.script.samplePriorOnly ? 1 : 0));
  return out;
}

/** Stan JSON (CmdStan's format): ints without a decimal point, matrices as arrays of rows. */
/** Columns as a row-major N × K matrix. */
function columnMatrix(columns: readonly Float64Array[], N: number): StanDataValue {
  const value = new Float64Array(N * columns.length);
  for (let i = 0; i < N; i++) for (let k = 0; k < columns.length; k++) value[i * columns.length + k] = columns[k][i];
  return { kind: "matrix", rows: N, cols: columns.length, value };
}

export function stanDataToJson(data: StanData): string {
  const parts: string[] = [];
  const num = (x: number) => (Number.isFinite(x) ? String(x) : x > 0 ? '"inf"' : x < 0 ? '"-inf"' : '"NaN"');
  for (const [name, entry] of data) {
    let text: string;
    switch (entry.kind) {
      case "int":
      case "real":
        text = num(entry.value);
        break;
      case "int[]":
      case "vector":
        text = `[${Array.from(entry.value, num).join(", ")}]`;
        break;
      case "matrix": {
        const rows: string[] = [];
        for (let i = 0; i < entry.rows; i++) {
          rows.push(`[${Array.from(entry.value.subarray(i * entry.cols, (i + 1) * entry.cols), num).join(", ")}]`);
        }
        text = `[\n    ${rows.join(",\n    ")}\n  ]`;
        break;
      }
    }
    parts.push(`  ${JSON.stringify(name)}: ${text}`);
  }
  return `{\n${parts.join(",\n")}\n}\n`;
}
