/**
 * Typed/untyped Stan AST → IR. Resolves names, infers types and sizes, scalarises container
 * arithmetic into loops over flat indices, expands container-valued primitives (products,
 * transposes, slices, …) into loops, inlines user-defined functions, turns `~` into `target +=`
 * with `propto`, and spells out each parameter's constraint transform and log-Jacobian.
 * It does not need the type checker's metadata: it recomputes what it needs (with sizes).
 */
import type {
  Expr,
  FunctionDef,
  Index,
  Program,
  Stmt,
  StanType,
  Transform,
  VarDecl,
} from "../ast/ast";
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import { bestSignature, CONSTANTS, DENSITY_RULES, EXPANSIONS, GLM_RULES, KERNEL_RULES, type Named, OPERATOR_OF_FUNCTION, primitive, SCALAR_RULES } from "../primitives/registry";
import type { LoweringContext } from "../primitives/primitive";
import type { DensityRule, RngRule } from "../primitives/primitive";
import {
  type Arg,
  type Bound,
  type DataDecl,
  type ElemType,
  type IrProgram,
  type IrVar,
  type LStmt,
  type Loc,
  type OutputDecl,
  type ParamDecl,
  type SExpr,
  type ValueBase,
  type VarRole,
  bin,
  checkedIntDivision,
  hasCheckedDivision,
  callFree,
  exprIsInt,
  forEachRead,
  num,
  read,
} from "./ir";
import { type ContainerValue, type LIndex, type Value, compose, decompose, elementBase, innerRank, scalar, strides, totalSize, wholeValue } from "./values";
import { jsIdentifier, jsIntLiteral, jsRealLiteral } from "./names";
import { structureContinue, substituteStmt } from "./fuseLoops";
import { mapExpr } from "./mapIr";
import { expandDensity, expandGlm } from "./densities";

type AnyExpr = Expr<unknown>;
type AnyStmt = Stmt<unknown>;

interface Binding {
  readonly value: Value | { readonly kind: "var"; readonly v: IrVar };
}

export interface LowerOptions {
  /** Model name (module and `CompiledModel.name`). */
  readonly name: string;
}

/** Lowering state; `emit` appends to the statement list currently being built. */
export class Lowerer implements LoweringContext {
  readonly vars: IrVar[] = [];
  private nextId = 0;
  private readonly usedJs = new Set<string>();
  private scopes: Map<string, Binding>[] = [new Map()];
  private out: LStmt[] = [];
  /** User functions by name, every overload (a name may also be a library function the user overloads). */
  private readonly functions = new Map<string, FunctionDef<unknown>[]>();
  private readonly inlining: string[] = [];
  /** Names the program assigns anywhere (in any block or function): a local among them is never folded. */
  private readonly assignedNames: ReadonlySet<string>;
  private site = 0;
  private tempCount = 0;
  readonly theta: IrVar;
  readonly target: IrVar;
  private readonly lines: string[];
  /** Which block is being lowered: decides roles of declared variables. */
  private role: VarRole = "data";
  private loopDepth = 0;
  /** Loop variables in scope and the range they run over: an index they prove in range needs no check. */
  private readonly loopRanges = new Map<IrVar, { readonly lo: SExpr; readonly hi: SExpr }>();
  /** Declared bounds of data variables (a data index declared `<lower=1>` needs no lower check). */
  private readonly dataBounds = new Map<IrVar, Bound>();
  /** Index checks already emitted into this statement list for this Stan statement (no repeats). */
  private rangeChecked: { out: LStmt[]; loc: Loc | undefined; keys: Set<string> } | undefined;
  /** Run once after transformed data: finds where loops' data-index checks would fail (see hoistDataIndexChecks). */
  private readonly dataLoadIndexScans: LStmt[] = [];
  /** Int scalars holding run-time sizes (see runtimeShape), with their value in terms of data and loop variables. */
  private readonly runtimeSizes = new Map<IrVar, SExpr>();

  constructor(
    private readonly program: Program<unknown>,
    private readonly source: string,
    private readonly options: LowerOptions,
  ) {
    this.lines = source.split(/\r?\n/);
    for (const f of program.functions?.defs ?? []) if (f.body) this.functions.set(f.name, [...(this.functions.get(f.name) ?? []), f]);
    this.assignedNames = assignedNames(program);
    this.theta = this.newVar({ js: "theta__", stanName: "theta__", elem: "real", base: "vector", arrayDims: 0, dims: [num(0, true)], role: "theta" });
    this.target = this.newVar({ js: "lp__", stanName: "target", elem: "real", base: "real", arrayDims: 0, dims: [], role: "target" });
    this.theta.active = true;
    this.target.active = true;
  }

  // -------------------------------------------------------------------------------------------
  // Variables and scopes

  newVar(o: { js?: string; stanName: string; elem: ElemType; base: ValueBase; arrayDims: number; dims: readonly SExpr[]; role: VarRole; capacity?: SExpr }): IrVar {
    let js = o.js ?? jsIdentifier(o.stanName);
    // Stan loop variables are block-scoped `let`s in the output, so sibling loops may share a name;
    // not inside an inlined function, whose loop may be nested in a caller's loop of the same name
    const mayShare = o.role === "loop" && o.js === undefined && this.inlining.length === 0;
    if (this.usedJs.has(js) && !mayShare) {
      let k = 2;
      while (this.usedJs.has(`${o.stanName}_${k}__`)) k++;
      js = `${o.stanName}_${k}__`;
    }
    this.usedJs.add(js);
    const v: IrVar = { id: this.nextId++, js, stanName: o.stanName, elem: o.elem, base: o.base, arrayDims: o.arrayDims, dims: o.dims, ...(o.capacity ? { capacity: o.capacity } : {}), role: o.role, active: false };
    this.vars.push(v);
    return v;
  }

  temp(elem: ElemType, base: ValueBase, arrayDims: number, dims: readonly SExpr[], hint = "t", bounds?: readonly (SExpr | undefined)[]): IrVar {
    const shape = this.runtimeShape(dims, this.currentLoc?.span, bounds);
    const v = this.newVar({ js: `${hint}${++this.tempCount}__`, stanName: `${hint}${this.tempCount}__`, elem, base, arrayDims, dims: shape.dims, capacity: shape.capacity, role: this.role === "transformed data" ? "transformed data" : "temp" });
    if (this.role === "transformed data") this.emit({ k: "alloc", v });
    return v;
  }

  scalarTemp(elem: ElemType, hint = "s"): IrVar {
    const v = this.newVar({ js: `${hint}${++this.tempCount}__`, stanName: `${hint}${this.tempCount}__`, elem, base: elem, arrayDims: 0, dims: [], role: this.role === "transformed data" ? "transformed data" : "temp" });
    if (this.role === "transformed data") this.emit({ k: "alloc", v });
    return v;
  }

  /** A data-level bound on dim j's size of `c`: the size itself, or the one the container carries. */
  private dataLevelBound(c: ContainerValue, j: number): SExpr | undefined {
    return this.dataLevel(c.dims[j]) ? c.dims[j] : c.bounds?.[j];
  }

  /** Whether a size is known at data load: it reads only data and transformed data. */
  private dataLevel(d: SExpr): boolean {
    let known = true;
    forEachRead(d, (v) => {
      if (v.role !== "data" && v.role !== "transformed data") known = false;
    });
    return known;
  }

  /**
   * The storage of a container declared or made with these sizes. Buffers are allocated once per
   * instance, so a size known only at run time (it reads a loop variable, directly or through a
   * function argument or a slice's bounds) gets a data-level bound on the element count —
   * `capacity`, the maximum of the total size over the enclosing loops' ranges, computed once at
   * data load — and each run-time size is assigned to an int scalar here, where the container
   * comes into scope, so later passes that rename loop variables rewrite it with the rest.
   */
  private runtimeShape(dims: readonly SExpr[], span: Span | undefined, bounds?: readonly (SExpr | undefined)[]): { dims: readonly SExpr[]; capacity?: SExpr } {
    if (this.role === "data" || this.role === "transformed data" || dims.every((d) => this.dataLevel(d))) return { dims };
    // where the scan cannot bound a size (it reads an int the model computes), a slice's parent's size can
    const known = dims.map((d, k) => (this.dataLevel(d) ? d : bounds?.[k] !== undefined && this.dataLevel(bounds[k]!) ? bounds[k] : undefined));
    const capacity = this.dataLoadBound(totalSize(dims), span, known.every((d) => d !== undefined) ? totalSize(known as SExpr[]) : undefined);
    const sized = dims.map((d) => {
      if (this.dataLevel(d) || (d.k === "read" && d.at === undefined && this.runtimeSizes.has(d.v))) return d;
      const n = this.scalarTemp("int", "n");
      this.runtimeSizes.set(n, this.expandRuntimeSizes(d));
      this.emit({ k: "assign", lhs: { v: n }, op: "=", rhs: d, loc: this.currentLoc });
      return read(n);
    });
    return { dims: sized, capacity };
  }

  /** `e` with the run-time size scalars replaced by what they were assigned. */
  private expandRuntimeSizes(e: SExpr): SExpr {
    return mapExpr(e, (x) => (x.k === "read" && x.at === undefined ? this.runtimeSizes.get(x.v) : undefined));
  }

  /**
   * A transformed-data int holding the largest value `size` takes over the ranges of the loops it
   * depends on (at least 0), found by one scan after transformed data. When the size reads
   * anything else — a parameter, a value computed in the model — `fallback` (a slice's parent's
   * size) is the bound; without one the size is refused, naming what it reads.
   */
  private dataLoadBound(size: SExpr, span: Span | undefined, fallback: SExpr | undefined): SExpr {
    const expanded = this.expandRuntimeSizes(size);
    const loops = new Set<IrVar>();
    let unbounded = false;
    const visit = (e: SExpr): void =>
      forEachRead(e, (v) => {
        if (v.role === "data" || v.role === "transformed data" || unbounded) return;
        const range = this.loopRanges.get(v);
        if (!range && fallback) unbounded = true;
        else if (!range) {
          fail("Semantic error", span, `stan2ts needs container sizes known at data load; this size depends on '${v.stanName}'.`, [
            "A size may read data, loop variables (directly, through function arguments or a slice's bounds) and sizes of containers, not values computed at run time.",
          ]);
        }
        if (unbounded || loops.has(v)) return;
        loops.add(v);
        visit(this.expandRuntimeSizes(range!.lo));
        visit(this.expandRuntimeSizes(range!.hi));
      });
    visit(expanded);
    if (unbounded && fallback) return fallback;
    const capacity = this.newVar({ js: `capacity${++this.tempCount}__`, stanName: `capacity${this.tempCount}__`, elem: "int", base: "int", arrayDims: 0, dims: [], role: "transformed data" });
    // outermost loop first (the ranges are recorded as the loops open)
    const nest = [...this.loopRanges.keys()].filter((v) => loops.has(v));
    const scanVars = new Map(nest.map((v) => [v, this.newVar({ js: `${v.js}_bound${this.tempCount}__`, stanName: `${v.stanName}_bound${this.tempCount}__`, elem: "int", base: "int", arrayDims: 0, dims: [], role: "loop" })]));
    const inScan = (e: SExpr) => mapExpr(e, (x) => (x.k === "read" && x.at === undefined && scanVars.has(x.v) ? read(scanVars.get(x.v)!) : undefined));
    const value = inScan(expanded);
    let scan: LStmt[] = [{ k: "if", cond: bin(">", value, read(capacity)), then: [{ k: "assign", lhs: { v: capacity }, op: "=", rhs: value }], otherwise: [] }];
    for (let k = nest.length - 1; k >= 0; k--) {
      const range = this.loopRanges.get(nest[k])!;
      scan = [{ k: "for", v: scanVars.get(nest[k])!, lo: inScan(this.expandRuntimeSizes(range.lo)), hi: inScan(this.expandRuntimeSizes(range.hi)), body: scan }];
    }
    this.dataLoadIndexScans.push({ k: "alloc", v: capacity }, { k: "assign", lhs: { v: capacity }, op: "=", rhs: num(0, true) }, ...scan);
    return read(capacity);
  }

