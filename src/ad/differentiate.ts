/**
 * Reverse mode as a pass: IR → the sweep IR (src/ir/jsIr.ts) of every function the module
 * defines. Activity and planning (./activity.ts, ./plan.ts) decide what the forward sweep keeps;
 * the forward sweep (./forward.ts) and the adjoint sweep (./reverse.ts) are built as statements;
 * code generation (src/codegen/emitModule.ts) prints them into the module.
 */
import type { IrProgram, IrVar, LStmt, SExpr } from "../ir/ir";
import { type JsStmt, jsCall, jsLit } from "../ir/jsIr";
import { type JsContext, toJs } from "../ir/toJsIr";
import { assignedVars } from "./activity";
import { type AdPlan, Emitter, type ModuleContext, baseName, emptyPlan } from "./emitter";
import { emitForward } from "./forward";
import { analyse, branchLocalAdjoints } from "./plan";
import { Reverse } from "./reverse";

/** A generated function's code: the `let`s of the scalars (values, adjoints, registers) it uses, and its statements. */
export interface SweepFunction {
  readonly locals: readonly JsStmt[];
  readonly body: readonly JsStmt[];
}

export interface SweepModule {
  readonly program: IrProgram;
  /** Imports, support helpers, Stan locations and partial buffers the code uses; sizes of variables. */
  readonly context: ModuleContext;
  readonly plan: AdPlan;
  /** Runs once, at data load. */
  readonly transformedData: readonly JsStmt[];
  /** `logDensity`: the density region in value mode. */
  readonly logDensity: SweepFunction;
  /**
   * `logDensityGradientInto`: the adjoint arrays zeroed first, the forward sweep (`body`, joint-mode
   * loops' adjoints inside it), then the adjoint sweep.
   */
  readonly gradient: SweepFunction & { readonly zeroAdjoints: readonly JsStmt[]; readonly adjoint: readonly JsStmt[] };
  /** `writeConstrained`: the parameters' constrain statements (`body`), then transformed parameters and generated quantities. */
  readonly writeConstrained: SweepFunction & { readonly derived: readonly JsStmt[] };
  /** `unconstrain`: per parameter, the statements after its values are read. */
  readonly unconstrain: { readonly locals: readonly JsStmt[]; readonly perParameter: readonly (readonly JsStmt[])[] };
}

/** The parameters' constrain statements, transformed parameters and the model: the code the gradient runs. */
export function densityRegion(p: IrProgram): LStmt[] {
  return [...p.params.flatMap((q) => q.constrain), ...p.transformedParams, ...p.transformedParamChecks, ...p.model];
}

export function differentiate(p: IrProgram): SweepModule {
  const dataContext: JsContext = {
    name: (v: IrVar) => v.js,
    dims: (v: IrVar) => v.dims.map((d: SExpr) => toJs(d, dataContext)),
  };
  const context: ModuleContext = {
    file: baseName(p.file),
    imports: new Set(),
    support: new Set(),
    locations: [],
    locationIndex: new Map(),
    partialBuffers: new Map(),
    lengthViews: new Map(),
    dims: dataContext.dims,
    nonNegativeData: new Set(p.data.filter((d) => d.bound.lower?.k === "num" && Number(d.bound.lower.text) >= 0).map((d) => d.v)),
  };
  const region = densityRegion(p);
  const plan = analyse(region, context, true);
  // (in this order: Stan locations are numbered as the code that names them is built)
  const transformedData = emitForward(new Emitter(context, "value", emptyPlan(), false), p.transformedData);
  const logDensity = valueFunction(context, plan, region);
  const gradient = gradientFunction(p, context, plan, region);
  const writeConstrained = writeConstrainedFunction(p, context);
  const unconstrain = unconstrainFunction(p, context);
  return { program: p, context, plan, transformedData, logDensity, gradient, writeConstrained, unconstrain };
}

function valueFunction(m: ModuleContext, plan: AdPlan, region: readonly LStmt[]): SweepFunction {
  const em = new Emitter(m, "value", plan, true);
  const body = emitForward(em, region);
  return { locals: scalarLocals(em, false), body };
}

function gradientFunction(p: IrProgram, m: ModuleContext, plan: AdPlan, region: readonly LStmt[]): SweepModule["gradient"] {
  const em = new Emitter(m, "gradient", plan, true);
  const reverse = new Reverse(em, assignedVars(region));
  em.reverseBody = (stmts) => reverse.stmts(stmts);
  const arrays = p.vars.filter((v) => adjointArray(v, plan) && v.role !== "parameters" && v.role !== "transformed parameters");
  for (const [branch, vars] of branchLocalAdjoints(region, arrays)) em.branchFills.set(branch, vars);
  const body = emitForward(em, region);
  const adjoint = reverse.stmts(region);
  const zeroedInBranch = new Set([...em.branchFills.values()].flat());
  const zeroAdjoints: JsStmt[] = [{ k: "effect", e: jsCall("grad__.fill", jsLit("0")) }];
  for (const v of p.vars) {
    if (adjointArray(v, plan) && !zeroedInBranch.has(v)) zeroAdjoints.push({ k: "effect", e: jsCall(`${v.js}_adj__.fill`, jsLit("0")) });
  }
  return { locals: scalarLocals(em, true), body, zeroAdjoints, adjoint };
}

function writeConstrainedFunction(p: IrProgram, m: ModuleContext): SweepModule["writeConstrained"] {
  const em = new Emitter(m, "value", emptyPlan(), false);
  const body = emitForward(em, p.params.flatMap((q) => q.constrain));
  const derived = emitForward(em, [...p.transformedParams, ...p.transformedParamChecks, ...p.generatedQuantities, ...p.generatedQuantityChecks]);
  return { locals: scalarLocals(em, false), body, derived };
}

function unconstrainFunction(p: IrProgram, m: ModuleContext): SweepModule["unconstrain"] {
  const em = new Emitter(m, "value", emptyPlan(), false);
  const perParameter = p.params.map((q) => {
    // a scalar parameter's value is read into its local
    if (q.v.dims.length === 0) em.varName(q.v);
    return emitForward(em, q.unconstrain);
  });
  return { locals: scalarLocals(em, false), perParameter };
}

/** The `let`s of the scalars a function's code uses, with the adjoints and registers of gradient mode. */
function scalarLocals(em: Emitter, withAdjoints: boolean): JsStmt[] {
  const local = (name: string, init: string): JsStmt => ({ k: "decl", kind: "let", name, init: jsLit(init) });
  const byId = (vars: ReadonlySet<IrVar>) => [...vars].sort((a, b) => a.id - b.id);
  const out = byId(em.usedScalars).map((v) => local(v.js, v.elem === "int" ? "0" : "NaN"));
  if (withAdjoints) {
    for (const v of byId(em.usedAdjScalars)) out.push(local(`${v.js}_adj__`, "0"));
    // adjoints kept in one scalar per loop iteration (arrays only touched at that iteration's element)
    for (const v of byId(em.usedPromoted)) out.push(local(`${v.js}_e_adj__`, "0"));
  }
  // values kept in one scalar per loop iteration (their arrays are never stored)
  for (const v of byId(em.usedPromotedValues)) out.push(local(`${v.js}_e__`, "NaN"));
  return out;
}

/** A variable whose adjoint is an array the gradient zeroes before use. */
export function adjointArray(v: IrVar, plan: AdPlan): boolean {
  return v.active && v.dims.length > 0 && v.role !== "theta" && !(v.role === "model" && plan.promoted.has(v));
}
