/**
 * IR scalar expressions → JavaScript text. Stan's 1-based indices were made 0-based by the
 * lowering; integer division truncates like C++; comparisons yield 0/1 as Stan's do.
 */
import type { ExprBuilder, ScalarRule } from "../primitives/primitive";
import { CONSTANTS, KERNEL_RULES, RNG_RULES, SCALAR_RULES } from "../primitives/registry";
import { type Arg, type IrVar, type SExpr, exprIsInt, guardKept } from "./ir";

export interface PrintContext {
  /** JS for a variable's storage (scalar name or typed array). */
  readonly name: (v: IrVar) => string;
  /** JS for the size expressions of a variable (used for kernel matrix arguments). */
  readonly dims: (v: IrVar) => readonly string[];
  /** Renders a kernel call; default prints the plain value call. */
  readonly kernelCall?: (e: Extract<SExpr, { k: "call" }>, args: readonly string[]) => string;
  /** Records every function name the code uses (for imports). */
  readonly useFunction?: (name: string) => void;
  /** Overrides how one element is printed (arrays promoted to scalars inside a loop). */
  readonly element?: (v: IrVar, at: SExpr) => string | undefined;
  /** A name already holding the value of a compound expression (bound once per loop iteration). */
  readonly subst?: (e: SExpr) => string | undefined;
}

// precedence levels
const P_COND = 1;
const P_OR = 2;
const P_AND = 3;
const P_EQ = 4;
const P_REL = 5;
const P_ADD = 6;
const P_MUL = 7;
const P_UNARY = 8;
const P_ATOM = 10;

/** JavaScript text and the precedence of its outermost operator. */
export interface Out {
  readonly text: string;
  readonly prec: number;
}

/** An operand that is already atomic text (a name, a call, or parenthesised). */
export function atomOut(text: string): Out {
  return { text, prec: P_ATOM };
}

export function printExpr(e: SExpr, ctx: PrintContext): string {
  return print(e, ctx).text;
}

/** As a condition: comparisons and logic stay boolean, anything else is tested for non-zero. */
export function printCond(e: SExpr, ctx: PrintContext): string {
  return cond(e, ctx).text;
}

export function printArg(a: Arg, ctx: PrintContext): string {
  return a.k === "whole" ? ctx.name(a.v) : printExpr(a, ctx);
}

function wrap(o: Out, min: number): string {
  return o.prec >= min ? o.text : `(${o.text})`;
}

function cond(e: SExpr, ctx: PrintContext): Out {
  if (e.k === "bin") {
    switch (e.op) {
      case "==":
      case "!=":
        return { text: `${wrap(print(e.l, ctx), P_REL)} ${e.op}= ${wrap(print(e.r, ctx), P_REL)}`, prec: P_EQ };
      case "<":
      case "<=":
      case ">":
      case ">=":
        return { text: `${wrap(print(e.l, ctx), P_ADD)} ${e.op} ${wrap(print(e.r, ctx), P_ADD)}`, prec: P_REL };
      case "&&":
        return { text: `${wrap(cond(e.l, ctx), P_AND)} && ${wrap(cond(e.r, ctx), P_AND + 1)}`, prec: P_AND };
      case "||":
        return { text: `${wrap(cond(e.l, ctx), P_OR)} || ${wrap(cond(e.r, ctx), P_OR + 1)}`, prec: P_OR };
      default:
        break;
    }
  }
  if (e.k === "not") return { text: `!${wrap(cond(e.e, ctx), P_UNARY)}`, prec: P_UNARY };
  const o = print(e, ctx);
  return { text: `${wrap(o, P_EQ + 1)} !== 0`, prec: P_EQ };
}

function print(e: SExpr, ctx: PrintContext): Out {
  if (ctx.subst && (e.k === "bin" || e.k === "call" || e.k === "neg" || e.k === "cond")) {
    const bound = ctx.subst(e);
    if (bound !== undefined) return { text: bound, prec: P_ATOM };
  }
  switch (e.k) {
    case "num": {
      // infinities are module constants: `Infinity` is a global lookup and `-Infinity` a unary
      // operation, both of which cost type feedback (and deoptimisations) in hot code
      if (e.text === "Infinity") return { text: "INF__", prec: P_ATOM };
      if (e.text === "-Infinity") return { text: "NEG_INF__", prec: P_ATOM };
      const t = e.text;
      return { text: t, prec: t.startsWith("-") ? P_UNARY : P_ATOM };
    }
    case "read": {
      if (e.at === undefined) return { text: ctx.name(e.v), prec: P_ATOM };
      const promoted = ctx.element?.(e.v, e.at);
      if (promoted !== undefined) return { text: promoted, prec: P_ATOM };
      return { text: `${ctx.name(e.v)}[${print(e.at, ctx).text}]`, prec: P_ATOM };
    }
    case "neg": {
      const o = print(e.e, ctx);
      return { text: `-${wrap(o, P_UNARY + 1)}`, prec: P_UNARY };
    }
    case "not":
      return { text: `${wrap(cond(e.e, ctx), P_COND + 1)} ? 0 : 1`, prec: P_COND };
    case "cond":
      return { text: `${wrap(cond(e.c, ctx), P_OR)} ? ${wrap(print(e.t, ctx), P_COND)} : ${wrap(print(e.f, ctx), P_COND)}`, prec: P_COND };
    case "bin":
      return printBin(e, ctx);
    case "call":
      return printCall(e, ctx);
    case "guard":
      return guardKept(e) ? print(e.e, ctx) : { text: "0", prec: P_ATOM };
  }
}