  /** The innermost binding of a name, if any. */
  private binding(name: string): Binding["value"] | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const b = this.scopes[i].get(name);
      if (b) return b.value;
    }
    return undefined;
  }

  private lookup(name: string, span: Span): Binding["value"] {
    return this.binding(name) ?? fail("Semantic error", span, `Identifier '${name}' not in scope.`);
  }

  private declare(name: string, value: Binding["value"]): void {
    this.scopes[this.scopes.length - 1].set(name, { value });
  }

  private withScope<T>(fn: () => T): T {
    this.scopes.push(new Map());
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  emit(s: LStmt): void {
    this.out.push(s);
  }

  /** Runs `fn` collecting the statements it emits. */
  collect(fn: () => void): LStmt[] {
    const saved = this.out;
    this.out = [];
    try {
      fn();
      return this.out;
    } finally {
      this.out = saved;
    }
  }

  /** Emits `for (i = 0; i < n; i++) body(i)` with a fresh compiler loop variable. */
  loop(n: SExpr, body: (i: SExpr) => void, loc?: Loc): void {
    const v = this.newVar({ js: `i${++this.tempCount}__`, stanName: `i${this.tempCount}__`, elem: "int", base: "int", arrayDims: 0, dims: [], role: "loop" });
    const hi = bin("-", n, num(1, true));
    this.loopDepth++;
    this.loopRanges.set(v, { lo: num(0, true), hi });
    const stmts = this.collect(() => body(read(v)));
    this.loopRanges.delete(v);
    this.loopDepth--;
    this.emit({ k: "for", v, lo: num(0, true), hi, body: stmts, loc });
  }

  nextSite(): number {
    return this.site++;
  }

  // -------------------------------------------------------------------------------------------
  // Locations

  loc(span: Span): Loc {
    const line = this.lines[span.start.line - 1] ?? "";
    const text = span.start.line === span.end.line ? line.slice(span.start.column - 1, span.end.column).trim() : line.slice(span.start.column - 1).trim();
    return { span, text: text || line.trim() };
  }

  // -------------------------------------------------------------------------------------------
  // Program

  lower(): IrProgram {
    const p = this.program;
    // data
    this.role = "data";
    const data: DataDecl[] = [];
    for (const s of p.data?.stmts ?? []) {
      if (s.kind !== "VarDecl") fail("Semantic error", s.span, "Only declarations are allowed in the data block.");
      const v = this.declareVar(s);
      const bound = this.lowerBound(s.declType.transform);
      this.dataBounds.set(v, bound);
      data.push({ v, bound, loc: this.loc(s.span) });
    }
    // transformed data
    this.role = "transformed data";
    const tdChecks: LStmt[] = [];
    const transformedData = this.collect(() => {
      for (const s of p.transformedData?.stmts ?? []) this.topLevelStmt(s, tdChecks);
      for (const c of tdChecks) this.emit(c);
    });
    // parameters
    this.role = "parameters";
    const params: ParamDecl[] = [];
    const outputs: OutputDecl[] = [];
    let offset: SExpr = num(0, true);
    for (const s of p.parameters?.stmts ?? []) {
      if (s.kind !== "VarDecl") fail("Semantic error", s.span, "Only declarations are allowed in the parameters block.");
      const v = this.declareVar(s);
      v.active = true;
      const param = this.lowerParam(s, v, offset);
      params.push(param);
      outputs.push({ v, block: "parameters" });
      offset = bin("+", offset, param.unconstrainedSize);
    }
    // transformed parameters
    this.role = "transformed parameters";
    const tpChecks: LStmt[] = [];
    const transformedParams = this.collect(() => {
      for (const s of p.transformedParameters?.stmts ?? []) {
        const v = this.topLevelStmt(s, tpChecks);
        if (v) outputs.push({ v, block: "transformed parameters" });
      }
    });
    // model
    this.role = "model";
    const model = this.collect(() => this.withScope(() => {
      for (const s of p.model?.stmts ?? []) this.stmt(s);
    }));
    // generated quantities
    this.role = "generated quantities";
    const gqChecks: LStmt[] = [];
    const generatedQuantities = this.collect(() => {
      for (const s of p.generatedQuantities?.stmts ?? []) {
        const v = this.topLevelStmt(s, gqChecks);
        if (v) outputs.push({ v, block: "generated quantities" });
      }
    });
    // The IR exactly as lowered: the IR passes (loop fusion, reciprocal and data-call hoisting, …)
    // are separate named passes that the driver applies in order (src/driver/compile.ts).
    return {
      name: this.options.name,
      file: p.file,
      stanCode: this.source,
      data,
      transformedData: [...transformedData, ...this.dataLoadIndexScans],
      params,
      transformedParams,
      transformedParamChecks: tpChecks,
      model,
      generatedQuantities,
      generatedQuantityChecks: gqChecks,
      outputs,
      vars: this.vars,
      tempCount: this.tempCount,
      theta: this.theta,
      target: this.target,
      sourceText: this.source,
    };
  }

  /** A statement at the top of TD/TP/GQ: declarations there are block variables (outputs for TP/GQ). */
  private topLevelStmt(s: AnyStmt, checks: LStmt[]): IrVar | undefined {
    if (s.kind !== "VarDecl") {
      this.stmt(s);
      return undefined;
    }
    const v = this.declareVar(s);
    if (s.init) this.assignInit(v, s.init, s.span);
    const bound = this.lowerBound(s.declType.transform);
    const check = this.constraintCheck(v, s, bound);
    if (check) checks.push(check);
    return v;
  }

  private declareVar(s: VarDecl<unknown>): IrVar {
    const dt = s.declType;
    const arrayDims = dt.arrayDims.map((d) => this.sizeExpr(d));
    let inner: SExpr[];
    switch (dt.typeName) {
      case "int":
      case "real":
        inner = [];
        break;
      case "complex":
        return fail("Semantic error", s.span, "stan2ts does not support complex numbers yet.");
      case "vector":
      case "row_vector":
      case "simplex":
      case "unit_vector":
      case "sum_to_zero_vector":
      case "ordered":
      case "positive_ordered":
        inner = [this.sizeExpr(dt.sizes[0])];
        break;
      case "matrix":
      case "cholesky_factor_cov":
        inner = [this.sizeExpr(dt.sizes[0]), this.sizeExpr(dt.sizes[1] ?? dt.sizes[0])];
        break;
      case "cholesky_factor_corr":
      case "corr_matrix":
      case "cov_matrix": {
        const k = this.sizeExpr(dt.sizes[0]);
        inner = [k, k];
        break;
      }
    }
    const base = dt.base as ValueBase;
    const declared = [...arrayDims, ...inner];
    const shape = this.runtimeShape(declared, s.span);
    if (shape.capacity) this.checkDeclaredSizes(s.name, declared, shape.dims, s);
    const elem: ElemType = base === "int" ? "int" : "real";
    const v = this.newVar({ stanName: s.name, elem, base, arrayDims: arrayDims.length, dims: shape.dims, capacity: shape.capacity, role: this.role });
    this.declare(s.name, { kind: "var", v });
    if (this.role === "transformed data") this.emit({ k: "alloc", v });
    return v;
  }

  /**
   * Stan's check of a declaration's sizes where the declaration runs, for sizes known only at run
   * time (a data-level size is checked once, when its buffer is allocated): a negative size stops
   * the run naming the variable, the size's text and its value.
   */
  private checkDeclaredSizes(name: string, declared: readonly SExpr[], sizes: readonly SExpr[], s: VarDecl<unknown>): void {
    const texts = [...s.declType.arrayDims, ...s.declType.sizes].map((e) => this.loc(span(e)).text);
    sizes.forEach((size, k) => {
      if (this.dataLevel(declared[k])) return;
      this.emit({
        k: "check",
        cond: bin(">=", size, num(0, true)),
        message: [`Found negative dimension size in variable declaration; variable=${name}; dimension size expression=${texts[k] ?? ""}; expression value=`, size],
        data: true,
        fatal: true,
        loc: this.loc(s.span),
      });
    });
  }

  private sizeExpr(e: AnyExpr): SExpr {
    const v = this.expr(e);
    if (v.kind !== "s" || !exprIsInt(v.e)) fail("Semantic error", span(e), "A size must be an integer expression.");
    return v.e;
  }

  private lowerBound(t: Transform<unknown>): Bound {
    switch (t.kind) {
      case "lower":
        return { lower: this.scalarOrFail(t.lower) };
      case "upper":
        return { upper: this.scalarOrFail(t.upper) };
      case "lowerUpper":
        return { lower: this.scalarOrFail(t.lower), upper: this.scalarOrFail(t.upper) };
      default:
        return {};
    }
  }

  private scalarOrFail(e: AnyExpr): SExpr {
    const v = this.expr(e);
    if (v.kind !== "s") return fail("Semantic error", span(e), "stan2ts supports only scalar bounds here.");
    return v.e;
  }

  /** Constraint check for TD/TP/GQ variables (run after the block). */
  private constraintCheck(v: IrVar, s: VarDecl<unknown>, b: Bound): LStmt | undefined {
    if (!b.lower && !b.upper) return undefined;
    const loc = this.loc(s.span);
    const body = this.collect(() => {
      const check = (x: SExpr, idx: SExpr | undefined) => {
        if (b.lower) {
          this.emit({ k: "check", cond: bin(">=", x, b.lower), message: this.boundMessage(v, idx, x, "is", "but must be greater than or equal to", b.lower), data: false, loc });
        }
        if (b.upper) {
          this.emit({ k: "check", cond: bin("<=", x, b.upper), message: this.boundMessage(v, idx, x, "is", "but must be less than or equal to", b.upper), data: false, loc });
        }
      };
      if (v.dims.length === 0) check(read(v), undefined);
      else this.loop(totalSize(v.dims), (i) => check(read(v, i), i));
    });
    return body.length === 1 ? body[0] : { k: "if", cond: num(1, true), then: body, otherwise: [], loc };
  }

  private boundMessage(v: IrVar, idx: SExpr | undefined, x: SExpr, _is: string, must: string, bound: SExpr): (SExpr | string)[] {
    const parts: (SExpr | string)[] = [v.stanName];
    if (idx) parts.push("[", bin("+", idx, num(1, true)), "]");
    parts.push(" is ", x, `, ${must} `, bound);
    return parts;
  }

  // -------------------------------------------------------------------------------------------
  // Parameters and their transforms

  private lowerParam(s: VarDecl<unknown>, v: IrVar, offset: SExpr): ParamDecl {
    const offsetJs = `${v.js}_offset__`;
    const off: SExpr = { k: "read", v: this.newVar({ js: offsetJs, stanName: offsetJs, elem: "int", base: "int", arrayDims: 0, dims: [], role: "transformed data" }) };
    const dt = s.declType;
    const t = dt.transform;
    const loc = this.loc(s.span);
    const total = totalSize(v.dims);
    const theta = (i: SExpr) => read(this.theta, bin("+", off, i));
    const elementwise = (constrain: (y: SExpr, i: SExpr) => { x: SExpr; logJ?: SExpr }, unconstrain: (x: SExpr, i: SExpr) => SExpr) => {
      const c = this.collect(() => {
        this.emit({ k: "comment", loc });
        const one = (i: SExpr, at: SExpr | undefined) => {
          const r = constrain(theta(i), i);
          this.emit({ k: "assign", lhs: at === undefined ? { v } : { v, at }, op: "=", rhs: r.x, loc });
          if (r.logJ) this.emit({ k: "target", e: r.logJ, jacobian: true, loc });
        };
        if (v.dims.length === 0) one(num(0, true), undefined);
        else this.loop(total, (i) => one(i, i), loc);
      });
      const u = this.collect(() => {
        const one = (i: SExpr, at: SExpr | undefined) =>
          this.emit({ k: "assign", lhs: { v: this.theta, at: bin("+", off, i) }, op: "=", rhs: unconstrain(read(v, at), i), loc });
        if (v.dims.length === 0) one(num(0, true), undefined);
        else this.loop(total, (i) => one(i, i), loc);
      });
      return { constrain: c, unconstrain: u, size: total };
    };
    const boundAt = (e: AnyExpr): ((i: SExpr) => SExpr) => {
      const b = this.expr(e);
      if (b.kind === "s") return () => b.e;
      const c = b;
      return (i) => c.at(i);
    };
    const call1 = (fn: string, a: SExpr): SExpr => this.scalarCall(fn, [a], s.span);
    let r: { constrain: LStmt[]; unconstrain: LStmt[]; size: SExpr };
    let transformName = t.kind;
    switch (t.kind) {
      case "none":
        r = elementwise((y) => ({ x: y }), (x) => x);
        break;
      case "lower": {
        const lb = boundAt(t.lower);
        r = elementwise(
          (y, i) => ({ x: bin("+", lb(i), call1("exp", y)), logJ: y }),
          (x, i) => call1("log", bin("-", x, lb(i))),
        );
        break;
      }
      case "upper": {
        const ub = boundAt(t.upper);
        r = elementwise(
          (y, i) => ({ x: bin("-", ub(i), call1("exp", y)), logJ: y }),
          (x, i) => call1("log", bin("-", ub(i), x)),
        );
        break;
      }
      case "lowerUpper": {
        const lb = boundAt(t.lower);
        const ub = boundAt(t.upper);
        r = elementwise(
          (y, i) => ({
            x: bin("+", lb(i), bin("*", bin("-", ub(i), lb(i)), call1("inv_logit", y))),
            logJ: bin("+", call1("log", bin("-", ub(i), lb(i))), bin("+", call1("log_inv_logit", y), call1("log1m_inv_logit", y))),
          }),
          (x, i) => call1("logit", bin("/", bin("-", x, lb(i)), bin("-", ub(i), lb(i)))),
        );
        break;
      }
      case "offsetMultiplier": {
        const o = t.offset ? boundAt(t.offset) : () => num(0, true);
        const m = t.multiplier ? boundAt(t.multiplier) : () => num(1, true);
        r = elementwise(
          (y, i) => ({ x: bin("+", o(i), bin("*", m(i), y)), logJ: t.multiplier ? call1("log", m(i)) : undefined }),
          (x, i) => bin("/", bin("-", x, o(i)), m(i)),
        );
        break;
      }
      default: {
        // Structured transforms: runtime kernels from transforms.ts (constrain, constrain_adj, unconstrain).
        transformName = t.kind;
        const kernel = t.kind === "sum_to_zero_vector" ? "sum_to_zero" : t.kind;
        const innerDims = v.dims.slice(v.arrayDims);
        const sizeArgs = t.kind === "cholesky_factor_cov" ? [innerDims[0], innerDims[1]] : [innerDims[0]];
        const freeOne = this.freeSize(t.kind, sizeArgs);
        const arrayCount = totalSize(v.dims.slice(0, v.arrayDims));
        const c = this.collect(() => {
          this.emit({ k: "comment", loc });
          this.emit({ k: "transform", kernel, v, offset: off, sizes: sizeArgs, freeSize: freeOne, count: arrayCount, loc });
        });
        const u = this.collect(() => this.emit({ k: "untransform", kernel, v, offset: off, sizes: sizeArgs, freeSize: freeOne, count: arrayCount, loc }));
        r = { constrain: c, unconstrain: u, size: bin("*", arrayCount, freeOne) };
      }
    }
    return { v, offsetJs, unconstrainedSize: r.size, constrain: r.constrain, unconstrain: r.unconstrain, transformName, loc };
  }

  private freeSize(kind: string, sizes: SExpr[]): SExpr {
    const K = sizes[0];
    const one = num(1, true);
    switch (kind) {
      case "simplex":
      case "sum_to_zero_vector":
      case "unit_vector":
        return kind === "unit_vector" ? K : bin("-", K, one);
      case "ordered":
      case "positive_ordered":
        return K;
      case "cholesky_factor_corr":
      case "corr_matrix":
        return bin("%/%", bin("*", K, bin("-", K, one)), num(2, true));
      case "cov_matrix":
        return bin("+", K, bin("%/%", bin("*", K, bin("-", K, one)), num(2, true)));
      case "cholesky_factor_cov": {
        const M = sizes[0];
        const N = sizes[1];
        return bin("+", bin("%/%", bin("*", N, bin("+", N, one)), num(2, true)), bin("*", bin("-", M, N), N));
      }
      default:
        throw new Error(`internal error: no free size for ${kind}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  /** Location of the statement being lowered (checks made by expansions name it). */
  currentLoc: Loc | undefined;

  private stmt(s: AnyStmt): void {
    const saved = this.currentLoc;
    // (a loop or branch names itself for what its condition or bounds check; its body's statements name themselves)
    if (s.kind !== "Block" && s.kind !== "Profile") this.currentLoc = this.loc(s.span);
    try {
      this.stmtInner(s);
    } finally {
      this.currentLoc = saved;
    }
  }

  private stmtInner(s: AnyStmt): void {
    switch (s.kind) {
      case "VarDecl": {
        const constant = this.sizeConstant(s);
        if (constant) {
          this.declare(s.name, constant);
          return;
        }
        const v = this.declareVar(s);
        if (s.init) this.assignInit(v, s.init, s.span);
        return;
      }
      case "Assign":
        return this.assign(s.lhs, s.op, s.rhs, s.span);
      case "Tilde":
        return this.tilde(s);
      case "TargetPlus":
      case "JacobianPlus": {
        const loc = this.loc(s.span);
        this.emit({ k: "comment", loc });
        const v = this.expr(s.expr);
        const e = v.kind === "s" ? v.e : this.sum(v);
        this.emit({ k: "target", e, jacobian: s.kind === "JacobianPlus", loc });
        return;
      }
      case "For": {
        const loc = this.loc(s.span);
        this.emit({ k: "comment", loc });
        const lo = this.scalarOrFail(s.lower);
        const hi = this.scalarOrFail(s.upper);
        const v = this.newVar({ stanName: s.variable, elem: "int", base: "int", arrayDims: 0, dims: [], role: "loop" });
        this.loopDepth++;
        this.loopRanges.set(v, { lo, hi });
        const body = this.collect(() => this.withScope(() => {
          this.declare(s.variable, { kind: "var", v });
          this.stmt(s.body);
        }));
        this.loopRanges.delete(v);
        this.loopDepth--;
        this.emit({ k: "for", v, lo, hi, body: this.hoistDataIndexChecks(v, lo, hi, body), loc });
        return;
      }
      case "ForEach": {
        const loc = this.loc(s.span);
        this.emit({ k: "comment", loc });
        const coll = this.expr(s.collection);
        if (coll.kind !== "c") return fail("Semantic error", s.span, "A foreach loop needs a container.");
        const n = coll.arrayDims > 0 ? coll.dims[0] : totalSize(coll.dims);
        const elemValue = (i: SExpr): Value => (coll.arrayDims > 0 ? this.index(coll, [{ kind: "single", e: bin("+", i, num(1, true)) }], s.span) : scalar(coll.at(i)));
        this.loopDepth++;
        this.loop(n, (i) => this.withScope(() => {
          this.declare(s.variable, elemValue(i));
          this.stmt(s.body);
        }), loc);
        this.loopDepth--;
        return;
      }
      case "While": {
        const loc = this.loc(s.span);
        this.emit({ k: "comment", loc });
        let cond: SExpr = num(1, true);
        const condChecks = this.collect(() => {
          cond = this.scalarOrFail(s.condition);
        });
        this.loopDepth++;
        const body = this.collect(() => this.withScope(() => this.stmt(s.body)));
        this.loopDepth--;
        if (!callFree(cond) || condChecks.some((c) => c.k !== "check")) {
          fail("Semantic error", span(s.condition), "stan2ts needs a while condition that reads only plain variables (no function calls).");
        }
        if (condChecks.length === 0) {
          this.emit({ k: "while", cond, body, loc });
          return;
        }
        // The condition indexes a container: its range checks run before every evaluation — before
        // the loop and at the end of the body, once `if (c) continue;` is restructured (reverse
        // mode differentiates neither `continue` nor `break` in a parameter-dependent loop).
        const structured = structureContinue([{ k: "while", cond, body, loc }])[0] as Extract<LStmt, { k: "while" }>;
        if (!continuesThisLoop(structured.body)) {
          for (const c of condChecks) this.emit(c);
          const again = this.collect(() => this.scalarOrFail(s.condition));
          this.emit({ ...structured, body: [...structured.body, ...again] });
          return;
        }
        // a `continue` that stays: checks first in each iteration (`continue` jumps back to them)
        const exit: LStmt = { k: "if", cond: { k: "not", e: cond }, then: [{ k: "break", loc }], otherwise: [], loc };
        this.emit({ k: "while", cond: num(1, true), body: [...condChecks, exit, ...body], loc });
        return;
      }
      case "IfElse": {
        const loc = this.loc(s.span);
        this.emit({ k: "comment", loc });
        // The condition is evaluated once, before either branch runs.
        const cond = this.scalarOrFail(s.condition);
        const then = this.collect(() => this.withScope(() => this.stmt(s.then)));
        const otherwise = s.otherwise ? this.collect(() => this.withScope(() => this.stmt(s.otherwise as AnyStmt))) : [];
        this.emit({ k: "if", cond, then, otherwise, loc });
        return;
      }
      case "Break":
      case "Continue":
        this.emit({ k: s.kind === "Break" ? "break" : "continue", loc: this.loc(s.span) });
        return;
      case "Return":
        return fail("Semantic error", s.span, "stan2ts inlines user-defined functions and supports 'return' only as the last statement of a function.");
      case "Print":
      case "Reject":
      case "FatalError": {
        const loc = this.loc(s.span);
        const args = s.args.map((a) => (a.kind === "StringLiteral" ? unescapeStan(a.value) : this.printable(a)));
        this.emit({ k: s.kind === "Print" ? "print" : s.kind === "Reject" ? "reject" : "fatal", args: args.flat(), loc });
        return;
      }
      case "Block":
        return this.withScope(() => {
          for (const t of s.stmts) this.stmt(t);
        });
      case "Profile":
        return this.withScope(() => {
          for (const t of s.stmts) this.stmt(t);
        });
      case "CallStmt":
        this.emit({ k: "comment", loc: this.loc(s.span) });
        this.callStatement(s.call.name, s.call.args, s.span);
        return;
    }
  }

  private printable(a: AnyExpr): (SExpr | string)[] {
    const v = this.expr(a);
    if (v.kind === "s") return [v.e];
    // containers print as [a,b,c]
    const n = totalSize(v.dims);
    if (n.k === "num") {
      const out: (SExpr | string)[] = ["["];
      for (let i = 0; i < Number(n.text); i++) {
        if (i > 0) out.push(",");
        out.push(v.at(num(i, true)));
      }
      out.push("]");
      return out;
    }
    const w = this.materialize(v);
    return [{ k: "call", fn: "format_container__", args: [{ k: "whole", v: w }], isInt: false, site: this.nextSite(), propto: false, span: span(a) } as SExpr];
  }

  /**
   * A local `int n = num_elements(x);` (or any int formed from data and the sizes of containers)
   * that is never assigned again, in a function body or the model block: its value is known at data
   * load, so it is bound to that expression instead of a variable, and containers declared with it
   * (`vector[n + 1] p;`, brms's ordinal densities) get sizes known at data load.
   */
  private sizeConstant(s: VarDecl<unknown>): Value | undefined {
    const dt = s.declType;
    if (!s.init || dt.typeName !== "int" || dt.arrayDims.length > 0 || this.assignedNames.has(s.name)) return undefined;
    if (this.inlining.length === 0 && this.role !== "model") return undefined;
    if (!this.formedFromSizes(s.init)) return undefined;
    const dimension = this.dimsElement(s.init);
    if (dimension) return scalar(dimension);
    const value = this.expr(s.init);
    // (an int expression of sizes is a scalar; anything else is a defect of this check)
    if (value.kind !== "s") throw new Error(`internal error: the int '${s.name}' did not lower to a scalar`);
    return value;
  }

  /**
   * `dims(x)[k]` with a literal k: the k-th of x's sizes (arrays first, then rows and columns; a
   * vector's columns are 1), read off x's shape instead of a temporary array of every size, so a
   * size bound to it is known at data load (brms's `int NB = dims(x)[1];` in spd_cov_exp_quad).
   */
  private dimsElement(e: AnyExpr): SExpr | undefined {
    if (e.kind !== "Indexed" || e.target.kind !== "FunctionCall" || e.target.name !== "dims" || e.target.args.length !== 1) return undefined;
    const [index] = e.indices;
    if (e.indices.length !== 1 || index.kind !== "Single" || index.expr.kind !== "IntLiteral") return undefined;
    const x = this.expr(e.target.args[0]);
    if (x.kind !== "c") return undefined;
    const one = num(1, true);
    const sizes = x.base === "row_vector" ? [...x.dims.slice(0, x.arrayDims), one, x.dims[x.arrayDims]] : x.base === "vector" ? [...x.dims, one] : [...x.dims];
    return sizes[Number(index.expr.text) - 1];
  }

  /**
   * Integer literals, data-level ints, loop variables, elements of data int arrays at such indices
   * (`J[n, 2] - J[n, 1] + 1`), + − ×, sizes of containers and `dims(x)[k]` (never a value the program computes).
   */
  private formedFromSizes(e: AnyExpr): boolean {
    switch (e.kind) {
      case "IntLiteral":
        return true;
      case "Paren":
        return this.formedFromSizes(e.inner);
      case "PrefixOp":
        return e.op === "-" && this.formedFromSizes(e.operand);
      case "BinaryOp":
        return (e.op === "+" || e.op === "-" || e.op === "*") && this.formedFromSizes(e.left) && this.formedFromSizes(e.right);
      case "Variable": {
        const b = this.binding(e.name);
        if (!b) return false;
        const reads: IrVar[] = [];
        if (b.kind === "var") reads.push(b.v);
        else if (b.kind === "s") forEachRead(b.e, (v) => reads.push(v));
        else return false;
        return reads.every((v) => ((v.role === "data" || v.role === "transformed data") && v.dims.length === 0 && v.elem === "int") || this.loopRanges.has(v));
      }
      case "Indexed": {
        if (e.target.kind === "FunctionCall" && e.target.name === "dims") {
          const arg = e.target.args[0];
          return e.target.args.length === 1 && (arg.kind === "Variable" || arg.kind === "Indexed") && e.indices.length === 1 && e.indices[0].kind === "Single" && e.indices[0].expr.kind === "IntLiteral";
        }
        // an element of a data int array (or of a function argument bound to one); not while
        // transformed data runs, where a function's local array has that role and may change
        if (this.role === "transformed data" || e.target.kind !== "Variable" || !e.indices.every((i) => i.kind === "Single" && this.formedFromSizes(i.expr))) return false;
        const b = this.binding(e.target.name);
        const array = b?.kind === "var" ? b.v : b?.kind === "c" ? b.view?.v : undefined;
        return array !== undefined && (array.role === "data" || array.role === "transformed data") && array.elem === "int";
      }
      case "FunctionCall":
        return SIZE_FUNCTIONS.has(e.name) && e.args.length === 1 && (e.args[0].kind === "Variable" || e.args[0].kind === "Indexed");
      default:
        return false;
    }
  }

  private assignInit(v: IrVar, init: AnyExpr, sp: Span): void {
    const loc = this.loc(sp);
    this.emit({ k: "comment", loc });
    const value = this.expr(init);
    if (v.dims.length === 0) {
      this.storeValue(scalar(read(v)), v, "=", value, loc, sp);
      return;
    }
    this.storeValue({ kind: "c", elem: v.elem, base: v.base, arrayDims: v.arrayDims, dims: v.dims, at: (i) => read(v, i), view: { v, map: (i) => i }, whole: v, aligned: true }, v, "=", value, loc, sp);
  }

  private assign(lhsExpr: AnyExpr, op: string, rhsExpr: AnyExpr, sp: Span): void {
    const loc = this.loc(sp);
    this.emit({ k: "comment", loc });
    // the right-hand side is evaluated first (its index checks fail before the left's, as in Stan)
    const rhs = this.expr(rhsExpr);
    const lhs = this.expr(lhsExpr);
    let root: IrVar | undefined;
    if (lhs.kind === "s") {
      if (lhs.e.k !== "read") return fail("Semantic error", sp, "The left-hand side of an assignment must be a variable.");
      root = lhs.e.v;
    } else {
      root = lhs.view?.v;
    }
    if (!root || root.role === "data" || root.role === "loop" || root.role === "parameters") {
      return fail("Semantic error", sp, `Cannot assign to ${root ? `${root.role === "loop" ? "loop variable" : `${root.role} variable`} '${root.stanName}'` : "this expression"}.`);
    }
    this.storeValue(lhs, root, op, rhs, loc, sp);
  }

  /** lhs op= rhs, for scalars and containers. */
  private storeValue(lhs: Value, root: IrVar, op: string, rhs: Value, loc: Loc, sp: Span): void {
    const simpleOp = op === "=" || op === "+=" || op === "-=" || op === "*=" || op === "/=" ? op : op === ".*=" ? "*=" : "/=";
    if (lhs.kind === "s") {
      if (rhs.kind !== "s") return fail("Semantic error", sp, "Cannot assign a container to a scalar.");
      const e = lhs.e as Extract<SExpr, { k: "read" }>;
      const rhsE = root.elem === "real" || exprIsInt(rhs.e) ? rhs.e : rhs.e;
      this.emit({ k: "assign", lhs: e.at ? { v: root, at: e.at } : { v: root }, op: simpleOp, rhs: rhsE, loc });
      return;
    }
    const view = lhs.view;
    if (!view) return fail("Semantic error", sp, "The left-hand side of an assignment must be a variable.");
    let value: Value = rhs;
    if (op === "*=" && rhs.kind === "c") {
      // matrix *= matrix is a product, not elementwise
      value = this.multiply(lhs, rhs, sp);
      return this.storeValue(lhs, root, "=", this.materializeValue(value), loc, sp);
    }
    if (value.kind === "c") {
      const readsLhs = readsVarAnywhere(value, root);
      if (readsLhs && !value.aligned) value = this.materializeValue(value);
      else if (readsLhs && value.aligned && !sameMap(lhs, value)) value = this.materializeValue(value);
    }
    if (value.kind === "c") this.checkAssignedSizes(lhs, value, root, loc);
    const total = totalSize(lhs.dims);
    const rv = value;
    this.loop(total, (i) => {
      const rhsE = rv.kind === "s" ? rv.e : rv.at(i);
      this.emit({ k: "assign", lhs: { v: root, at: view.map(i) }, op: simpleOp, rhs: rhsE, loc });
    }, loc);
  }

  /**
   * Stan's size check of a container assignment where a size is known only at run time (one
   * comparison per dimension whose sizes are not the same expression), fatal as Stan's
   * std::invalid_argument: Stan 2.21's wording for a whole variable and for an indexed one.
   * (Sizes known at data load are not compared: the modules of such programs stay as they were.)
   */
  private checkAssignedSizes(lhs: ContainerValue, rhs: ContainerValue, root: IrVar, loc: Loc): void {
    if (lhs.dims.length !== rhs.dims.length) return;
    if ([...lhs.dims, ...rhs.dims].every((d) => this.dataLevel(d))) return;
    const inner = innerRank(lhs.base);
    lhs.dims.forEach((size, k) => {
      const other = rhs.dims[k];
      if (sameExpr(size, other)) return;
      const columns = inner === 2 ? k === lhs.dims.length - 1 : lhs.base === "row_vector" && k === lhs.dims.length - 1;
      const array = k < lhs.arrayDims;
      const wholeMessage = array
        ? ["assign: size of left-hand side (", size, ") and size of right-hand side (", other, ") must match in size"]
        : [`assign: ${columns ? "Columns" : "Rows"} of left-hand-side (`, size, `) and ${columns ? "columns" : "rows"} of right-hand-side (`, other, ") must match in size"];
      const indexed = array ? "vector[multi,...]" : lhs.base === "row_vector" ? "row_vector[multi]" : "vector[multi]";
      const message = lhs.whole ? wholeMessage : [`${indexed} assign sizes: lhs (`, size, `) and assigning variable ${root.stanName} (`, other, ") must match in size"];
      this.emit({ k: "check", cond: bin("==", size, other), message, data: true, fatal: true, loc });
    });
  }

  private tilde(s: Extract<AnyStmt, { kind: "Tilde" }>): void {
    const loc = this.loc(s.span);
    this.emit({ k: "comment", loc });
    const lhs = this.expr(s.lhs);
    const isInt = lhs.kind === "s" ? exprIsInt(lhs.e) : lhs.elem === "int";
    const name = s.resolvedName ?? this.resolveDistribution(s.distribution, isInt, s.distributionSpan);
    const args = [s.lhs, ...s.args];
    const e = this.callValue(name, args, s.span, true);
    if (e.kind !== "s") return fail("Semantic error", s.span, `${name} does not return a scalar.`);
    let lp = e.e;
    if (s.truncation) {
      const t = s.truncation;
      const base = name.replace(/_lp[dm]f$/, "");
      if (lhs.kind !== "s") fail("Semantic error", s.span, "stan2ts supports truncation only for scalar outcomes.");
      const y = (lhs as { e: SExpr }).e;
      const argsRest = s.args;
      if (t.lower && t.upper) {
        const lo = this.scalarOrFail(t.lower);
        const hi = this.scalarOrFail(t.upper);
        this.emit({ k: "check", cond: bin("&&", bin(">=", y, lo), bin("<=", y, hi)), message: ["Truncation: value ", y, " outside [", lo, ", ", hi, "]"], data: false, loc });
        const cdfHi = this.callValueWithFirst(`${base}_lcdf`, scalar(hi), argsRest, s.span);
        const cdfLo = this.callValueWithFirst(`${base}_lcdf`, scalar(lo), argsRest, s.span);
        lp = bin("-", lp, this.scalarCall("log_diff_exp", [cdfHi, cdfLo], s.span));
      } else if (t.lower) {
        const lo = this.scalarOrFail(t.lower);
        this.emit({ k: "check", cond: bin(">=", y, lo), message: ["Truncation: value ", y, " below lower bound ", lo], data: false, loc });
        lp = bin("-", lp, this.callValueWithFirst(`${base}_lccdf`, scalar(lo), argsRest, s.span));
      } else if (t.upper) {
        const hi = this.scalarOrFail(t.upper);
        this.emit({ k: "check", cond: bin("<=", y, hi), message: ["Truncation: value ", y, " above upper bound ", hi], data: false, loc });
        lp = bin("-", lp, this.callValueWithFirst(`${base}_lcdf`, scalar(hi), argsRest, s.span));
      }
    }
    this.emit({ k: "target", e: lp, jacobian: false, loc });
  }

  private callValueWithFirst(name: string, first: Value, rest: readonly AnyExpr[], sp: Span): SExpr {
    const v = this.callWithValues(name, [first, ...rest.map((a) => this.expr(a))], sp, false);
    if (v.kind !== "s") return fail("Semantic error", sp, `${name} does not return a scalar.`);
    return v.e;
  }

  private resolveDistribution(dist: string, intVariate: boolean, sp: Span): string {
    for (const suffix of intVariate ? ["_lpmf", "_lpdf"] : ["_lpdf", "_lpmf"]) {
      const n = dist + suffix;
      if (this.functions.has(n) || KERNEL_RULES.has(n) || DENSITY_RULES.has(n) || GLM_RULES.has(n) || EXPANSIONS.has(n)) return n;
    }
    return fail("Semantic error", sp, `stan2ts has no gradient rule for the distribution '${dist}' (${dist}${intVariate ? "_lpmf" : "_lpdf"}).`);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  expr(e: AnyExpr): Value {
    switch (e.kind) {
      case "IntLiteral":
        return scalar(num(jsIntLiteral(e.text), true));
      case "RealLiteral":
        return scalar(num(jsRealLiteral(e.text.replace(/^\./, "0.")), false));
      case "StringLiteral":
        return fail("Semantic error", span(e), "A string can only be printed.");
      case "Paren":
        return this.expr(e.inner);
      case "Variable": {
        const b = this.lookup(e.name, span(e));
        if (b.kind === "var") {
          if (b.v.dims.length === 0) return scalar(read(b.v));
          return wholeValue(b.v);
        }
        return b;
      }
      case "BinaryOp": {
        const l = this.expr(e.left);
        // `a && b`, `a || b` evaluate b only when a does not decide: so do b's index checks
        const r = (e.op === "&&" || e.op === "||") && l.kind === "s"
          ? this.onlyWhen(e.op === "&&" ? l.e : { k: "not", e: l.e }, () => this.expr(e.right))
          : this.expr(e.right);
        return this.binary(e.op, l, r, span(e));
      }
      case "PrefixOp": {
        const v = this.expr(e.operand);
        if (e.op === "+") return v;
        if (e.op === "!") {
          if (v.kind !== "s") return fail("Semantic error", span(e), "'!' needs an integer.");
          return scalar({ k: "not", e: v.e });
        }
        return this.mapElements(v, (x) => ({ k: "neg", e: x, isInt: exprIsInt(x) }));
      }
      case "Transpose":
        return this.callWithValues("transpose", [this.expr(e.operand)], span(e), false);
      case "TernaryIf": {
        const c = this.scalarOrFail(e.condition);
        // only the chosen branch is evaluated, so only its index checks apply
        const t = this.onlyWhen(c, () => this.expr(e.then));
        const f = this.onlyWhen({ k: "not", e: c }, () => this.expr(e.otherwise));
        if (t.kind === "s" && f.kind === "s") {
          return scalar({ k: "cond", c, t: t.e, f: f.e, isInt: exprIsInt(t.e) && exprIsInt(f.e) });
        }
        if (t.kind === "c" && f.kind === "c") {
          return { ...t, at: (i) => ({ k: "cond", c, t: t.at(i), f: f.at(i), isInt: false }), view: undefined, whole: undefined };
        }
        return fail("Semantic error", span(e), "Both branches of '?:' must have the same type.");
      }
      case "Indexed": {
        const target = this.expr(e.target);
        if (target.kind !== "c") return fail("Semantic error", span(e), "Only containers can be indexed.");
        return this.index(target, e.indices.map((i) => this.lowerIndex(i, span(e))), span(e));
      }
      case "ArrayLiteral":
      case "RowVectorLiteral":
        return this.literal(e.kind, e.elements, span(e));
      case "FunctionCall":
        return this.callValue(e.name, e.args, span(e), false);
    }
  }

  private literal(kind: "ArrayLiteral" | "RowVectorLiteral", elements: readonly AnyExpr[], sp: Span): Value {
    const values = elements.map((x) => this.expr(x));
    const first = values[0];
    const n = num(values.length, true);
    if (kind === "RowVectorLiteral") {
      if (values.every((v) => v.kind === "s")) {
        const t = this.temp("real", "row_vector", 0, [n]);
        values.forEach((v, k) => this.emit({ k: "assign", lhs: { v: t, at: num(k, true) }, op: "=", rhs: (v as { e: SExpr }).e }));
        return wholeValue(t);
      }
      // a row of row vectors is a matrix
      const cols = (first as ContainerValue).dims[0];
      const t = this.temp("real", "matrix", 0, [n, cols]);
      values.forEach((v, r) => {
        const c = v as ContainerValue;
        this.loop(cols, (j) => this.emit({ k: "assign", lhs: { v: t, at: bin("+", num(r, true), bin("*", j, n)) }, op: "=", rhs: c.at(j) }));
      });
      return wholeValue(t);
    }
    if (first.kind === "s") {
      const elem: ElemType = values.every((v) => v.kind === "s" && exprIsInt(v.e)) ? "int" : "real";
      const t = this.temp(elem, elem, 1, [n]);
      values.forEach((v, k) => this.emit({ k: "assign", lhs: { v: t, at: num(k, true) }, op: "=", rhs: (v as { e: SExpr }).e }));
      return wholeValue(t);
    }
    const c0 = first;
    const inner = totalSize(c0.dims);
    const t = this.temp(c0.elem, c0.base, c0.arrayDims + 1, [n, ...c0.dims]);
    values.forEach((v, k) => {
      const c = v as ContainerValue;
      this.loop(inner, (j) => this.emit({ k: "assign", lhs: { v: t, at: bin("+", bin("*", num(k, true), inner), j) }, op: "=", rhs: c.at(j) }));
    });
    return wholeValue(t);
  }

  private lowerIndex(i: Index<unknown>, sp: Span): LIndex {
    switch (i.kind) {
      case "All":
        return { kind: "all" };
      case "Single": {
        const v = this.expr(i.expr);
        if (v.kind === "s") {
          if (!exprIsInt(v.e)) fail("Semantic error", sp, "An index must be an integer.");
          return { kind: "single", e: v.e };
        }
        if (v.elem !== "int" || v.dims.length !== 1) fail("Semantic error", sp, "A multi-index must be an array of integers.");
        return { kind: "multi", c: v };
      }
      case "Upfrom":
        return { kind: "range", lo: this.scalarOrFail(i.lower) };
      case "Downfrom":
        return { kind: "range", lo: num(1, true), hi: this.scalarOrFail(i.upper) };
      case "Between":
        return { kind: "range", lo: this.scalarOrFail(i.lower), hi: this.scalarOrFail(i.upper) };
    }
  }

  /** Stan indexing: indices apply to the outermost dims first; missing trailing indices keep whole dims. */
  index(c: ContainerValue, idx: readonly LIndex[], sp: Span): Value {
    if (idx.length > c.dims.length) {
      // `m[i][j]`-style chains on a matrix row are handled by the caller; here we have too many
      return fail("Semantic error", sp, `Too many indexes: expected at most ${c.dims.length}, found ${idx.length}.`);
    }
    const srcStrides = strides(c.base, c.arrayDims, c.dims);
    const kept: { j: number; size: SExpr; map: (r: SExpr) => SExpr; bound?: SExpr }[] = [];
    const boundOf = (j: number) => this.dataLevelBound(c, j);
    const fixed: SExpr[] = new Array(c.dims.length);
    // out-of-range indices stop the run, as Stan's: checked before the statement that reads or writes
    const named = c.whole ?? c.view?.v;
    const check = (j: number, kind: string, index: SExpr) =>
      this.checkIndexRange(index, c.dims[j], {
        container: named && named.role !== "temp" ? named.stanName : undefined,
        what: `${j < c.arrayDims ? "array" : c.base}[${kind}] indexing`,
        position: c.dims.length > 1 ? j + 1 : undefined,
      });
    for (let j = 0; j < c.dims.length; j++) {
      const ix: LIndex = idx[j] ?? { kind: "all" };
      const dimSize = c.dims[j];
      switch (ix.kind) {
        case "single": {
          let e = ix.e;
          if (!this.provablyInRange(e, dimSize)) {
            // an index with a call (an _rng, say) is evaluated once, for the check and the access
            if (!callFree(e)) {
              const t = this.scalarTemp("int", "idx");
              this.emit({ k: "assign", lhs: { v: t }, op: "=", rhs: e, loc: this.currentLoc });
              e = read(t);
            }
            check(j, "uni", e);
          }
          fixed[j] = bin("-", e, num(1, true));
          break;
        }
        case "all":
          kept.push({ j, size: dimSize, map: (r) => r, bound: boundOf(j) });
          break;
        case "range": {
          const lo = ix.lo;
          const hi = ix.hi ?? dimSize;
          // an empty slice (hi < lo) reads nothing; `x[:b]` (lo 1) needs only b checked
          const fromOne = lo.k === "num" && lo.text === "1";
          if (!fromOne) this.onlyWhen(ix.hi ? bin("<=", lo, hi) : num(1, true), () => check(j, ix.hi ? "min_max" : "min", lo));
          if (ix.hi) this.onlyWhen(bin("<=", lo, hi), () => check(j, fromOne ? "max" : "min_max", hi));
          // (its bounds are checked to lie in the dim, so it holds at most the dim's elements)
          kept.push({ j, size: bin("+", bin("-", hi, lo), num(1, true)), map: (r) => bin("+", bin("-", lo, num(1, true)), r), bound: boundOf(j) });
          break;
        }
        case "multi": {
          const m = ix.c;
          this.loop(m.dims[0], (r) => check(j, "multi", m.at(r)), this.currentLoc);
          kept.push({ j, size: m.dims[0], map: (r) => bin("-", m.at(r), num(1, true)), bound: this.dataLevelBound(m, 0) });
          break;
        }
      }
    }
    const arrayKept = kept.filter((k) => k.j < c.arrayDims).length;
    const innerKept = kept.filter((k) => k.j >= c.arrayDims).map((k) => k.j - c.arrayDims);
    let base: ValueBase;
    if (c.base === "matrix") {
      base = innerKept.length === 2 ? "matrix" : innerKept.length === 0 ? "real" : innerKept[0] === 0 ? "vector" : "row_vector";
    } else if (c.base === "vector" || c.base === "row_vector") {
      base = innerKept.length === 1 ? c.base : "real";
    } else {
      base = c.base;
    }
    base = elementBase(base, c.elem);
    const toSource = (resultIdx: SExpr[]): SExpr => {
      const full: SExpr[] = [];
      let r = 0;
      for (let j = 0; j < c.dims.length; j++) {
        if (fixed[j] !== undefined) full.push(fixed[j]);
        else full.push(kept[r].map(resultIdx[r++]));
      }
      return compose(full, srcStrides);
    };
    if (kept.length === 0) return scalar(c.at(toSource([])));
    const dims = kept.map((k) => k.size);
    const resStrides = strides(base, arrayKept, dims);
    const flatToSource = (i: SExpr) => toSource(decompose(i, dims, resStrides));
    const view = c.view;
    return {
      kind: "c",
      elem: c.elem,
      base,
      arrayDims: arrayKept,
      dims,
      at: (i) => c.at(flatToSource(i)),
      view: view ? { v: view.v, map: (i) => view.map(flatToSource(i)) } : undefined,
      aligned: false,
      bounds: kept.some((k) => !this.dataLevel(k.size)) ? kept.map((k) => k.bound) : undefined,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Index range checks

  /**
   * Emits Stan's out-of-range check for the 1-based `index` into a dimension of `size` elements,
   * unless it is provably in range. It runs before the statement (forward code only), compares
   * twice (once when the index is data declared `<lower=1>`), builds its message only on
   * failure, and is fatal: Stan's std::out_of_range stops sampling, it does not reject the point.
   */
  checkIndexRange(index: SExpr, size: SExpr, about: { readonly container?: string; readonly what: string; readonly position?: number }): void {
    if (this.provablyInRange(index, size)) return;
    if (!this.rangeChecked || this.rangeChecked.out !== this.out || this.rangeChecked.loc !== this.currentLoc) {
      this.rangeChecked = { out: this.out, loc: this.currentLoc, keys: new Set() };
    }
    // `r_1_1[J_1[n]] … r_1_2[J_1[n]]` (same size): the second check could never fail
    const key = `${exprKey(index)} in ${exprKey(size)}`;
    if (this.rangeChecked.keys.has(key)) return;
    this.rangeChecked.keys.add(key);
    const upper = bin("<=", index, size);
    const cond = this.atLeastOne(index) ? upper : bin("&&", bin(">=", index, num(1, true)), upper);
    const text = (e: SExpr) => (e.k === "num" ? e.text : e);
    const message: (SExpr | string)[] = [
      `${about.container ? `${about.container}: ` : ""}${about.what}: accessing element out of range. index `,
      text(index),
      " out of range; expecting index to be between 1 and ",
      text(size),
    ];
    if (about.position !== undefined) message.push(`; index position = ${about.position}`);
    this.emit({ k: "check", cond, message, data: false, fatal: true, loc: this.currentLoc });
  }

  /**
   * Whether a 1-based index is in range whatever the data: a literal within a literal size, or
   * a loop variable whose loop runs within the dimension — `for (n in 1:N)` over `vector[N] y`
   * (the same data-level size expression), and the compiler's own loops over a container.
   */
  provablyInRange(index: SExpr, size: SExpr): boolean {
    const literal = (e: SExpr) => (e.k === "num" && e.isInt ? Number(e.text) : undefined);
    const i = literal(index);
    const n = literal(size);
    if (i !== undefined && n !== undefined) return i >= 1 && i <= n;
    if (!this.fixedAfterDataLoad(size)) return false;
    // a Stan loop `for (v in lo:hi)` with a literal lo ≥ 1 and hi the dimension's size
    if (index.k === "read" && index.at === undefined) {
      const r = this.loopRanges.get(index.v);
      const lo = r && literal(r.lo);
      return r !== undefined && lo !== undefined && lo >= 1 && sameExpr(r.hi, size);
    }
    // a compiler loop `for (v = 0; v <= size - 1; v++)` indexing at v + 1
    if (index.k === "bin" && index.op === "+" && index.l.k === "read" && index.l.at === undefined && literal(index.r) === 1) {
      const r = this.loopRanges.get(index.l.v);
      return r !== undefined && literal(r.lo) === 0 && sameExpr(r.hi, bin("-", size, num(1, true)));
    }
    return false;
  }

  /** A size that cannot change once the data are loaded (transformed data may still change while their block runs). */
  private fixedAfterDataLoad(e: SExpr): boolean {
    let fixed = true;
    forEachRead(e, (v) => {
      if (!(v.role === "data" || (v.role === "transformed data" && this.role !== "transformed data"))) fixed = false;
    });
    return fixed && callFree(e);
  }

  /**
   * An index that cannot be below 1: a literal, an element of a data array declared `<lower=L>`
   * with a literal L ≥ 1 (checked when the data are read), or a loop variable starting at 1 or more.
   */
  private atLeastOne(index: SExpr): boolean {
    if (index.k === "num") return Number(index.text) >= 1;
    if (index.k !== "read") return false;
    // a loop variable from a literal lower bound of at least 1
    const loop = index.at === undefined ? this.loopRanges.get(index.v) : undefined;
    if (loop) return loop.lo.k === "num" && loop.lo.isInt && Number(loop.lo.text) >= 1;
    const lower = this.dataBounds.get(index.v)?.lower;
    return lower !== undefined && lower.k === "num" && Number(lower.text) >= 1;
  }

  /**
   * A loop that does nothing observable besides index checks that read only data and its own
   * variable — `for (n in 1:N) mu[n] += r_1_1[J_1[n]] * Z_1_1[n];` — fails at the same iteration,
   * with the same message, on every evaluation, or never. So that iteration is searched for once,
   * after transformed data, and the per-element checks become the same checks at that iteration,
   * before the loop (the iterations before it could neither throw nor print): one comparison per
   * evaluation instead of one per element. Returns the body without those checks.
   */
  private hoistDataIndexChecks(v: IrVar, lo: SExpr, hi: SExpr, body: LStmt[]): LStmt[] {
    if (this.role === "data" || this.role === "transformed data") return body;
    if (!this.fixedAfterDataLoad(lo) || !this.fixedAfterDataLoad(hi)) return body;
    const fixedExceptLoop = (e: SExpr) => {
      let fixed = callFree(e);
      forEachRead(e, (x) => {
        if (x !== v && x.role !== "data" && x.role !== "transformed data") fixed = false;
      });
      return fixed;
    };
    const checks: Extract<LStmt, { k: "check" }>[] = [];
    for (const s of body) {
      if (s.k === "check" && s.fatal && fixedExceptLoop(s.cond) && s.message.every((m) => typeof m === "string" || fixedExceptLoop(m))) {
        checks.push(s);
        continue;
      }
      if (!quiet(s)) return body;
    }
    if (checks.length === 0) return body;
    const scalarTd = (hint: string) => {
      const x = this.newVar({ js: `${hint}${++this.tempCount}__`, stanName: `${hint}${this.tempCount}__`, elem: "int", base: "int", arrayDims: 0, dims: [], role: "transformed data" });
      this.dataLoadIndexScans.push({ k: "alloc", v: x });
      return x;
    };
    const found = scalarTd("index_fails");
    const at = scalarTd("index_fails_at");
    const scanVar = this.newVar({ stanName: `${v.stanName}_scan__`, elem: "int", base: "int", arrayDims: 0, dims: [], role: "loop" });
    const allPass = checks.map((c) => c.cond).reduce((a, b) => bin("&&", a, b));
    const firstFailure: LStmt = {
      k: "if",
      cond: { k: "not", e: allPass },
      then: [
        { k: "assign", lhs: { v: at }, op: "=", rhs: read(v) },
        { k: "assign", lhs: { v: found }, op: "=", rhs: num(1, true) },
        { k: "break" },
      ],
      otherwise: [],
    };
    this.dataLoadIndexScans.push(
      { k: "assign", lhs: { v: found }, op: "=", rhs: num(0, true) },
      { k: "for", v: scanVar, lo, hi, body: [substituteStmt(firstFailure, v, read(scanVar))] },
    );
    for (const c of checks) {
      const atFailure = substituteStmt(c, v, read(at)) as Extract<LStmt, { k: "check" }>;
      this.emit({ ...atFailure, cond: bin("||", bin("==", read(found), num(0, true)), atFailure.cond) });
    }
    return body.filter((s) => !checks.includes(s as Extract<LStmt, { k: "check" }>));
  }

  /** Lowers what runs only when `when` holds (`?:` branches, the right of `&&`/`||`): its index checks apply only then. */
  onlyWhen<T>(when: SExpr, fn: () => T): T {
    let result: T | undefined;
    const stmts = this.collect(() => {
      result = fn();
    });
    const always = when.k === "num" && Number(when.text) !== 0;
    for (const s of stmts) this.emit(always ? s : guardRangeChecks(s, when));
    return result as T;
  }

  // -------------------------------------------------------------------------------------------
  // Operators

  binary(op: string, l: Value, r: Value, sp: Span): Value {
    if (l.kind === "s" && r.kind === "s") {
      switch (op) {
        case "\\":
          return fail("Semantic error", sp, "'\\' needs matrices.");
        case ".*":
          return scalar(bin("*", l.e, r.e));
        case "./":
          return scalar(bin("/", l.e, r.e));
        case ".^":
          return scalar(bin("^", l.e, r.e));
        case "/":
        case "%/%":
        case "%":
          // a zero divisor throws Stan's error (ints), real division is IEEE
          return scalar(checkedIntDivision(op, l.e, r.e));
        default:
          return scalar(bin(op as Parameters<typeof bin>[0], l.e, r.e));
      }
    }
    switch (op) {
      case "+":
      case "-":
        return this.zip(l, r, (a, b) => bin(op, a, b), sp);
      case ".*":
        return this.zip(l, r, (a, b) => bin("*", a, b), sp);
      case "./":
        return this.zip(l, r, (a, b) => bin("/", a, b), sp);
      // `^` on containers resolves to the vectorised pow, elementwise as `.^`
      case "^":
      case ".^":
        return this.zip(l, r, (a, b) => bin("^", a, b), sp);
      case "*":
        if (l.kind === "s" || r.kind === "s") return this.zip(l, r, (a, b) => bin("*", a, b), sp);
        return this.multiply(l, r, sp);
      case "/": {
        if (r.kind === "s") return this.zip(l, r, (a, b) => bin("/", a, b), sp);
        // b / A = b A⁻¹ = (Aᵀ \ bᵀ)ᵀ
        const solved = this.callWithValues("mdivide_left", [this.callWithValues("transpose", [r], sp, false), this.callWithValues("transpose", [l], sp, false)], sp, false);
        return this.callWithValues("transpose", [solved], sp, false);
      }
      case "\\":
        return this.callWithValues("mdivide_left", [l, r], sp, false);
      default:
        return fail("Semantic error", sp, `Operator '${op}' is not defined for containers.`);
    }
  }

  /** Elementwise combination; scalars broadcast. */
  zip(l: Value, r: Value, f: (a: SExpr, b: SExpr) => SExpr, sp: Span): Value {
    if (l.kind === "s" && r.kind === "s") return scalar(f(l.e, r.e));
    const shape = (l.kind === "c" ? l : r) as ContainerValue;
    if (l.kind === "c" && r.kind === "c" && l.dims.length !== r.dims.length) {
      fail("Semantic error", sp, "Elementwise operands must have the same shape.");
    }
    const la = l.kind === "s" ? () => l.e : l.at;
    const ra = r.kind === "s" ? () => r.e : r.at;
    const elem: ElemType = (l.kind === "s" ? exprIsInt(l.e) : l.elem === "int") && (r.kind === "s" ? exprIsInt(r.e) : r.elem === "int") ? "int" : "real";
    return {
      kind: "c",
      elem,
      base: shape.base === "int" && elem === "real" ? "real" : shape.base,
      arrayDims: shape.arrayDims,
      dims: shape.dims,
      bounds: shape.bounds,
      at: (i) => f(la(i), ra(i)),
      aligned: (l.kind === "s" || l.aligned) && (r.kind === "s" || r.aligned),
    };
  }

  mapElements(v: Value, f: (x: SExpr) => SExpr, elem?: ElemType): Value {
    if (v.kind === "s") return scalar(f(v.e));
    return { kind: "c", elem: elem ?? v.elem, base: elem === "real" && v.base === "int" ? "real" : v.base, arrayDims: v.arrayDims, dims: v.dims, bounds: v.bounds, at: (i) => f(v.at(i)), aligned: v.aligned };
  }

  /** Matrix products: row·col → scalar; otherwise a temporary filled by loops. */
  multiply(l: ContainerValue, r: ContainerValue, sp: Span): Value {
    const lb = l.base;
    const rb = r.base;
    if (l.arrayDims > 0 || r.arrayDims > 0) return fail("Semantic error", sp, "'*' is not defined for arrays.");
    if (lb === "row_vector" && rb === "vector") return scalar(this.dot(l, r));
    if (lb === "vector" && rb === "row_vector") {
      // outer product
      const R = l.dims[0];
      const C = r.dims[0];
      return { kind: "c", elem: "real", base: "matrix", arrayDims: 0, dims: [R, C], at: (i) => bin("*", l.at(bin("%", i, R)), r.at(bin("%/%", i, R))), aligned: false };
    }
    const A = this.materializeValue(l) as ContainerValue;
    const B = this.materializeValue(r) as ContainerValue;
    const R = lb === "row_vector" ? num(1, true) : A.dims[0];
    const K = lb === "row_vector" ? A.dims[0] : A.dims[1];
    const C = rb === "vector" ? num(1, true) : B.dims[1];
    const resultBase: ValueBase = lb === "row_vector" ? "row_vector" : rb === "vector" ? "vector" : "matrix";
    const dims = resultBase === "matrix" ? [R, C] : resultBase === "vector" ? [R] : [C];
    const out = this.temp("real", resultBase, 0, dims, "prod");
    if (resultBase === "vector") {
      // matrix × vector column by column (out += A[, k] · B[k]): contiguous reads of the
      // column-major matrix, and no inner loop inside the per-row loops it feeds, which fuse
      // with the likelihood (V8 reloads every typed array's base after an inner loop)
      // (B[k] is read once per column, into a scalar whose adjoint then sums in a register)
      // (the first column assigns, the others add: no zero fill and no read of `out` for it)
      const column = (k: SExpr, op: "=" | "+=") => {
        const coef = this.scalarTemp("real", "coef");
        this.emit({ k: "assign", lhs: { v: coef }, op: "=", rhs: B.at(k) });
        this.loop(R, (row) =>
          this.emit({ k: "assign", lhs: { v: out, at: row }, op, rhs: bin("*", A.at(bin("+", row, bin("*", k, R))), read(coef)) }),
        );
      };
      const columns = () => {
        column(num(0, true), "=");
        this.loop(bin("-", K, num(1, true)), (k) => column(bin("+", k, num(1, true)), "+="));
      };
      if (K.k === "num" && Number(K.text) > 0) columns();
      else {
        const then = this.collect(columns);
        this.emit({ k: "if", cond: bin(">", K, num(0, true)), then, otherwise: [{ k: "fill", v: out, value: "0" }] });
      }
      return wholeValue(out);
    }
    const acc = this.scalarTemp("real", "acc");
    const body = (row: SExpr, col: SExpr) => {
      this.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, true) });
      this.loop(K, (k) => this.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: bin("*", A.at(bin("+", row, bin("*", k, R))), B.at(bin("+", k, bin("*", col, K)))) }));
      this.emit({ k: "assign", lhs: { v: out, at: bin("+", row, bin("*", col, R)) }, op: "=", rhs: read(acc) });
    };
    if (resultBase === "row_vector") this.loop(C, (col) => body(num(0, true), col));
    else this.loop(C, (col) => this.loop(R, (row) => body(row, col)));
    return wholeValue(out);
  }

  /** Σ a_i b_i into a scalar temporary. */
  dot(a: ContainerValue, b: ContainerValue): SExpr {
    const acc = this.scalarTemp("real", "dot");
    this.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, true) });
    this.loop(totalSize(a.dims), (i) => this.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: bin("*", a.at(i), b.at(i)) }));
    return read(acc);
  }

  /** Σ of all elements into a scalar temporary. */
  sum(v: ContainerValue): SExpr {
    const acc = this.scalarTemp(v.elem, "sum");
    this.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, v.elem === "int") });
    this.loop(totalSize(v.dims), (i) => this.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: v.at(i) }));
    return read(acc);
  }

  /** The value as one whole variable (copies lazy values into a temporary). */
  materialize(v: ContainerValue): IrVar {
    if (v.whole) return v.whole;
    const t = this.temp(v.elem, v.base, v.arrayDims, v.dims, "t", v.bounds);
    this.loop(totalSize(v.dims), (i) => this.emit({ k: "assign", lhs: { v: t, at: i }, op: "=", rhs: v.at(i) }));
    return t;
  }

  materializeValue(v: Value): Value {
    return v.kind === "s" ? v : wholeValue(this.materialize(v));
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  scalarCall(fn: string, args: SExpr[], sp: Span): SExpr {
    const rule = SCALAR_RULES.get(fn);
    if (!rule) return fail("Semantic error", sp, `stan2ts has no gradient rule for '${fn}'.`);
    const isInt = rule.alwaysInt === true || (rule.intWhenIntArgs === true && args.every(exprIsInt));
    return { k: "call", fn, args, isInt, site: this.nextSite(), propto: false, span: sp };
  }

  private callValue(name: string, args: readonly AnyExpr[], sp: Span, propto: boolean): Value {
    if (name === "target" && args.length === 0) return scalar(read(this.target));
    if (args.length === 0 && CONSTANTS.has(name)) return scalar({ k: "call", fn: name, args: [], isInt: false, site: this.nextSite(), propto: false, span: sp });
    return this.callWithValues(name, args.map((a) => this.expr(a)), sp, propto);
  }

  density(rule: Named<DensityRule>, args: readonly Value[], sp: Span, propto: boolean, displayName?: string): Value {
    return expandDensity(this, rule, args, sp, propto, displayName);
  }

  callWithValues(name: string, args: Value[], sp: Span, propto: boolean): Value {
    const user = this.userFunction(name, args);
    if (user) return this.inlineCall(user, args, sp, propto);
    const entry = primitive(name);
    if (!entry || entry.unsupported !== undefined) {
      // the type checker rejects these; a compiler-made call reaching here is a defect
      return fail("Semantic error", sp, `stan2ts does not support the function '${name}'${entry?.unsupported ? `: ${entry.unsupported}` : ""}.`);
    }
    const unnormalized = /_lup[dm]f$/.test(name);
    const canonical = name.replace(/_lup([dm])f$/, "_lp$1f");
    if (entry.expand) return entry.expand(this, args, sp);
    if (entry.glm) return expandGlm(this, name, args, sp, propto || unnormalized, DENSITY_RULES) as Value;
    if (entry.density) return expandDensity(this, { ...entry.density, name: canonical }, args, sp, propto || unnormalized);
    if (entry.kernel) {
      const kargs: Arg[] = args.map((a) => (a.kind === "s" ? a.e : { k: "whole", v: this.materialize(a) }));
      return scalar({ k: "call", fn: canonical, args: kargs, isInt: false, site: this.nextSite(), propto: (propto || unnormalized) && entry.kernel.propto, span: sp });
    }
    if (entry.rng) return this.rngCall({ ...entry.rng, name }, args, sp);
    if (entry.operator) {
      const op = OPERATOR_OF_FUNCTION.get(name);
      if (op !== undefined && args.length === 2) return this.binary(op, args[0], args[1], sp);
      if (name === "minus" && args.length === 1) return this.mapElements(args[0], (x) => ({ k: "neg", e: x, isInt: exprIsInt(x) }));
      if (name === "plus" && args.length === 1) return args[0];
      if (name === "logical_negation" && args.length === 1 && args[0].kind === "s") return scalar({ k: "not", e: args[0].e });
    }
    const rule = entry.scalar;
    if (rule) {
      if (args.length !== rule.arity) return fail("Semantic error", sp, `${name} takes ${rule.arity} argument${rule.arity === 1 ? "" : "s"}, found ${args.length}.`);
      if (args.every((a) => a.kind === "s")) return scalar(this.scalarCall(name, args.map((a) => (a as { e: SExpr }).e), sp));
      // vectorised: elementwise over the (first) container argument
      const shape = args.find((a) => a.kind === "c") as ContainerValue;
      const ats = args.map((a) => (a.kind === "s" ? () => a.e : a.at));
      const isInt = rule.alwaysInt === true;
      return {
        kind: "c",
        elem: isInt ? "int" : "real",
        base: shape.base === "int" ? (isInt ? "int" : "real") : shape.base,
        arrayDims: shape.arrayDims,
        dims: shape.dims,
        bounds: shape.bounds,
        at: (i) => this.scalarCall(name, ats.map((f) => f(i)), sp),
        aligned: args.every((a) => a.kind === "s" || a.aligned),
      };
    }
    return fail("Semantic error", sp, `stan2ts cannot lower a call of '${name}' with these arguments.`);
  }

  private rngCall(rng: Named<RngRule>, args: Value[], sp: Span): Value {
    if (this.role !== "generated quantities") {
      return fail("Semantic error", sp, `${rng.name} can only be used in generated quantities (stan2ts).`);
    }
    if (args.length !== rng.args.length) return fail("Semantic error", sp, `${rng.name} takes ${rng.args.length} arguments, found ${args.length}.`);
    if (rng.draws) return this.drawCall(rng, rng.draws, args, sp);
    const make = (a: Arg[]): SExpr => ({ k: "call", fn: rng.name, args: a, isInt: rng.intResult, site: this.nextSite(), propto: false, span: sp });
    const shape = args.find((a, i) => a.kind === "c" && rng.args[i] === "s") as ContainerValue | undefined;
    const argAt = (i: SExpr | undefined): Arg[] =>
      args.map((a, k) => {
        if (rng.args[k] === "v") {
          if (a.kind !== "c") return fail("Semantic error", sp, `${rng.name}: argument ${k + 1} must be a vector.`);
          return { k: "whole", v: this.materialize(a) };
        }
        return a.kind === "s" ? a.e : a.at(i as SExpr);
      });
    if (!shape) return scalar(make(argAt(undefined)));
    const elem: ElemType = rng.intResult ? "int" : "real";
    // vectorised: an array of draws, one per element
    const out = this.temp(elem, elem, 1, [totalSize(shape.dims)], "draws");
    this.loop(totalSize(shape.dims), (i) => this.emit({ k: "assign", lhs: { v: out, at: i }, op: "=", rhs: make(argAt(i)) }));
    return wholeValue(out);
  }

  /** A generator writing a whole vector or matrix: one `draw` statement into a fresh temporary. */
  private drawCall(rng: Named<RngRule>, draws: NonNullable<RngRule["draws"]>, args: Value[], sp: Span): Value {
    const callArgs: Arg[] = args.map((a, k) => {
      if (rng.args[k] === "v") {
        if (a.kind !== "c") return fail("Semantic error", sp, `${rng.name}: argument ${k + 1} must be a container.`);
        return { k: "whole", v: this.materialize(a) };
      }
      if (a.kind !== "s") return fail("Semantic error", sp, `${rng.name}: argument ${k + 1} must be a scalar.`);
      return a.e;
    });
    const shape = draws(args);
    const out = this.temp(shape.elem, shape.base, shape.arrayDims, shape.dims, "draw");
    this.emit({ k: "draw", fn: rng.name, out, args: [...callArgs, ...shape.sizes], loc: this.currentLoc ?? this.loc(sp) });
    return wholeValue(out);
  }

  /** Inlines a user-defined function: parameters bind to the argument values, locals get fresh names. */
  private inlineCall(f: FunctionDef<unknown>, args: Value[], sp: Span, _propto: boolean): Value {
    if (this.inlining.includes(f.name)) return fail("Semantic error", sp, `stan2ts cannot inline the recursive function '${f.name}'.`);
    if (args.length !== f.params.length) return fail("Semantic error", sp, `${f.name} takes ${f.params.length} arguments, found ${args.length}.`);
    const body = f.body;
    if (!body) return fail("Semantic error", sp, `Function '${f.name}' is declared but never defined.`);
    const stmts = returnsThroughLocal((body.kind === "Block" ? body.stmts : [body]).map((s, k, all) => (k === all.length - 1 ? returnsAsTernary(s) : s)), f.returnType);
    this.inlining.push(f.name);
    try {
      return this.withFunctionScope(() => {
        f.params.forEach((p, k) => this.declare(p.name, args[k]));
        let result: Value | undefined;
        stmts.forEach((s, k) => {
          if (s.kind === "Return") {
            if (k !== stmts.length - 1) fail("Semantic error", s.span, "stan2ts supports 'return' only as the last statement of a function.");
            if (s.value) result = this.materializeIfLocal(this.expr(s.value));
          } else {
            this.stmt(s);
          }
        });
        if (f.returnType.base !== "void" && !result) fail("Semantic error", f.span, `Function '${f.name}' must end with a return statement.`);
        return result ?? scalar(num(0, true));
      });
    } finally {
      this.inlining.pop();
    }
  }

  private materializeIfLocal(v: Value): Value {
    return v;
  }

  private withFunctionScope<T>(fn: () => T): T {
    // function bodies see only their parameters, their locals and other functions (not block variables)
    const saved = this.scopes;
    this.scopes = [new Map()];
    try {
      return fn();
    } finally {
      this.scopes = saved;
    }
  }

  /**
   * The user function a call with these arguments runs, chosen as the type checker chose it: the
   * best user overload that accepts the arguments; none when only the library's function does
   * (a user may overload a library name, e.g. `real normal_lpdf(real x)`).
   */
  private userFunction(name: string, args: readonly Value[]): FunctionDef<unknown> | undefined {
    const defs = this.functions.get(name);
    if (!defs) return undefined;
    const types: StanType[] = args.map((a) => (a.kind === "s" ? { base: exprIsInt(a.e) ? "int" : "real", arrayDims: 0 } : { base: elementBase(a.base, a.elem), arrayDims: a.arrayDims }));
    return bestSignature(defs.map((def) => ({ def, args: def.params.map((p) => p.type) })), types)?.def;
  }

  /** A call used as a statement (`void` or `_lp` user functions). */
  private callStatement(name: string, args: readonly AnyExpr[], sp: Span): void {
    const values = args.map((a) => this.expr(a));
    const user = this.userFunction(name, values);
    if (!user) return fail("Semantic error", sp, `'${name}' is not a function that can be called as a statement.`);
    this.inlineCall(user, values, sp, false);
  }

  get inLoop(): boolean {
    return this.loopDepth > 0;
  }
}


function span(e: AnyExpr): Span {
  return (e.meta as { span: Span }).span;
}

/** A Stan string literal's escapes (as written in the source) → the characters they stand for. */
function unescapeStan(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/** Whether a `continue` of the enclosing loop (not of a nested one) remains in these statements. */
function continuesThisLoop(stmts: readonly LStmt[]): boolean {
  return stmts.some((s) => s.k === "continue" || (s.k === "if" && (continuesThisLoop(s.then) || continuesThisLoop(s.otherwise))));
}

/** A range check that applies only when `when` holds, wherever it sits in `s`. */
function guardRangeChecks(s: LStmt, when: SExpr): LStmt {
  switch (s.k) {
    case "check":
      return s.fatal ? { ...s, cond: bin("||", { k: "not", e: when }, s.cond) } : s;
    case "for":
    case "while":
      return { ...s, body: s.body.map((b) => guardRangeChecks(b, when)) };
    case "if":
      return { ...s, then: s.then.map((b) => guardRangeChecks(b, when)), otherwise: s.otherwise.map((b) => guardRangeChecks(b, when)) };
    default:
      return s;
  }
}

/**
 * Code that can neither throw, print nor leave its loop early: assignments and target
 * increments without calls, fills, and loops and branches of such code.
 */
function quiet(s: LStmt): boolean {
  switch (s.k) {
    case "comment":
    case "fill":
      return true;
    case "assign":
      return cannotThrow(s.rhs) && (s.lhs.at === undefined || cannotThrow(s.lhs.at));
    case "target":
      return cannotThrow(s.e);
    case "for":
      return cannotThrow(s.lo) && cannotThrow(s.hi) && s.body.every(quiet);
    case "if":
      return cannotThrow(s.cond) && s.then.every(quiet) && s.otherwise.every(quiet);
    default:
      return false;
  }
}

function cannotThrow(e: SExpr): boolean {
  return callFree(e) && !hasCheckedDivision(e);
}

/** Structural equality of two expressions without calls (loop bounds against declared sizes). */
function sameExpr(a: SExpr, b: SExpr): boolean {
  return callFree(a) && callFree(b) && exprKey(a) === exprKey(b);
}

/** A text key of an expression's structure (variables by id; each call site is its own). */
function exprKey(e: SExpr): string {
  switch (e.k) {
    case "num":
      return e.isInt ? e.text : `${e.text}r`;
    case "read":
      return e.at === undefined ? `v${e.v.id}` : `v${e.v.id}[${exprKey(e.at)}]`;
    case "bin":
      return `(${exprKey(e.l)}${e.op}${exprKey(e.r)})`;
    case "neg":
      return `-(${exprKey(e.e)})`;
    case "not":
      return `!(${exprKey(e.e)})`;
    case "cond":
      return `(${exprKey(e.c)}?${exprKey(e.t)}:${exprKey(e.f)})`;
    case "call":
      return `call#${e.site}`;
    case "guard":
      return `guard(${exprKey(e.e)})`;
  }
}


/** Whether any element of a lazy value reads variable v (probe with a symbolic index). */
function readsVarAnywhere(v: ContainerValue, target: IrVar): boolean {
  const probe = v.at(num(0, true));
  let found = false;
  forEachRead(probe, (x) => {
    if (x === target) found = true;
  });
  return found;
}

function sameMap(lhs: ContainerValue, rhs: ContainerValue): boolean {
  // both whole views of the same variable, or rhs aligned over the same whole lhs
  return lhs.whole !== undefined && (rhs.aligned || rhs.whole === lhs.whole);
}

export function lowerProgram(program: Program<unknown>, source: string, options: LowerOptions): IrProgram {
  return new Lowerer(program, source, options).lower();
}

/**
 * A function's last statement `if (c) { return a; } else { return b; }` (nested the same way in
 * either branch) as `return c ? a : b;`, which inlines like any final return and, like the branches,
 * evaluates only the chosen side. brms writes its zero-inflated and hurdle densities this way.
 */
function returnsAsTernary(s: Stmt<unknown>): Stmt<unknown> {
  const single = (branch: Stmt<unknown> | undefined): Stmt<unknown> | undefined => {
    if (!branch) return undefined;
    const inner = branch.kind === "Block" ? (branch.stmts.length === 1 ? branch.stmts[0] : undefined) : branch;
    return inner ? returnsAsTernary(inner) : undefined;
  };
  if (s.kind !== "IfElse") return s;
  const then = single(s.then);
  const otherwise = single(s.otherwise);
  if (then?.kind !== "Return" || otherwise?.kind !== "Return" || !then.value || !otherwise.value) return s;
  const value: Expr<unknown> = { kind: "TernaryIf", meta: then.value.meta, condition: s.condition, then: then.value, otherwise: otherwise.value };
  return { kind: "Return", span: s.span, value };
}

/** True when every path through `s` ends in a `return` with a value. */
function endsInReturns(s: Stmt<unknown> | undefined): boolean {
  if (!s) return false;
  if (s.kind === "Return") return s.value !== undefined;
  if (s.kind === "Block") return endsInReturns(s.stmts[s.stmts.length - 1]);
  return s.kind === "IfElse" && endsInReturns(s.then) && endsInReturns(s.otherwise);
}

/** Name of the local a function's branches return through; `__` keeps it apart from Stan identifiers. */
const RETURNED = "returned__";

/**
 * A function whose last statement is an `if`/`else` that returns from branches doing more than
 * return (brms's gen_extreme_value density declares locals in one), for a scalar result that
 * `returnsAsTernary` could not fold: the branches assign one local declared before the `if`, which
 * is returned after it, so only the chosen branch runs, as in Stan.
 */
function returnsThroughLocal(stmts: readonly Stmt<unknown>[], returnType: StanType): readonly Stmt<unknown>[] {
  const last = stmts[stmts.length - 1];
  if (last?.kind !== "IfElse" || returnType.arrayDims !== 0 || (returnType.base !== "real" && returnType.base !== "int") || !endsInReturns(last)) return stmts;
  let meta: unknown;
  const rewrite = (s: Stmt<unknown>): Stmt<unknown> => {
    switch (s.kind) {
      case "Return":
        meta = s.value!.meta;
        return { kind: "Assign", span: s.span, lhs: { kind: "Variable", meta: s.value!.meta, name: RETURNED }, op: "=", rhs: s.value! };
      case "Block":
        return { ...s, stmts: [...s.stmts.slice(0, -1), rewrite(s.stmts[s.stmts.length - 1])] };
      case "IfElse":
        return { ...s, then: rewrite(s.then), otherwise: rewrite(s.otherwise!) };
      default:
        return s;
    }
  };
  const branches = rewrite(last);
  const declType = { typeName: returnType.base, base: returnType.base, sizes: [], arrayDims: [], transform: { kind: "none" } } as const;
  return [
    ...stmts.slice(0, -1),
    { kind: "VarDecl", span: last.span, name: RETURNED, nameSpan: last.span, declType },
    branches,
    { kind: "Return", span: last.span, value: { kind: "Variable", meta, name: RETURNED } },
  ];
}

/** Functions of a container's sizes only (their value is known at data load whatever the elements). */
const SIZE_FUNCTIONS: ReadonlySet<string> = new Set(["num_elements", "size", "rows", "cols"]);

/** Names the program assigns anywhere (`x = …`, `x[i] += …`), in any block or function body. */
function assignedNames(program: Program<unknown>): Set<string> {
  const out = new Set<string>();
  const root = (e: AnyExpr): string | undefined => (e.kind === "Variable" ? e.name : e.kind === "Indexed" ? root(e.target) : undefined);
  const visit = (s: Stmt<unknown> | undefined): void => {
    if (!s) return;
    switch (s.kind) {
      case "Assign": {
        const name = root(s.lhs);
        if (name) out.add(name);
        return;
      }
      case "For":
      case "ForEach":
      case "While":
        return visit(s.body);
      case "IfElse":
        visit(s.then);
        return visit(s.otherwise);
      case "Block":
      case "Profile":
        return s.stmts.forEach(visit);
      default:
        return;
    }
  };
  for (const f of program.functions?.defs ?? []) visit(f.body);
  for (const block of [program.transformedData, program.transformedParameters, program.model, program.generatedQuantities]) block?.stmts.forEach(visit);
  return out;
}
