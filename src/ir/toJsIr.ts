/**
 * Scalar IR expressions (./ir.ts) → sweep IR expressions (./jsIr.ts). Stan's 1-based indices were
 * made 0-based by the lowering; integer division truncates like C++; comparisons yield 0/1 as
 * Stan's do, except where a condition is tested (`toJsCond`). Calls become the scalar rules'
 * formulas (src/primitives), built as trees by `jsTreeBuilder`, or runtime kernel calls.
 */
import type { ExprBuilder, ScalarRule } from "../primitives/primitive";
import { CONSTANTS, KERNEL_RULES, RNG_RULES, SCALAR_RULES } from "../primitives/registry";
import { type Arg, type IrVar, type SExpr, guardKept } from "./ir";
import { type JsExpr, jsBinary, jsCall, jsIndex, jsKey, jsLit, jsName } from "./jsIr";

export interface JsContext {
  /** A variable's storage (scalar name or typed array). */
  readonly name: (v: IrVar) => string;
  /** The size of each dim of a variable (kernels take matrix sizes). */
  readonly dims: (v: IrVar) => readonly JsExpr[];
  /** Builds a kernel call; default: the plain value call. */
  readonly kernelCall?: (e: Extract<SExpr, { k: "call" }>, args: readonly JsExpr[]) => JsExpr;
  /**
   * A whole container passed to a kernel or generator, when it is not just the variable's
   * storage (a container sized at run time passes its first `size` elements); default: the name.
   */
  readonly wholeArg?: (v: IrVar) => JsExpr | undefined;
  /** Records every function name the code uses (for imports). */
  readonly useFunction?: (name: string) => void;
  /** A name for one element (arrays promoted to scalars inside a loop), else undefined. */
  readonly element?: (v: IrVar, at: SExpr) => string | undefined;
  /** A name already holding the value of a compound expression (bound once per loop iteration). */
  readonly subst?: (e: SExpr) => string | undefined;
}

type Call = Extract<SExpr, { k: "call" }>;

const ZERO = jsLit("0");
const ONE = jsLit("1");

/** The value of `e`. */
export function toJs(e: SExpr, ctx: JsContext): JsExpr {
  if (ctx.subst && (e.k === "bin" || e.k === "call" || e.k === "neg" || e.k === "cond")) {
    const bound = ctx.subst(e);
    if (bound !== undefined) return jsName(bound);
  }
  switch (e.k) {
    case "num":
      // infinities are module constants: `Infinity` is a global lookup and `-Infinity` a unary
      // operation, both of which cost type feedback (and deoptimisations) in hot code
      if (e.text === "Infinity") return jsName("INF__");
      if (e.text === "-Infinity") return jsName("NEG_INF__");
      return jsLit(e.text);
    case "read": {
      if (e.at === undefined) return jsName(ctx.name(e.v));
      const promoted = ctx.element?.(e.v, e.at);
      if (promoted !== undefined) return jsName(promoted);
      return jsIndex(jsName(ctx.name(e.v)), toJs(e.at, ctx));
    }
    case "neg":
      return { k: "unary", op: "-", e: toJs(e.e, ctx) };
    case "not":
      return { k: "cond", c: toJsCond(e.e, ctx), t: ZERO, f: ONE };
    case "cond":
      return { k: "cond", c: toJsCond(e.c, ctx), t: toJs(e.t, ctx), f: toJs(e.f, ctx) };
    case "bin":
      return binary(e, ctx);
    case "call":
      return call(e, ctx);
    case "guard":
      return guardKept(e) ? toJs(e.e, ctx) : ZERO;
  }
}

/** `e` as a condition: comparisons and logic stay boolean, anything else is tested for non-zero. */
export function toJsCond(e: SExpr, ctx: JsContext): JsExpr {
  if (e.k === "bin") {
    switch (e.op) {
      case "==":
        return jsBinary("===", toJs(e.l, ctx), toJs(e.r, ctx));
      case "!=":
        return jsBinary("!==", toJs(e.l, ctx), toJs(e.r, ctx));
      case "<":
      case "<=":
      case ">":
      case ">=":
        return jsBinary(e.op, toJs(e.l, ctx), toJs(e.r, ctx));
      case "&&":
      case "||":
        return jsBinary(e.op, toJsCond(e.l, ctx), toJsCond(e.r, ctx));
      default:
        break;
    }
  }
  if (e.k === "not") return { k: "unary", op: "!", e: toJsCond(e.e, ctx) };
  return jsBinary("!==", toJs(e, ctx), ZERO);
}

export function toJsArg(a: Arg, ctx: JsContext): JsExpr {
  if (a.k !== "whole") return toJs(a, ctx);
  return ctx.wholeArg?.(a.v) ?? jsName(ctx.name(a.v));
}

/** The program's integer division or modulus, through the support helper that throws Stan's error on 0. */
function checkedDivision(helper: string, l: JsExpr, r: JsExpr, ctx: JsContext): JsExpr {
  ctx.useFunction?.(helper);
  return jsCall(helper, l, r);
}

