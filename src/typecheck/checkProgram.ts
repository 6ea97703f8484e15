/**
 * The Stan type checker: untyped AST → typed AST (every expression gets its Stan type and whether it
 * depends on parameters; variables get their origin, calls their resolved signature, `~` statements
 * the density they call). Enforces scopes (no shadowing), block rules (who may assign what, where
 * `target`, `_rng`, `_lp`, `_lupdf` and `jacobian` are allowed), int → real promotion and function
 * signatures from the one signature table (`src/primitives/registry.ts`). Semantic errors throw a
 * located `CompileError` in stanc3's style; warnings go to the sink.
 */
import {
  INT,
  REAL,
  typeToString,
  type AdLevel,
  type BlockName,
  type DeclType,
  type Expr,
  type FunctionDef,
  type Index,
  type Program,
  type ProgramBlock,
  type StanType,
  type Stmt,
  type Transform,
  type Typed,
  type TypedProgram,
  type Untyped,
  type VarOrigin,
} from "../ast/ast";
import { assertNever } from "../common/assertNever";
import { closestName, DiagnosticSink, fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import {
  allFunctionNames,
  bestSignature,
  BINARY_OPERATOR_FUNCTIONS,
  lookupFunction,
  PREFIX_OPERATOR_FUNCTIONS,
  resolveCall,
  type FunctionSignature,
} from "../primitives/registry";
import {
  assignable,
  CDF_SUFFIXES,
  DENSITY_SUFFIXES,
  formatArgTypes,
  hasSuffix,
  indexedType,
  isIntScalar,
  isScalar,
  normalisedDensityName,
  type IndexShape,
} from "./typeRules";

type TExpr = Expr<Typed>;
type TStmt = Stmt<Typed>;

interface VarInfo {
  readonly name: string;
  readonly type: StanType;
  readonly origin: VarOrigin;
  /** Identifies the declaration across the repeated passes of the ad-level fixpoint. */
  readonly key: object;
  /** Data, parameters and ints have a fixed level; other variables become "param" when assigned one. */
  readonly fixedLevel?: AdLevel;
}

interface UserSignature extends FunctionSignature {
  readonly dataOnly: readonly boolean[];
  readonly span: Span;
  defined: boolean;
}

interface Context {
  readonly block: BlockName;
  /** Inside a user function body. */
  readonly fn?: { readonly name: string; readonly returnType: StanType };
  readonly loopDepth: number;
  /** Declarations here are the block's own variables (not locals). */
  readonly topLevel: boolean;
}

const MAX_LISTED_SIGNATURES = 6;

/** Words Stan reserves that the lexer still reads as identifiers (keywords are rejected by the grammar). */
const RESERVED_WORDS = new Set([
  "true",
  "false",
  "repeat",
  "until",
  "then",
  "var",
  "auto",
  "export",
  "extern",
  "static",
  "struct",
  "typedef",
  "column_stochastic_matrix",
  "row_stochastic_matrix",
  "sum_to_zero_matrix",
]);

export interface CheckOptions {
  /** Accept names ending in `__`: set only for programs a compiler pass rewrote. */
  readonly compilerNames?: boolean;
}

export function checkProgram(
  program: Program,
  warnings: DiagnosticSink = new DiagnosticSink(),
  options: CheckOptions = {},
): TypedProgram {
  return new ProgramChecker(warnings, options).check(program);
}

class ProgramChecker {
  private readonly scopes: Map<string, VarInfo>[] = [new Map()];
  private readonly userFunctions = new Map<string, UserSignature[]>();
  /** Keys of flow-typed variables known to hold parameter-dependent values. */
  private readonly paramVars = new Set<object>();
  private warnings: DiagnosticSink;

  constructor(
    private readonly sink: DiagnosticSink,
    private readonly options: CheckOptions = {},
  ) {
    this.warnings = sink;
  }

  check(program: Program): TypedProgram {
    const functions = program.functions
      ? { span: program.functions.span, defs: this.checkFunctions(program.functions.defs) }
      : undefined;
    const block = (
      b: ProgramBlock | undefined,
      name: BlockName,
    ): ProgramBlock<Typed> | undefined => (b ? this.checkProgramBlock(b, name) : undefined);
    const data = block(program.data, "data");
    const transformedData = block(program.transformedData, "transformed data");
    const parameters = block(program.parameters, "parameters");
    const transformedParameters = block(program.transformedParameters, "transformed parameters");
    // Model-block variables are local to the model block.
    const globalsBeforeModel = new Map(this.scopes[0]);
    const model = block(program.model, "model");
    this.scopes[0] = globalsBeforeModel;
    const generatedQuantities = block(program.generatedQuantities, "generated quantities");
    return {
      file: program.file,
      functions,
      data,
      transformedData,
      parameters,
      transformedParameters,
      model,
      generatedQuantities,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Errors

  private error(span: Span, message: string, notes?: readonly string[]): never {
    return fail("Semantic error", span, message, notes);
  }

  // -------------------------------------------------------------------------------------------
  // Scopes

  private lookup(name: string): VarInfo | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(name);
      if (v) return v;
    }
    return undefined;
  }

  private allVisibleNames(): string[] {
    const names: string[] = [];
    for (const s of this.scopes) names.push(...s.keys());
    return names;
  }

  /** `key` is the declaring AST node: stable across fixpoint passes, unique even without spans. */
  private declare(
    name: string,
    span: Span,
    info: Omit<VarInfo, "name" | "key">,
    key: object,
  ): VarInfo {
    if (RESERVED_WORDS.has(name)) {
      this.error(span, `'${name}' is a reserved word in Stan and cannot name a variable.`);
    }
    if (name.endsWith("__") && !this.options.compilerNames) {
      this.error(
        span,
        `Identifier '${name}' ends in '__', which is reserved for names the compiler makes.`,
      );
    }
    if (this.lookup(name)) {
      this.error(
        span,
        `Identifier '${name}' is already in use; Stan does not allow redeclaring or shadowing a variable.`,
      );
    }
    const v: VarInfo = { name, key, ...info };
    this.scopes[this.scopes.length - 1].set(name, v);
    return v;
  }

  private levelOf(v: VarInfo): AdLevel {
    if (v.fixedLevel) return v.fixedLevel;
    return this.paramVars.has(v.key) ? "param" : "data";
  }

  private withScope<T>(f: () => T): T {
    this.scopes.push(new Map());
    try {
      return f();
    } finally {
      this.scopes.pop();
    }
  }

  /**
   * Runs `f` until the set of parameter-dependent variables stops growing, so a read that comes
   * before (in source order) a loop-carried assignment of a parameter value is still marked "param".
   * Global declarations and warnings from discarded passes are rolled back.
   */
  private fixpoint<T>(f: () => T): T {
    for (;;) {
      const before = this.paramVars.size;
      const globals = new Map(this.scopes[0]);
      const depth = this.scopes.length;
      const passSink = new DiagnosticSink();
      const outer = this.warnings;
      this.warnings = passSink;
      let result: T;
      try {
        result = f();
      } finally {
        this.warnings = outer;
      }
      if (this.paramVars.size === before) {
        outer.warnings.push(...passSink.warnings);
        return result;
      }
      this.scopes[0] = globals;
      this.scopes.length = depth;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Functions block

  private checkFunctions(defs: readonly FunctionDef[]): FunctionDef<Typed>[] {
    for (const def of defs) this.registerFunction(def);
    for (const [name, sigs] of this.userFunctions) {
      const missing = sigs.find((s) => !s.defined);
      if (missing) this.error(missing.span, `Function '${name}' is declared but never defined.`);
    }
    return defs.map((def) => this.checkFunctionDef(def));
  }

  private registerFunction(def: FunctionDef): void {
    const { name } = def;
    const args = def.params.map((p) => p.type);
    this.checkSuffixRules(def);
    // A user function may not shadow a built-in that would accept the same arguments.
    if (lookupFunction(name) && resolveCall(name, args)) {
      this.error(
        def.nameSpan,
        `Function '${name}' is already defined by Stan for arguments ${formatArgTypes(args, false)}.`,
        ["Rename the function or change its argument types."],
      );
    }
    const seen = new Set<string>();
    for (const p of def.params) {
      if (seen.has(p.name))
        this.error(p.span, `Argument '${p.name}' of function '${name}' is declared twice.`);
      seen.add(p.name);
    }
    const sigs = this.userFunctions.get(name) ?? [];
    const same = sigs.find(
      (s) =>
        s.args.length === args.length &&
        s.args.every((a, i) => a.base === args[i].base && a.arrayDims === args[i].arrayDims),
    );
    if (same) {
      if (
        same.returnType.base !== def.returnType.base ||
        same.returnType.arrayDims !== def.returnType.arrayDims
      ) {
        this.error(
          def.nameSpan,
          `Function '${name}' was declared to return ${typeToString(same.returnType)} but is defined to return ${typeToString(def.returnType)}.`,
        );
      }
      if (same.defined && def.body) {
        this.error(
          def.nameSpan,
          `Function '${name}' is already defined for arguments ${formatArgTypes(args, false)}.`,
        );
      }
      if (!def.body) {
        this.error(
          def.nameSpan,
          `Function '${name}' is already declared for arguments ${formatArgTypes(args, false)}.`,
        );
      }
      same.defined = true;
      return;
    }
    sigs.push({
      args,
      returnType: def.returnType,
      dataOnly: def.params.map((p) => p.dataOnly),
      dataOnlyArgs: def.params.flatMap((p, i) => (p.dataOnly ? [i] : [])),
      span: def.nameSpan,
      defined: def.body !== undefined,
    });
    this.userFunctions.set(name, sigs);
  }

  private checkSuffixRules(def: FunctionDef): void {
    const { name, returnType, params } = def;
    const first = params[0]?.type;
    const mustReturnReal = (what: string): void => {
      if (returnType.base !== "real" || returnType.arrayDims !== 0) {
        this.error(
          def.nameSpan,
          `Functions ending in '${what}' must return real, but '${name}' returns ${typeToString(returnType)}.`,
        );
      }
    };
    if (name.endsWith("_lcdf") || name.endsWith("_lccdf") || name.endsWith("_cdf")) {
      // CDFs serve discrete and continuous distributions alike: any variate type.
      mustReturnReal(name.slice(name.lastIndexOf("_")));
      if (!first) {
        this.error(def.nameSpan, `'${name}' needs the variate as its first argument.`);
      }
    } else if (name.endsWith("_lpdf")) {
      mustReturnReal("_lpdf");
      if (!first || first.base === "int") {
        this.error(
          def.nameSpan,
          `Probability density functions need a real-valued first argument (the variate), but '${name}' ${first ? "takes " + typeToString(first) : "has no arguments"}.`,
        );
      }
    } else if (name.endsWith("_lpmf")) {
      mustReturnReal("_lpmf");
      if (!first || first.base !== "int") {
        this.error(
          def.nameSpan,
          `Probability mass functions need an integer first argument (the variate), but '${name}' ${first ? "takes " + typeToString(first) : "has no arguments"}.`,
        );
      }
    } else if (name.endsWith("_lupdf") || name.endsWith("_lupmf")) {
      this.error(
        def.nameSpan,
        `User-defined functions cannot end in '_lupdf' or '_lupmf'; define '${normalisedDensityName(name)}' and call it as '${name}'.`,
      );
    }
  }

  private checkFunctionDef(def: FunctionDef): FunctionDef<Typed> {
    if (!def.body) return { ...def, body: undefined };
    const body = def.body;
    const ctx: Context = {
      block: "model",
      fn: { name: def.name, returnType: def.returnType },
      loopDepth: 0,
      topLevel: false,
    };
    const typedBody = this.fixpoint(() =>
      this.withScope(() => {
        for (const p of def.params) {
          this.declare(
            p.name,
            p.span,
            {
              type: p.type,
              origin: "function argument",
              fixedLevel: p.dataOnly || p.type.base === "int" ? "data" : "param",
            },
            p,
          );
        }
        return this.checkStmt(body, ctx);
      }),
    );
    if (def.returnType.base !== "void" && !alwaysReturns(body)) {
      this.error(
        def.nameSpan,
        `Function '${def.name}' may end without returning a value; every path must end in 'return' of type ${typeToString(def.returnType)}.`,
      );
    }
    return { ...def, body: typedBody };
  }

  // -------------------------------------------------------------------------------------------
  // Program blocks

  private checkProgramBlock(b: ProgramBlock, block: BlockName): ProgramBlock<Typed> {
    const ctx: Context = { block, loopDepth: 0, topLevel: true };
    const stmts = this.fixpoint(() => b.stmts.map((s) => this.checkStmt(s, ctx)));
    return { span: b.span, stmts };
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  private checkStmt(s: Stmt, ctx: Context): TStmt {
    switch (s.kind) {
      case "VarDecl":
        return this.checkVarDecl(s, ctx);
      case "Assign":
        return this.checkAssign(s, ctx);
      case "Tilde":
        return this.checkTilde(s, ctx);
      case "TargetPlus": {
        if (!targetAccessible(ctx)) {
          this.error(
            s.span,
            "'target +=' is only allowed in the model block or in functions whose names end in '_lp'.",
          );
        }
        const expr = this.checkExpr(s.expr, ctx);
        this.requireRealValued(expr, "'target +=' needs a real value or a container of reals");
        return { ...s, expr };
      }
      case "JacobianPlus": {
        // Before Stan 2.36 `jacobian` was an ordinary name: with such a variable in scope this is `+=`.
        const userVariable = this.lookup("jacobian");
        if (userVariable) {
          const lhs: Expr = { kind: "Variable", meta: { span: s.span }, name: "jacobian" };
          return this.checkAssign(
            { kind: "Assign", span: s.span, lhs, op: "+=", rhs: s.expr },
            ctx,
          );
        }
        if (
          !(ctx.fn ? ctx.fn.name.endsWith("_jacobian") : ctx.block === "transformed parameters")
        ) {
          this.error(
            s.span,
            "'jacobian +=' is only allowed in the transformed parameters block or in functions whose names end in '_jacobian'.",
          );
        }
        const expr = this.checkExpr(s.expr, ctx);
        this.requireRealValued(expr, "'jacobian +=' needs a real value or a container of reals");
        return { ...s, expr };
      }
      case "For": {
        const lower = this.checkExpr(s.lower, ctx);
        const upper = this.checkExpr(s.upper, ctx);
        for (const e of [lower, upper]) {
          if (!isIntScalar(e.meta.type))
            this.error(
              e.meta.span,
              `The bounds of a for loop must be int, found ${typeToString(e.meta.type)}.`,
            );
        }
        const inner: Context = { ...ctx, loopDepth: ctx.loopDepth + 1, topLevel: false };
        const body = this.withScope(() => {
          this.declare(s.variable, s.span, { type: INT, origin: "loop", fixedLevel: "data" }, s);
          return this.checkStmt(s.body, inner);
        });
        return { ...s, lower, upper, body };
      }
      case "ForEach": {
        const collection = this.checkExpr(s.collection, ctx);
        const t = collection.meta.type;
        let element: StanType;
        if (t.arrayDims > 0) element = { base: t.base, arrayDims: t.arrayDims - 1 };
        else if (t.base === "vector" || t.base === "row_vector" || t.base === "matrix")
          element = REAL;
        else
          return this.error(
            collection.meta.span,
            `A foreach loop needs an array, vector or matrix to loop over, found ${typeToString(t)}.`,
          );
        const inner: Context = { ...ctx, loopDepth: ctx.loopDepth + 1, topLevel: false };
        const body = this.withScope(() => {
          this.declare(
            s.variable,
            s.span,
            {
              type: element,
              origin: "loop",
              fixedLevel: element.base === "int" ? "data" : collection.meta.adLevel,
            },
            s,
          );
          return this.checkStmt(s.body, inner);
        });
        return { ...s, collection, body };
      }
      case "While": {
        const condition = this.checkCondition(s.condition, ctx);
        const body = this.withScope(() =>
          this.checkStmt(s.body, { ...ctx, loopDepth: ctx.loopDepth + 1, topLevel: false }),
        );
        return { ...s, condition, body };
      }
      case "IfElse": {
        const condition = this.checkCondition(s.condition, ctx);
        const inner: Context = { ...ctx, topLevel: false };
        const then = this.withScope(() => this.checkStmt(s.then, inner));
        const otherwise = s.otherwise
          ? this.withScope(() => this.checkStmt(s.otherwise as Stmt, inner))
          : undefined;
        return { ...s, condition, then, otherwise };
      }
      case "Break":
      case "Continue":
        if (ctx.loopDepth === 0)
          this.error(
            s.span,
            `'${s.kind === "Break" ? "break" : "continue"}' is only allowed inside a loop.`,
          );
        return s;
      case "Return":
        return this.checkReturn(s, ctx);
      case "Print":
      case "Reject":
      case "FatalError":
        return { ...s, args: s.args.map((a) => this.checkExpr(a, ctx, true)) };
      case "Block":
        return {
          ...s,
          stmts: this.withScope(() =>
            s.stmts.map((x) => this.checkStmt(x, { ...ctx, topLevel: false })),
          ),
        };
      case "Profile":
        return {
          ...s,
          stmts: this.withScope(() =>
            s.stmts.map((x) => this.checkStmt(x, { ...ctx, topLevel: false })),
          ),
        };
      case "CallStmt": {
        const call = this.checkCall(s.call, ctx, true);
        if (call.kind !== "FunctionCall")
          throw new Error("internal error: call statement lost its call");
        return { ...s, call };
      }
      default:
        return assertNever(s, "statement");
    }
  }

  private checkCondition(e: Expr, ctx: Context): TExpr {
    const c = this.checkExpr(e, ctx);
    if (!isScalar(c.meta.type))
      this.error(
        c.meta.span,
        `A condition must be int or real, found ${typeToString(c.meta.type)}.`,
      );
    return c;
  }

  private requireRealValued(e: TExpr, what: string): void {
    const b = e.meta.type.base;
    if (b !== "int" && b !== "real" && b !== "vector" && b !== "row_vector" && b !== "matrix") {
      this.error(e.meta.span, `${what}, found ${typeToString(e.meta.type)}.`);
    }
  }

  private checkReturn(s: Extract<Stmt, { kind: "Return" }>, ctx: Context): TStmt {
    if (!ctx.fn) this.error(s.span, "'return' is only allowed inside a function body.");
    const want = ctx.fn.returnType;
    if (!s.value) {
      if (want.base !== "void")
        this.error(
          s.span,
          `Function '${ctx.fn.name}' must return a value of type ${typeToString(want)}.`,
        );
      return { ...s, value: undefined };
    }
    const value = this.checkExpr(s.value, ctx);
    if (want.base === "void")
      this.error(
        value.meta.span,
        `Function '${ctx.fn.name}' is declared void and cannot return a value.`,
      );
    if (!assignable(value.meta.type, want)) {
      this.error(
        value.meta.span,
        `Function '${ctx.fn.name}' must return ${typeToString(want)}, but this returns ${typeToString(value.meta.type)}.`,
      );
    }
    return { ...s, value };
  }

  // -------------------------------------------------------------------------------------------
  // Declarations

  private checkVarDecl(s: Extract<Stmt, { kind: "VarDecl" }>, ctx: Context): TStmt {
    const d = s.declType;
    const isLocal = !ctx.topLevel || ctx.fn !== undefined || ctx.block === "model";
    if (isLocal && (d.transform.kind !== "none" || d.typeName !== baseTypeName(d.base))) {
      this.error(
        s.span,
        `Local variable '${s.name}' cannot have a constraint; bounds, offset/multiplier and constrained types such as simplex are only allowed on block-level variables.`,
      );
    }
    if (
      (ctx.block === "parameters" || ctx.block === "transformed parameters") &&
      !isLocal &&
      d.base === "int"
    ) {
      this.error(
        s.span,
        `Parameters cannot be integers: '${s.name}' is declared int in the ${ctx.block} block.`,
      );
    }
    const sizes = d.sizes.map((e) => this.checkSize(e, ctx));
    const arrayDims = d.arrayDims.map((e) => this.checkSize(e, ctx));
    if (!isLocal) {
      // Block-level sizes are fixed when the data is read: they may only use data.
      for (const size of [...sizes, ...arrayDims]) {
        const offender = nonDataVariable(size);
        if (offender) {
          this.error(
            offender.meta.span,
            `The size of '${s.name}' may only use data, but '${offender.name}' is declared in the ${offender.meta.origin} block.`,
          );
        }
      }
    }
    const type: StanType = { base: d.base, arrayDims: d.arrayDims.length };
    const transform = this.checkTransform(d.transform, type, ctx);
    const origin: VarOrigin = isLocal
      ? ctx.block === "model" && ctx.topLevel && !ctx.fn
        ? "model"
        : "local"
      : (ctx.block as Exclude<BlockName, "functions">);
    let fixedLevel: AdLevel | undefined;
    if (type.base === "int" || origin === "data" || origin === "transformed data")
      fixedLevel = "data";
    else if (origin === "parameters" || origin === "transformed parameters") fixedLevel = "param";
    // Declared before its initialiser is checked: stanc3 accepts `real x = x;`.
    const v = this.declare(s.name, s.nameSpan, { type, origin, fixedLevel }, s);
    const init = s.init ? this.checkExpr(s.init, ctx) : undefined;
    if (init && !assignable(init.meta.type, type)) {
      this.error(
        init.meta.span,
        `Cannot initialise '${s.name}' of type ${typeToString(type)} with a value of type ${typeToString(init.meta.type)}.`,
      );
    }
    if (!fixedLevel && init?.meta.adLevel === "param") this.paramVars.add(v.key);
    const declType: DeclType<Typed> = { ...d, sizes, arrayDims, transform };
    return { ...s, declType, init };
  }

  private checkSize(e: Expr, ctx: Context): TExpr {
    const t = this.checkExpr(e, ctx);
    if (!isIntScalar(t.meta.type))
      this.error(t.meta.span, `A size must be an int, found ${typeToString(t.meta.type)}.`);
    return t;
  }

  private checkTransform(t: Transform, declared: StanType, ctx: Context): Transform<Typed> {
    const bound = (e: Expr, what: string): TExpr => {
      const b = this.checkExpr(e, ctx);
      const bt = b.meta.type;
      const elementOk = isScalar(bt);
      const sameShape =
        bt.arrayDims === declared.arrayDims &&
        (bt.base === declared.base || (bt.base === "int" && declared.base === "real"));
      if (!elementOk && !sameShape) {
        this.error(
          b.meta.span,
          `The ${what} of a ${typeToString(declared)} must be a real or a ${typeToString(declared)}, found ${typeToString(bt)}.`,
        );
      }
      if (declared.base === "int" && bt.base !== "int") {
        this.error(b.meta.span, `The ${what} of an int must be an int, found ${typeToString(bt)}.`);
      }
      return b;
    };
    switch (t.kind) {
      case "lower":
        return { kind: "lower", lower: bound(t.lower, "lower bound") };
      case "upper":
        return { kind: "upper", upper: bound(t.upper, "upper bound") };
      case "lowerUpper":
        return {
          kind: "lowerUpper",
          lower: bound(t.lower, "lower bound"),
          upper: bound(t.upper, "upper bound"),
        };
      case "offsetMultiplier":
        return {
          kind: "offsetMultiplier",
          offset: t.offset ? bound(t.offset, "offset") : undefined,
          multiplier: t.multiplier ? bound(t.multiplier, "multiplier") : undefined,
        };
      default:
        return t;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Assignment and sampling

  private checkAssign(s: Extract<Stmt, { kind: "Assign" }>, ctx: Context): TStmt {
    const root = rootVariable(s.lhs);
    const v = this.lookup(root.name);
    if (!v) this.unknownIdentifier(root.name, root.meta.span);
    if (!this.writable(v, ctx)) {
      const why =
        v.origin === "loop"
          ? `'${v.name}' is a loop variable and cannot be assigned.`
          : v.origin === "function argument"
            ? `'${v.name}' is a function argument and cannot be assigned.`
            : `Cannot assign to '${v.name}': it is declared in the ${v.origin} block and is read-only ${v.origin === "data" || v.origin === "parameters" ? "everywhere" : "outside that block"}.`;
      this.error(root.meta.span, why);
    }
    const lhs = this.checkExpr(s.lhs, ctx);
    checkNoNestedMultiIndex(lhs, (span) =>
      this.error(
        span,
        "The left-hand side of an assignment cannot index again after a multi-index or slice; write a single index list such as 'y[:, 1]'.",
      ),
    );
    const rhs = this.checkExpr(s.rhs, ctx);
    const lt = lhs.meta.type;
    const rt = rhs.meta.type;
    if (s.op === "=") {
      if (!assignable(rt, lt)) {
        this.error(
          rhs.meta.span,
          `Cannot assign a value of type ${typeToString(rt)} to '${printLhs(s.lhs)}' of type ${typeToString(lt)}.`,
        );
      }
    } else {
      const fn = compoundFunction(s.op);
      const sig = resolveCall(fn, [lt, rt]);
      if (!sig || sig.returnType.base !== lt.base || sig.returnType.arrayDims !== lt.arrayDims) {
        this.error(
          s.span,
          `Compound assignment '${s.op}' is not defined for ${typeToString(lt)} and ${typeToString(rt)}.`,
        );
      }
    }
    if (rhs.meta.adLevel === "param" && !v.fixedLevel) this.paramVars.add(v.key);
    if (rhs.meta.adLevel === "param" && v.fixedLevel === "data" && v.type.base !== "int") {
      this.error(
        rhs.meta.span,
        `'${v.name}' holds data (declared in the ${v.origin} block) but is assigned a value that depends on parameters.`,
      );
    }
    return { ...s, lhs, rhs };
  }

  private writable(v: VarInfo, ctx: Context): boolean {
    switch (v.origin) {
      case "data":
      case "parameters":
      case "loop":
      case "function argument":
        return false;
      case "transformed data":
      case "transformed parameters":
      case "generated quantities":
        return !ctx.fn && ctx.block === v.origin;
      case "model":
      case "local":
        return true;
      default:
        return assertNever(v.origin, "variable origin");
    }
  }

  private checkTilde(s: Extract<Stmt, { kind: "Tilde" }>, ctx: Context): TStmt {
    if (!targetAccessible(ctx)) {
      this.error(
        s.span,
        "'~' statements are only allowed in the model block or in functions whose names end in '_lp'.",
      );
    }
    const dist = s.distribution;
    if (hasSuffix(dist, [...DENSITY_SUFFIXES, ...CDF_SUFFIXES])) {
      const base = dist.replace(/_(lpdf|lupdf|lpmf|lupmf|cdf|lcdf|lccdf)$/, "");
      this.error(
        s.distributionSpan,
        `A '~' statement names the distribution without a suffix: write '~ ${base}(…)', or 'target += ${dist}(…)'.`,
      );
    }
    const lhs = this.checkExpr(s.lhs, ctx);
    if (lhs.meta.adLevel === "param" && !isPlainVariable(lhs)) {
      this.warnings.warn(
        lhs.meta.span,
        "The left of '~' transforms a parameter-dependent value; if the transform is not linear, the density needs a 'target +=' of the log absolute Jacobian determinant.",
      );
    }
    const args = s.args.map((a) => this.checkExpr(a, ctx));
    const argTypes = [lhs.meta.type, ...args.map((a) => a.meta.type)];
    const candidates = [`${dist}_lpdf`, `${dist}_lpmf`];
    let resolvedName: string | undefined;
    for (const name of candidates) {
      if (this.userFunctions.has(name) || lookupFunction(name)) {
        resolvedName = name;
        break;
      }
    }
    if (!resolvedName) {
      const known = [...this.userFunctions.keys(), ...allFunctionNames()]
        .filter((n) => n.endsWith("_lpdf") || n.endsWith("_lpmf"))
        .map((n) => n.replace(/_lp[dm]f$/, ""));
      const guess = closestName(dist, known);
      this.error(
        s.distributionSpan,
        `Unknown distribution '${dist}': neither '${dist}_lpdf' nor '${dist}_lpmf' is defined.`,
        guess ? [`Did you mean '${guess}'?`] : undefined,
      );
    }
    const resolved = this.resolve(resolvedName, argTypes);
    if (!resolved) this.noSignature(resolvedName, argTypes, true, s.distributionSpan);
    this.rejectUnsupported(resolvedName, resolved, s.distributionSpan);
    this.checkDataOnlyArgs(resolvedName, resolved, [lhs, ...args], ctx);
    let truncation: { lower?: TExpr; upper?: TExpr } | undefined;
    if (s.truncation) {
      const lower = s.truncation.lower ? this.checkExpr(s.truncation.lower, ctx) : undefined;
      const upper = s.truncation.upper ? this.checkExpr(s.truncation.upper, ctx) : undefined;
      const paramTypes = args.map((a) => a.meta.type);
      for (const [bound, suffix] of [
        [lower, "_lccdf"],
        [upper, "_lcdf"],
      ] as const) {
        if (!bound) continue;
        if (!isScalar(bound.meta.type))
          this.error(
            bound.meta.span,
            `A truncation bound must be int or real, found ${typeToString(bound.meta.type)}.`,
          );
        const cdf = `${dist}${suffix}`;
        const resolvedCdf = this.resolve(cdf, [bound.meta.type, ...paramTypes]);
        if (resolvedCdf) this.rejectUnsupported(cdf, resolvedCdf, s.distributionSpan);
        else {
          this.error(
            s.distributionSpan,
            `Truncation needs '${cdf}' for these arguments, but it is not defined.`,
            [`Arguments: ${formatArgTypes([bound.meta.type, ...paramTypes], true)}.`],
          );
        }
      }
      truncation = { lower, upper };
    }
    return { ...s, lhs, args, truncation, resolvedName };
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  /**
   * A binary operation. A long sum (`a + b + c + …`) is a tree as deep as it has terms, leaning
   * left: its left spine is walked with a loop, so a 10,000-term sum does not take 10,000
   * `checkExpr` frames. Operands are checked in the same order as by recursion (left before right).
   */
  private checkBinaryChain(e: Extract<Expr, { kind: "BinaryOp" }>, ctx: Context): TExpr {
    const spine: Extract<Expr, { kind: "BinaryOp" }>[] = [e];
    let leftmost: Expr = e.left;
    while (leftmost.kind === "BinaryOp") {
      spine.push(leftmost);
      leftmost = leftmost.left;
    }
    let left = this.checkExpr(leftmost, ctx);
    for (let i = spine.length - 1; i >= 0; i--) left = this.checkBinary(spine[i], left, this.checkExpr(spine[i].right, ctx));
    return left;
  }

  /** A binary operation whose operands are checked. */
  private checkBinary(e: Extract<Expr, { kind: "BinaryOp" }>, left: TExpr, right: TExpr): TExpr {
    const fn = BINARY_OPERATOR_FUNCTIONS[e.op];
    const argTypes = [left.meta.type, right.meta.type];
    const sig = resolveCall(fn, argTypes);
    if (!sig) {
      this.error(
        e.meta.span,
        `Operator '${e.op}' is not defined for operands of type ${typeToString(argTypes[0])} and ${typeToString(argTypes[1])}.`,
        operatorHint(e.op, argTypes),
      );
    }
    // an operator whose function stan2ts cannot compile is rejected like a call of it
    const why = lookupFunction(fn)?.unsupported;
    if (why !== undefined) this.error(e.meta.span, `stan2ts cannot compile the operator '${e.op}' (${fn}) yet: ${why}.`);
    if (e.op === "/" && isIntScalar(argTypes[0]) && isIntScalar(argTypes[1])) {
      this.warnings.warn(
        e.meta.span,
        "Integer division rounds towards zero; write '%/%' to make that explicit, or multiply by 1.0 for real division.",
      );
    }
    return {
      ...e,
      left,
      right,
      meta: typed(e.meta, sig.returnType, joinLevels(sig.returnType, left, right)),
    };
  }

  private checkExpr(e: Expr, ctx: Context, allowString = false): TExpr {
    switch (e.kind) {
      case "IntLiteral":
        // Stan's int is 32-bit; the literal's text is kept, so the check is on its digits.
        const digits = e.text.replace(/_/g, "").replace(/^0+(?=\d)/, "");
        if (digits.length > 10 || Number(digits) > 2147483647) {
          this.error(
            e.meta.span,
            `Integer literal ${e.text} is larger than the largest int, 2147483647; write it as a real (${e.text}.0) if that is what you mean.`,
          );
        }
        return { ...e, meta: typed(e.meta, INT, "data") };
      case "RealLiteral":
        return { ...e, meta: typed(e.meta, REAL, "data") };
      case "StringLiteral":
        if (!allowString)
          this.error(
            e.meta.span,
            "Strings are only allowed as arguments of print, reject and fatal_error.",
          );
        return { ...e, meta: typed(e.meta, { base: "string", arrayDims: 0 }, "data") };
      case "Variable": {
        const v = this.lookup(e.name);
        if (!v) {
          if (this.userFunctions.has(e.name) || lookupFunction(e.name)) {
            this.error(
              e.meta.span,
              `'${e.name}' is a function; call it with parentheses, e.g. '${e.name}(…)'.`,
            );
          }
          this.unknownIdentifier(e.name, e.meta.span);
        }
        return { ...e, meta: { ...typed(e.meta, v.type, this.levelOf(v)), origin: v.origin } };
      }
      case "FunctionCall":
        return this.checkCall(e, ctx, false);
      case "BinaryOp":
        return this.checkBinaryChain(e, ctx);
      case "PrefixOp": {
        const operand = this.checkExpr(e.operand, ctx);
        const sig = resolveCall(PREFIX_OPERATOR_FUNCTIONS[e.op], [operand.meta.type]);
        if (!sig)
          this.error(
            e.meta.span,
            `Prefix operator '${e.op}' is not defined for an operand of type ${typeToString(operand.meta.type)}.`,
          );
        return {
          ...e,
          operand,
          meta: typed(e.meta, sig.returnType, joinLevels(sig.returnType, operand)),
        };
      }
      case "Transpose": {
        const operand = this.checkExpr(e.operand, ctx);
        const sig = resolveCall("transpose", [operand.meta.type]);
        if (!sig)
          this.error(
            e.meta.span,
            `Transposition (') needs a vector, row_vector or matrix, found ${typeToString(operand.meta.type)}.`,
          );
        return {
          ...e,
          operand,
          meta: typed(e.meta, sig.returnType, joinLevels(sig.returnType, operand)),
        };
      }
      case "TernaryIf": {
        const condition = this.checkCondition(e.condition, ctx);
        if (!isIntScalar(condition.meta.type)) {
          this.error(
            condition.meta.span,
            `The condition of '?:' must be an int, found ${typeToString(condition.meta.type)}.`,
          );
        }
        const then = this.checkExpr(e.then, ctx);
        const otherwise = this.checkExpr(e.otherwise, ctx);
        const t = unifyTypes(then.meta.type, otherwise.meta.type);
        if (!t) {
          this.error(
            e.meta.span,
            `The branches of '?:' must have the same type, found ${typeToString(then.meta.type)} and ${typeToString(otherwise.meta.type)}.`,
          );
        }
        return {
          ...e,
          condition,
          then,
          otherwise,
          meta: typed(e.meta, t, joinLevels(t, condition, then, otherwise)),
        };
      }
      case "Indexed": {
        const target = this.checkExpr(e.target, ctx);
        const shapes: IndexShape[] = [];
        const indices = e.indices.map((i) => {
          const [typedIndex, shape] = this.checkIndex(i, ctx);
          shapes.push(shape);
          return typedIndex;
        });
        const t = indexedType(target.meta.type, shapes);
        if (typeof t === "string") this.error(e.meta.span, t);
        let level = target.meta.adLevel;
        for (const i of indices) if (indexLevel(i) === "param") level = "param";
        return { ...e, target, indices, meta: typed(e.meta, t, t.base === "int" ? "data" : level) };
      }
      case "ArrayLiteral": {
        const elements = e.elements.map((x) => this.checkExpr(x, ctx));
        let t: StanType | undefined = elements[0].meta.type;
        for (const x of elements) {
          t = t && unifyTypes(t, x.meta.type);
          if (!t)
            this.error(
              x.meta.span,
              `The elements of an array literal must have one type; found ${typeToString(elements[0].meta.type)} and ${typeToString(x.meta.type)}.`,
            );
        }
        const type: StanType = { base: t.base, arrayDims: t.arrayDims + 1 };
        return { ...e, elements, meta: typed(e.meta, type, joinLevels(type, ...elements)) };
      }
      case "RowVectorLiteral": {
        const elements = e.elements.map((x) => this.checkExpr(x, ctx));
        // `[]` is an empty row vector.
        const allScalar = elements.every((x) => isScalar(x.meta.type));
        const allRows = elements.every(
          (x) => x.meta.type.base === "row_vector" && x.meta.type.arrayDims === 0,
        );
        if (!allScalar && !allRows) {
          this.error(
            e.meta.span,
            "The elements of '[…]' must all be int/real (a row_vector) or all row_vector (a matrix).",
          );
        }
        const type: StanType = { base: allScalar ? "row_vector" : "matrix", arrayDims: 0 };
        return { ...e, elements, meta: typed(e.meta, type, joinLevels(type, ...elements)) };
      }
      case "Paren": {
        const inner = this.checkExpr(e.inner, ctx, allowString);
        return {
          ...e,
          inner,
          meta: { ...inner.meta, span: e.meta.span, origin: undefined, signature: undefined },
        };
      }
      default:
        return assertNever(e, "expression");
    }
  }

  private checkIndex(i: Index, ctx: Context): [Index<Typed>, IndexShape] {
    const intIndex = (e: Expr, allowMulti: boolean): TExpr => {
      const t = this.checkExpr(e, ctx);
      const ty = t.meta.type;
      if (isIntScalar(ty)) return t;
      if (allowMulti && ty.base === "int" && ty.arrayDims === 1) return t;
      return this.error(
        t.meta.span,
        `An index must be an int${allowMulti ? " or an array[] int" : ""}, found ${typeToString(ty)}.`,
      );
    };
    switch (i.kind) {
      case "Single": {
        const expr = intIndex(i.expr, true);
        return [{ kind: "Single", expr }, expr.meta.type.arrayDims === 0 ? "single" : "multi"];
      }
      case "All":
        return [i, "multi"];
      case "Upfrom":
        return [{ kind: "Upfrom", lower: intIndex(i.lower, false) }, "multi"];
      case "Downfrom":
        return [{ kind: "Downfrom", upper: intIndex(i.upper, false) }, "multi"];
      case "Between":
        return [
          { kind: "Between", lower: intIndex(i.lower, false), upper: intIndex(i.upper, false) },
          "multi",
        ];
      default:
        return assertNever(i, "index");
    }
  }

  private unknownIdentifier(name: string, span: Span): never {
    const guess = closestName(
      name,
      this.allVisibleNames(),
      Math.min(3, Math.max(1, Math.floor(name.length / 3))),
    );
    return this.error(
      span,
      `Identifier '${name}' not in scope.`,
      guess ? [`Did you mean '${guess}'?`] : undefined,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Calls

  private checkCall(
    e: Extract<Expr, { kind: "FunctionCall" }>,
    ctx: Context,
    asStatement: boolean,
  ): TExpr {
    const { name } = e;
    const isDensity = hasSuffix(name, DENSITY_SUFFIXES);
    const isCdf = hasSuffix(name, CDF_SUFFIXES);
    if (e.conditional && !isDensity && !isCdf) {
      this.error(
        e.nameSpan,
        `Only functions whose names end in _lpdf, _lupdf, _lpmf, _lupmf, _cdf, _lcdf or _lccdf take the conditional '|' form; '${name}' does not.`,
      );
    }
    if (isDensity && !e.conditional && e.args.length > 1) {
      this.error(
        e.nameSpan,
        `Probability functions need a vertical bar between the variate and the parameters: write '${name}(y | …)'.`,
      );
    }
    if (name === "target" && e.args.length === 0 && !targetReadable(ctx)) {
      this.error(
        e.nameSpan,
        "'target()' is only available in the model and transformed parameters blocks and in functions whose names end in '_lp'.",
      );
    }
    if (name.endsWith("_rng") && !rngAllowed(ctx)) {
      this.error(
        e.nameSpan,
        `Random number generators ('${name}') are only allowed in transformed data, generated quantities, and functions whose names end in '_rng'.`,
      );
    }
    if (name.endsWith("_lp") && !targetReadable(ctx)) {
      this.error(
        e.nameSpan,
        `Functions ending in '_lp' ('${name}') can only be called in the model and transformed parameters blocks or in other '_lp' functions.`,
      );
    }
    if ((name.endsWith("_lupdf") || name.endsWith("_lupmf")) && !lupdfAllowed(ctx)) {
      this.error(
        e.nameSpan,
        `Unnormalised densities ('${name}') can only be used in the model block or in functions ending in '_lpdf' or '_lpmf'; use '${normalisedDensityName(name)}' here.`,
      );
    }
    const known =
      this.userFunctions.has(name) ||
      this.userFunctions.has(normalisedDensityName(name)) ||
      lookupFunction(name);
    if (!known) {
      const removed = removedFunctionHint(
        name,
        (n) => this.userFunctions.has(n) || lookupFunction(n) !== undefined,
      );
      const guess = closestName(name, [...this.userFunctions.keys(), ...allFunctionNames()]);
      this.error(
        e.nameSpan,
        `Unknown function '${name}'.`,
        removed ? [removed] : guess ? [`Did you mean '${guess}'?`] : undefined,
      );
    }
    const args = e.args.map((a) => this.checkExpr(a, ctx));
    const argTypes = args.map((a) => a.meta.type);
    const resolved = this.resolve(name, argTypes);
    if (!resolved) this.noSignature(name, argTypes, e.conditional, e.nameSpan);
    this.rejectUnsupported(name, resolved, e.nameSpan);
    this.checkDataOnlyArgs(name, resolved, args, ctx);
    const ret = resolved.sig.returnType;
    if (asStatement && ret.base !== "void") {
      this.error(
        e.meta.span,
        `Function '${name}' returns ${typeToString(ret)}; its value must be used (only void functions can be called as statements).`,
      );
    }
    if (!asStatement && ret.base === "void") {
      this.error(e.meta.span, `Function '${name}' returns void and cannot be used as a value.`);
    }
    let level: AdLevel = args.some((a) => a.meta.adLevel === "param") ? "param" : "data";
    if (name === "target" || name.endsWith("_lp")) level = "param";
    if (ret.base === "int" || ret.base === "void") level = "data";
    return {
      ...e,
      args,
      meta: {
        ...typed(e.meta, ret, level),
        signature: { source: resolved.source, returnType: ret, argTypes: resolved.sig.args },
      },
    };
  }

  private resolve(
    name: string,
    argTypes: readonly StanType[],
  ): { sig: FunctionSignature; source: "user" | "builtin" } | undefined {
    const user =
      this.userFunctions.get(name) ?? this.userFunctions.get(normalisedDensityName(name));
    if (user) {
      const sig = bestSignature(user, argTypes);
      if (sig) return { sig, source: "user" };
    }
    const sig = resolveCall(name, argTypes);
    return sig ? { sig, source: "builtin" } : undefined;
  }

  /** A Stan built-in stan2ts has registered but cannot compile yet is rejected at its call. */
  private rejectUnsupported(name: string, resolved: { readonly source: "user" | "builtin" }, span: Span): void {
    if (resolved.source !== "builtin") return;
    const why = lookupFunction(name)?.unsupported;
    if (why !== undefined) this.error(span, `stan2ts cannot compile the Stan function '${name}' yet: ${why}.`);
  }

  private checkDataOnlyArgs(
    name: string,
    resolved: { sig: FunctionSignature },
    args: readonly TExpr[],
    ctx: Context,
  ): void {
    // In transformed data and generated quantities every value is a plain number.
    if (!ctx.fn && (ctx.block === "generated quantities" || ctx.block === "transformed data"))
      return;
    for (const i of resolved.sig.dataOnlyArgs ?? []) {
      const a = args[i];
      if (a && a.meta.adLevel === "param") {
        this.error(
          a.meta.span,
          `Argument ${i + 1} of '${name}' must be data-only, but this expression depends on parameters.`,
        );
      }
    }
  }

  private noSignature(
    name: string,
    argTypes: readonly StanType[],
    conditional: boolean,
    span: Span,
  ): never {
    const sigs: readonly FunctionSignature[] =
      this.userFunctions.get(name) ??
      this.userFunctions.get(normalisedDensityName(name)) ??
      lookupFunction(name)?.signatures ??
      [];
    const density = hasSuffix(name, [...DENSITY_SUFFIXES, ...CDF_SUFFIXES]);
    const listed = sigs
      .slice(0, MAX_LISTED_SIGNATURES)
      .map((s) => `  ${name}${formatArgTypes(s.args, density)} => ${typeToString(s.returnType)}`);
    const more =
      sigs.length > MAX_LISTED_SIGNATURES
        ? [`  … and ${sigs.length - MAX_LISTED_SIGNATURES} more`]
        : [];
    return this.error(
      span,
      `No signature of ${name} accepts ${formatArgTypes(argTypes, conditional || density)}.`,
      [...culpritArgument(sigs, argTypes), "Available signatures:", ...listed, ...more],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * When one argument position accepts none of the given type in any signature of the right arity,
 * name it and the types it does accept.
 */
function culpritArgument(
  sigs: readonly FunctionSignature[],
  argTypes: readonly StanType[],
): string[] {
  const sameArity = sigs.filter((s) => s.args.length === argTypes.length);
  if (sameArity.length === 0) {
    const arities = [...new Set(sigs.map((s) => s.args.length))].sort((a, b) => a - b);
    return [
      `It takes ${arities.join(" or ")} argument${arities.length === 1 && arities[0] === 1 ? "" : "s"}, not ${argTypes.length}.`,
    ];
  }
  for (let i = 0; i < argTypes.length; i++) {
    if (sameArity.some((s) => assignable(argTypes[i], s.args[i]))) continue;
    const accepted = [...new Set(sameArity.map((s) => typeToString(s.args[i])))];
    return [
      `Argument ${i + 1} is ${typeToString(argTypes[i])}, but it must be ${accepted.length > 1 ? "one of " : ""}${accepted.join(", ")}.`,
    ];
  }
  return [];
}

function typed(meta: Untyped, type: StanType, adLevel: AdLevel): Typed {
  return { span: meta.span, type, adLevel };
}

/** "param" if any part is, but ints never carry derivatives. */
function joinLevels(result: StanType, ...parts: readonly TExpr[]): AdLevel {
  if (result.base === "int") return "data";
  return parts.some((p) => p.meta.adLevel === "param") ? "param" : "data";
}

function indexLevel(i: Index<Typed>): AdLevel {
  switch (i.kind) {
    case "Single":
      return i.expr.meta.adLevel;
    default:
      return "data";
  }
}

/** The common type of two branches or array elements, promoting int to real. */
function unifyTypes(a: StanType, b: StanType): StanType | undefined {
  if (a.arrayDims !== b.arrayDims) return undefined;
  if (a.base === b.base) return a;
  if ((a.base === "int" && b.base === "real") || (a.base === "real" && b.base === "int"))
    return { base: "real", arrayDims: a.arrayDims };
  return undefined;
}

/** Functions removed from Stan that old programs still use, with their modern spelling. */
function removedFunctionHint(name: string, exists: (name: string) => boolean): string | undefined {
  switch (name) {
    case "increment_log_prob":
      return "'increment_log_prob(e)' was removed from Stan; write 'target += e;'.";
    case "get_lp":
      return "'get_lp()' was removed from Stan; use 'target()'.";
    case "if_else":
      return "'if_else(c, a, b)' was removed from Stan; use the conditional operator 'c ? a : b'.";
    default:
      break;
  }
  if (
    /^(integrate_ode|ode_|algebra_solver|solve_newton|solve_powell|map_rect|reduce_sum|integrate_1d|dae)/.test(
      name,
    )
  ) {
    return "stan2ts does not support ODE and algebraic solvers, integrate_1d, map_rect or reduce_sum.";
  }
  const renamed: [string, string][] = [
    ["_ccdf_log", "_lccdf"],
    ["_cdf_log", "_lcdf"],
    ["_log", "_lpdf"],
    ["_log", "_lpmf"],
  ];
  for (const [old, modern] of renamed) {
    if (!name.endsWith(old)) continue;
    const replacement = name.slice(0, -old.length) + modern;
    if (exists(replacement)) {
      return `The '${old}' suffix was removed from Stan; use '${replacement}', with '|' after the first argument.`;
    }
  }
  return undefined;
}

/** A variable, possibly indexed or parenthesised: no transform applied. */
function isPlainVariable(e: Expr<unknown>): boolean {
  if (e.kind === "Variable") return true;
  if (e.kind === "Indexed") return isPlainVariable(e.target);
  if (e.kind === "Paren") return isPlainVariable(e.inner);
  return false;
}

function rootVariable(e: Expr): Extract<Expr, { kind: "Variable" }> {
  if (e.kind === "Variable") return e;
  if (e.kind === "Indexed") return rootVariable(e.target);
  throw new Error("internal error: assignment target is not a variable");
}

function printLhs(e: Expr): string {
  if (e.kind === "Variable") return e.name;
  if (e.kind === "Indexed") return `${printLhs(e.target)}[…]`;
  return "…";
}

function compoundFunction(op: "+=" | "-=" | "*=" | "/=" | ".*=" | "./="): string {
  switch (op) {
    case "+=":
      return "add";
    case "-=":
      return "subtract";
    case "*=":
      return "multiply";
    case "/=":
      return "divide";
    case ".*=":
      return "elt_multiply";
    case "./=":
      return "elt_divide";
    default:
      return assertNever(op, "compound operator");
  }
}

function operatorHint(op: string, types: readonly StanType[]): string[] | undefined {
  const [a, b] = types;
  if (
    op === "*" &&
    a.arrayDims === 0 &&
    b.arrayDims === 0 &&
    a.base === b.base &&
    (a.base === "vector" || a.base === "row_vector")
  ) {
    return [
      "Use '.*' for elementwise multiplication, or dot_product / a transpose for an inner product.",
    ];
  }
  if (a.arrayDims > 0 || b.arrayDims > 0) {
    return [
      "Arithmetic is not defined on arrays; use vectors (to_vector) or loop over the elements.",
    ];
  }
  return undefined;
}

function baseTypeName(base: DeclType["base"]): string {
  return base;
}

function targetAccessible(ctx: Context): boolean {
  return ctx.fn ? ctx.fn.name.endsWith("_lp") : ctx.block === "model";
}

/** `target()` and `_lp` calls: also allowed in transformed parameters (unlike `target +=` and `~`). */
function targetReadable(ctx: Context): boolean {
  return ctx.fn
    ? ctx.fn.name.endsWith("_lp")
    : ctx.block === "model" || ctx.block === "transformed parameters";
}

function rngAllowed(ctx: Context): boolean {
  return ctx.fn
    ? ctx.fn.name.endsWith("_rng")
    : ctx.block === "transformed data" || ctx.block === "generated quantities";
}

function lupdfAllowed(ctx: Context): boolean {
  return ctx.fn ? /_(lpdf|lpmf)$/.test(ctx.fn.name) : ctx.block === "model";
}

/** Whether every path through `s` ends in return (or reject/fatal_error). */
function alwaysReturns(s: Stmt): boolean {
  switch (s.kind) {
    case "Return":
    case "Reject":
    case "FatalError":
      return true;
    case "Block":
    case "Profile":
      return s.stmts.some(alwaysReturns);
    case "IfElse":
      return s.otherwise !== undefined && alwaysReturns(s.then) && alwaysReturns(s.otherwise);
    // As in stanc3: a for loop whose body can return, or `while (1)` (a literal, nonzero condition).
    case "For":
    case "ForEach":
      return containsReturn(s.body);
    case "While":
      return isNonzeroLiteral(s.condition) && containsReturn(s.body);
    default:
      return false;
  }
}

/** A variable in `e` declared outside data and transformed data, if any. */
function nonDataVariable(e: TExpr): Extract<TExpr, { kind: "Variable" }> | undefined {
  switch (e.kind) {
    case "Variable":
      return e.meta.origin === "data" || e.meta.origin === "transformed data" ? undefined : e;
    case "FunctionCall":
    case "ArrayLiteral":
    case "RowVectorLiteral": {
      const parts = e.kind === "FunctionCall" ? e.args : e.elements;
      for (const p of parts) {
        const v = nonDataVariable(p);
        if (v) return v;
      }
      return undefined;
    }
    case "BinaryOp":
      return nonDataVariable(e.left) ?? nonDataVariable(e.right);
    case "PrefixOp":
    case "Transpose":
      return nonDataVariable(e.operand);
    case "Paren":
      return nonDataVariable(e.inner);
    case "TernaryIf":
      return (
        nonDataVariable(e.condition) ?? nonDataVariable(e.then) ?? nonDataVariable(e.otherwise)
      );
    case "Indexed": {
      const t = nonDataVariable(e.target);
      if (t) return t;
      for (const i of e.indices) {
        const parts =
          i.kind === "Single"
            ? [i.expr]
            : i.kind === "Upfrom"
              ? [i.lower]
              : i.kind === "Downfrom"
                ? [i.upper]
                : i.kind === "Between"
                  ? [i.lower, i.upper]
                  : [];
        for (const p of parts) {
          const v = nonDataVariable(p);
          if (v) return v;
        }
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `y[:][1] = …` is not assignable in Stan: only the outermost index list may hold multi-indexes. */
function checkNoNestedMultiIndex(lhs: TExpr, fail: (span: Span) => never): void {
  let e: TExpr = lhs;
  let outer = true;
  while (e.kind === "Indexed") {
    if (!outer) {
      for (const i of e.indices) {
        if (i.kind !== "Single" || i.expr.meta.type.arrayDims > 0) fail(e.meta.span);
      }
    }
    outer = false;
    e = e.target;
  }
}

function isNonzeroLiteral(e: Expr): boolean {
  if (e.kind === "Paren") return isNonzeroLiteral(e.inner);
  return (e.kind === "IntLiteral" || e.kind === "RealLiteral") && Number(e.text) !== 0;
}

function containsReturn(s: Stmt): boolean {
  switch (s.kind) {
    case "Return":
    case "Reject":
    case "FatalError":
      return true;
    case "Block":
    case "Profile":
      return s.stmts.some(containsReturn);
    case "IfElse":
      return containsReturn(s.then) || (s.otherwise !== undefined && containsReturn(s.otherwise));
    case "For":
    case "ForEach":
    case "While":
      return containsReturn(s.body);
    default:
      return false;
  }
}
