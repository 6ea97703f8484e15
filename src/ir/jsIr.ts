/**
 * The sweep IR: JavaScript-level statements and expressions, what reverse mode (src/ad) produces
 * for every generated function — the forward sweep, the adjoint sweep, transformed data,
 * writeConstrained — and what code generation (src/codegen/printJsIr.ts) prints. Below the
 * scalar IR of ./ir.ts: names are resolved (adjoints, registers, tape, partial buffers),
 * comparisons are JavaScript booleans, Stan's functions are the runtime's or `Math`'s calls.
 * Trees, not text: a pass can inspect and rewrite the adjoint code, and nothing is re-parsed.
 */

export type JsBinaryOp = "+" | "-" | "*" | "/" | "%" | "===" | "!==" | "<" | "<=" | ">" | ">=" | "&&" | "||";

export type JsExpr =
  /** A number literal as JavaScript reads it (`0.5`, `-1`, `1e-8`) or a constant (`NaN`, `INF__`, `Math.PI`). */
  | { readonly k: "lit"; readonly text: string }
  /** A variable: the program's (`mu`), an adjoint (`mu_adj__`), a temporary (`g3__`), a buffer (`d4_1__`). */
  | { readonly k: "name"; readonly name: string }
  | { readonly k: "index"; readonly array: JsExpr; readonly at: JsExpr }
  | { readonly k: "unary"; readonly op: "-" | "!"; readonly e: JsExpr }
  | { readonly k: "binary"; readonly op: JsBinaryOp; readonly l: JsExpr; readonly r: JsExpr }
  | { readonly k: "cond"; readonly c: JsExpr; readonly t: JsExpr; readonly f: JsExpr }
  /** `fn(args)`; `fn` is a runtime or support function, `Math.*`, or a method (`mu_adj__.fill`). */
  | { readonly k: "call"; readonly fn: string; readonly args: readonly JsExpr[] }
  | { readonly k: "new"; readonly ctor: string; readonly args: readonly JsExpr[] }
  /** A string literal (user text is escaped when printed). */
  | { readonly k: "string"; readonly value: string }
  /** The text of an expression as a string literal (a message quoting a size: `"N - 1"`). */
  | { readonly k: "quote"; readonly e: JsExpr }
  /** The value last pushed on the tape (`tape__[--tp__]`). */
  | { readonly k: "pop" };

export type JsAssignOp = "=" | "+=" | "-=" | "*=" | "/=";

export type JsStmt =
  /** A line comment (Stan source in it is made inert when printed). */
  | { readonly k: "comment"; readonly text: string }
  | { readonly k: "decl"; readonly kind: "const" | "let"; readonly name: string; readonly init: JsExpr }
  | { readonly k: "assign"; readonly target: JsExpr; readonly op: JsAssignOp; readonly value: JsExpr }
  /** `name++` (a while loop's trip count). */
  | { readonly k: "increment"; readonly name: string }
  /** A call for its effect. */
  | { readonly k: "effect"; readonly e: JsExpr }
  /**
   * `for (let v = from; v test to; v step)`; `compact`: one statement, printed on the loop's line
   * without braces.
   */
  | { readonly k: "for"; readonly v: string; readonly from: JsExpr; readonly test: "<=" | ">=" | "<"; readonly to: JsExpr; readonly step: "++" | "--"; readonly body: readonly JsStmt[]; readonly compact?: boolean }
  | { readonly k: "while"; readonly cond: JsExpr; readonly body: readonly JsStmt[] }
  /** `compact`: the branch on the test's line (a check's `throw`), no else. */
  | { readonly k: "if"; readonly cond: JsExpr; readonly then: readonly JsStmt[]; readonly otherwise: readonly JsStmt[]; readonly compact?: boolean }
  /** A block scoping the constants declared in it. */
  | { readonly k: "block"; readonly body: readonly JsStmt[] }
  /** Pushes a value on the tape (growing it when full). */
  | { readonly k: "push"; readonly value: JsExpr }
  | { readonly k: "throw"; readonly e: JsExpr }
  | { readonly k: "jump"; readonly kind: "break" | "continue" };

// ---------------------------------------------------------------------------------------------
// Constructors

export const jsName = (name: string): JsExpr => ({ k: "name", name });
export const jsLit = (text: string): JsExpr => ({ k: "lit", text });
export const jsIndex = (array: JsExpr, at: JsExpr): JsExpr => ({ k: "index", array, at });
export const jsBinary = (op: JsBinaryOp, l: JsExpr, r: JsExpr): JsExpr => ({ k: "binary", op, l, r });
export const jsCall = (fn: string, ...args: JsExpr[]): JsExpr => ({ k: "call", fn, args });
export const jsNot = (e: JsExpr): JsExpr => ({ k: "unary", op: "!", e });
export const jsStr = (value: string): JsExpr => ({ k: "string", value });
export const JS_POP: JsExpr = { k: "pop" };

/** a · b · …, left to right (sizes multiplied together); 1 for none. */
export function jsProduct(factors: readonly JsExpr[]): JsExpr {
  if (factors.length === 0) return jsLit("1");
  return factors.slice(1).reduce((acc, f) => jsBinary("*", acc, f), factors[0]);
}

export function isLit(e: JsExpr, text: string): boolean {
  return e.k === "lit" && e.text === text;
}

/** −e, folding a double negation and a negative literal. */
export function jsNeg(e: JsExpr): JsExpr {
  if (e.k === "unary" && e.op === "-") return e.e;
  if (e.k === "lit" && e.text.startsWith("-")) return jsLit(e.text.slice(1));
  return { k: "unary", op: "-", e };
}

/** a · b, dropping a factor 1. */
export function jsMul(a: JsExpr, b: JsExpr): JsExpr {
  if (isLit(a, "1")) return b;
  if (isLit(b, "1")) return a;
  return jsBinary("*", a, b);
}

/** A name or a constant (`0.5`, `-0.5`): used as it is, never bound to a temporary. */
export function isLeaf(e: JsExpr): boolean {
  return e.k === "name" || e.k === "lit" || (e.k === "unary" && e.op === "-" && e.e.k === "lit");
}

/** Statements that only comment: a block of them produces no code. */
export function onlyComments(stmts: readonly JsStmt[]): boolean {
  return stmts.every((s) => s.k === "comment");
}

/**
 * A structural key of an expression (equal keys, equal expressions): for remembering which
 * values a block has bound to a temporary already. `nameKey` keys a name (sharePureCalls writes a
 * bound constant out as the key of its expression).
 */
export function jsKey(e: JsExpr, nameKey: (name: string) => string = (name) => name): string {
  const k = (x: JsExpr) => jsKey(x, nameKey);
  switch (e.k) {
    case "lit":
      return e.text;
    case "name":
      return nameKey(e.name);
    case "index":
      return `${k(e.array)}[${k(e.at)}]`;
    case "unary":
      return `${e.op}(${k(e.e)})`;
    case "binary":
      return `(${k(e.l)} ${e.op} ${k(e.r)})`;
    case "cond":
      return `(${k(e.c)} ? ${k(e.t)} : ${k(e.f)})`;
    case "call":
      return `${e.fn}(${e.args.map(k).join(", ")})`;
    case "new":
      return `new ${e.ctor}(${e.args.map(k).join(", ")})`;
    case "string":
      return JSON.stringify(e.value);
    case "quote":
      return `quote(${k(e.e)})`;
    case "pop":
      return "pop()";
  }
}