/** The program's integer division or modulus, through the support helper that throws Stan's error on 0. */
function checkedDivision(helper: string, l: Out, r: Out, ctx: PrintContext): Out {
  ctx.useFunction?.(helper);
  return { text: `${helper}(${l.text}, ${r.text})`, prec: P_ATOM };
}

function printBin(e: Extract<SExpr, { k: "bin" }>, ctx: PrintContext): Out {
  const l = print(e.l, ctx);
  const r = print(e.r, ctx);
  switch (e.op) {
    case "+":
      return { text: `${wrap(l, P_ADD)} + ${wrap(r, P_ADD + 1)}`, prec: P_ADD };
    case "-":
      return { text: `${wrap(l, P_ADD)} - ${wrap(r, P_ADD + 1)}`, prec: P_ADD };
    case "*":
      return { text: `${wrap(l, P_MUL)} * ${wrap(r, P_MUL + 1)}`, prec: P_MUL };
    case "/":
      if (e.isInt && e.checked) return checkedDivision("intDivide__", l, r, ctx);
      if (e.isInt) return { text: `Math.trunc(${wrap(l, P_MUL)} / ${wrap(r, P_MUL + 1)})`, prec: P_ATOM };
      return { text: `${wrap(l, P_MUL)} / ${wrap(r, P_MUL + 1)}`, prec: P_MUL };
    case "%/%":
      if (e.checked) return checkedDivision("intDivide__", l, r, ctx);
      return { text: `Math.trunc(${wrap(l, P_MUL)} / ${wrap(r, P_MUL + 1)})`, prec: P_ATOM };
    case "%":
      if (e.checked) return checkedDivision("intModulus__", l, r, ctx);
      return { text: `${wrap(l, P_MUL)} % ${wrap(r, P_MUL + 1)}`, prec: P_MUL };
    case "^":
      ctx.useFunction?.("pow");
      return { text: `pow(${l.text}, ${r.text})`, prec: P_ATOM };
    default: {
      const c = cond(e, ctx);
      return { text: `${wrap(c, P_COND + 1)} ? 1 : 0`, prec: P_COND };
    }
  }
}

/** Strips one redundant pair of outer parentheses (for arguments of function-style templates). */
export function unwrapParens(s: string): string {
  if (!s.startsWith("(") || !s.endsWith(")")) return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")") {
      depth--;
      if (depth === 0 && i < s.length - 1) return s;
    }
  }
  return s.slice(1, -1);
}

function printCall(e: Extract<SExpr, { k: "call" }>, ctx: PrintContext): Out {
  if (e.args.length === 0 && CONSTANTS.has(e.fn)) return { text: CONSTANTS.get(e.fn) as string, prec: P_ATOM };
  if (e.fn === "format_container__") {
    ctx.useFunction?.("formatContainer__");
    return { text: `formatContainer__(${printArg(e.args[0], ctx)})`, prec: P_ATOM };
  }
  const rule = SCALAR_RULES.get(e.fn);
  if (rule) {
    const args = e.args.map((a) => (a.k === "whole" ? atomOut(ctx.name(a.v)) : print(a, ctx)));
    return scalarValueJs(rule, args, ctx.useFunction);
  }
  if (RNG_RULES.has(e.fn)) {
    ctx.useFunction?.(e.fn);
    return { text: `${e.fn}(${["rng__", ...e.args.map((a) => unwrapParens(printArg(a, ctx)))].join(", ")})`, prec: P_ATOM };
  }
  const kernel = KERNEL_RULES.get(e.fn);
  if (kernel) {
    const args = kernelArgs(e, ctx);
    if (ctx.kernelCall) return { text: ctx.kernelCall(e, args), prec: P_ATOM };
    ctx.useFunction?.(e.fn);
    const all = kernel.propto ? [...args, String(e.propto)] : args;
    return { text: `${e.fn}(${all.join(", ")})`, prec: P_ATOM };
  }
  throw new Error(`internal error: no printer for function '${e.fn}'`);
}

/** Kernel value arguments in the runtime's order (matrix sizes inserted by the rule's layout). */
export function kernelArgs(e: Extract<SExpr, { k: "call" }>, ctx: PrintContext): string[] {
  const kernel = KERNEL_RULES.get(e.fn);
  const js = e.args.map((a) => ({ js: a.k === "whole" ? ctx.name(a.v) : unwrapParens(printExpr(a, ctx)), dims: a.k === "whole" ? ctx.dims(a.v) : [] }));
  return kernel?.layout ? [...kernel.layout(js)] : js.map((a) => a.js);
}