function binary(e: Extract<SExpr, { k: "bin" }>, ctx: JsContext): JsExpr {
  switch (e.op) {
    case "+":
    case "-":
    case "*":
      return jsBinary(e.op, toJs(e.l, ctx), toJs(e.r, ctx));
    case "/":
      if (e.isInt && e.checked) return checkedDivision("intDivide__", toJs(e.l, ctx), toJs(e.r, ctx), ctx);
      if (e.isInt) return jsCall("Math.trunc", jsBinary("/", toJs(e.l, ctx), toJs(e.r, ctx)));
      return jsBinary("/", toJs(e.l, ctx), toJs(e.r, ctx));
    case "%/%":
      if (e.checked) return checkedDivision("intDivide__", toJs(e.l, ctx), toJs(e.r, ctx), ctx);
      return jsCall("Math.trunc", jsBinary("/", toJs(e.l, ctx), toJs(e.r, ctx)));
    case "%":
      if (e.checked) return checkedDivision("intModulus__", toJs(e.l, ctx), toJs(e.r, ctx), ctx);
      return jsBinary("%", toJs(e.l, ctx), toJs(e.r, ctx));
    case "^":
      ctx.useFunction?.("pow");
      return jsCall("pow", toJs(e.l, ctx), toJs(e.r, ctx));
    default:
      // a comparison or logic as a value: 1 or 0
      return { k: "cond", c: toJsCond(e, ctx), t: ONE, f: ZERO };
  }
}

function call(e: Call, ctx: JsContext): JsExpr {
  if (e.args.length === 0 && CONSTANTS.has(e.fn)) return jsLit(CONSTANTS.get(e.fn) as string);
  if (e.fn === "format_container__") {
    ctx.useFunction?.("formatContainer__");
    return jsCall("formatContainer__", toJsArg(e.args[0], ctx));
  }
  const rule = SCALAR_RULES.get(e.fn);
  if (rule) return scalarValue(rule, e.args.map((a) => toJsArg(a, ctx)), ctx.useFunction);
  if (RNG_RULES.has(e.fn)) {
    ctx.useFunction?.(e.fn);
    return jsCall(e.fn, jsName("rng__"), ...e.args.map((a) => toJsArg(a, ctx)));
  }
  const kernel = KERNEL_RULES.get(e.fn);
  if (kernel) {
    const args = kernelArgs(e, ctx);
    if (ctx.kernelCall) return ctx.kernelCall(e, args);
    ctx.useFunction?.(e.fn);
    return jsCall(e.fn, ...args, ...(kernel.propto ? [jsLit(String(e.propto))] : []));
  }
  throw new Error(`internal error: no code for function '${e.fn}'`);
}

/** Kernel value arguments in the runtime's order (matrix sizes inserted by the rule's layout). */
export function kernelArgs(e: Call, ctx: JsContext): JsExpr[] {
  const kernel = KERNEL_RULES.get(e.fn);
  const args = e.args.map((a) => ({ js: toJsArg(a, ctx), dims: a.k === "whole" ? ctx.dims(a.v) : [] }));
  return kernel?.layout ? [...kernel.layout(args)] : args.map((a) => a.js);
}

/** A name or one element of a named array at an index without elements: what `inlineForNames` rules inline. */
function isPlainOperand(e: JsExpr): boolean {
  if (e.k === "name") return true;
  if (e.k === "lit") return /^[\w$.]+$/.test(e.text);
  return e.k === "index" && e.array.k === "name" && !jsKey(e.at).includes("[");
}

/** A scalar rule's value; `use` records the runtime functions it calls (imports). */
export function scalarValue(rule: ScalarRule, args: readonly JsExpr[], use?: (fn: string) => void): JsExpr {
  const value = rule.value;
  if ("formula" in value) return value.formula(jsTreeBuilder(use), args);
  if (value.inlineForNames && args.every(isPlainOperand)) return value.inlineForNames(jsTreeBuilder(use), args);
  // (Math.*, Number.* are globals; anything else is a runtime kernel the module imports)
  if (!value.js.includes(".")) use?.(value.js);
  return jsCall(value.js, ...args);
}

/** Builds sweep IR from scalar rules' formulas (values and partials). */
export function jsTreeBuilder(use?: (fn: string) => void): ExprBuilder<JsExpr> {
  const b: ExprBuilder<JsExpr> = {
    num: (x) => jsLit(Number.isNaN(x) ? "NaN" : x === Infinity ? "Infinity" : String(x)),
    add: (x, y) => jsBinary("+", x, y),
    sub: (x, y) => jsBinary("-", x, y),
    mul: (x, y) => jsBinary("*", x, y),
    div: (x, y) => jsBinary("/", x, y),
    neg: (x) => ({ k: "unary", op: "-", e: x }),
    call: (fn, ...args) => {
      if (args.length === 0) {
        const js = CONSTANTS.get(fn);
        if (js === undefined) throw new Error(`internal error: '${fn}' is not a constant`);
        return jsLit(js);
      }
      const rule = SCALAR_RULES.get(fn);
      if (!rule) throw new Error(`internal error: a rule calls '${fn}', which has no scalar rule`);
      return scalarValue(rule, args, use);
    },
    ifElse: (c, t, f) => ({ k: "cond", c, t, f }),
    cmp: (op, x, y) => jsBinary(op === "==" ? "===" : op === "!=" ? "!==" : op, x, y),
    or: (x, y) => jsBinary("||", x, y),
  };
  return b;
}