/** An argument substituted into a template: parenthesised unless atomic. */
export function atomText(a: Arg, ctx: PrintContext): string {
  if (a.k === "whole") return ctx.name(a.v);
  const o = print(a, ctx);
  return o.prec >= P_ATOM ? o.text : `(${o.text})`;
}

/** True when `s` has no operator outside brackets (safe to multiply without parentheses). */
export function isAtomic(s: string): boolean {
  if (s.startsWith("-")) return false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (depth === 0 && /[\s+\-*/%<>=!?:&|,]/.test(c)) return false;
  }
  return true;
}

export function isIntExpr(e: SExpr): boolean {
  return exprIsInt(e);
}

/** A scalar rule's value as JavaScript; `use` records the runtime functions it calls (imports). */
export function scalarValueJs(rule: ScalarRule, args: readonly Out[], use?: (fn: string) => void): Out {
  const b = jsBuilder(use);
  const value = rule.value;
  if ("formula" in value) return value.formula(b, args);
  if (value.inlineForNames && args.every((a) => /^[\w$.]+(\[[^\]]*\])?$/.test(a.text))) return value.inlineForNames(b, args);
  // (Math.*, Number.* are globals; anything else is a runtime kernel the module imports)
  if (!value.js.includes(".")) use?.(value.js);
  return { text: `${value.js}(${args.map((a) => unwrapParens(a.text)).join(", ")})`, prec: P_ATOM };
}

/** Builds JavaScript text from scalar rules' formulas (values and partials). */
export function jsBuilder(use?: (fn: string) => void): ExprBuilder<Out> {
  const b: ExprBuilder<Out> = {
    num: (x) => {
      if (Number.isNaN(x)) return atomOut("NaN");
      if (x === Infinity) return atomOut("Infinity");
      const text = String(x);
      return { text, prec: text.startsWith("-") ? P_UNARY : P_ATOM };
    },
    add: (x, y) => ({ text: `${wrap(x, P_ADD)} + ${wrap(y, P_ADD + 1)}`, prec: P_ADD }),
    sub: (x, y) => ({ text: `${wrap(x, P_ADD)} - ${wrap(y, P_ADD + 1)}`, prec: P_ADD }),
    mul: (x, y) => ({ text: `${wrap(x, P_MUL)} * ${wrap(y, P_MUL + 1)}`, prec: P_MUL }),
    div: (x, y) => ({ text: `${wrap(x, P_MUL)} / ${wrap(y, P_MUL + 1)}`, prec: P_MUL }),
    neg: (x) => ({ text: `-${wrap(x, P_UNARY + 1)}`, prec: P_UNARY }),
    call: (fn, ...args) => {
      if (args.length === 0) {
        const js = CONSTANTS.get(fn);
        if (js === undefined) throw new Error(`internal error: '${fn}' is not a constant`);
        return atomOut(js);
      }
      const rule = SCALAR_RULES.get(fn);
      if (!rule) throw new Error(`internal error: a rule calls '${fn}', which has no scalar rule`);
      return scalarValueJs(rule, args, use);
    },
    ifElse: (c, t, f) => ({ text: `${wrap(c, P_OR)} ? ${wrap(t, P_COND)} : ${wrap(f, P_COND)}`, prec: P_COND }),
    cmp: (op, x, y) =>
      op === "==" || op === "!="
        ? { text: `${wrap(x, P_REL)} ${op}= ${wrap(y, P_REL)}`, prec: P_EQ }
        : { text: `${wrap(x, P_ADD)} ${op} ${wrap(y, P_ADD)}`, prec: P_REL },
    or: (x, y) => ({ text: `${wrap(x, P_OR)} || ${wrap(y, P_OR + 1)}`, prec: P_OR }),
  };
  return b;
}

/**
 * The precedence of JavaScript text's outermost operator, for code that builds text from text
 * (the reverse sweep): conservative — an exponent's sign (`1e-5`) reads as a subtraction, which
 * only adds parentheses.
 */
export function textPrecedence(s: string): number {
  let depth = 0;
  let lowest = P_ATOM;
  let prevOperand = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    if (depth > 0 || c === ")" || c === "]") {
      prevOperand = true;
      continue;
    }
    if (c === " ") continue;
    let prec = P_ATOM;
    if (c === "?" || c === ":") prec = P_COND;
    else if (c === "|" && s[i + 1] === "|") prec = P_OR;
    else if (c === "&" && s[i + 1] === "&") prec = P_AND;
    else if ((c === "=" || c === "!") && s[i + 1] === "=") prec = P_EQ;
    else if (c === "<" || c === ">") prec = P_REL;
    else if (c === "+" || c === "-") prec = prevOperand ? P_ADD : P_UNARY;
    else if (c === "*" || c === "/" || c === "%") prec = P_MUL;
    else if (c === "!") prec = P_UNARY;
    if (prec < lowest) lowest = prec;
    prevOperand = prec === P_ATOM;
  }
  return lowest;
}

/** `a * b` from text, with only the parentheses JavaScript needs to keep the same product. */
export function multiplyText(a: string, b: string): string {
  const left = textPrecedence(a) >= P_MUL ? a : `(${a})`;
  const right = textPrecedence(b) > P_MUL ? b : `(${b})`;
  return `${left} * ${right}`;
}
