/**
 * The sweep IR (src/ir/jsIr.ts) → JavaScript text: expressions with only the parentheses
 * JavaScript's precedence needs, statements one a line and unindented, some short ones on one
 * line (`if (!ok) { loc__ = 3; throw …; }`); ./layout.ts indents the module afterwards. The
 * only place comments and string literals are written, through ../ir/names.ts's escaping.
 */
import type { JsExpr, JsStmt } from "../ir/jsIr";
import { jsCommentText, jsString } from "../ir/names";

// precedence levels (higher binds tighter)
const P_COND = 1;
const P_OR = 2;
const P_AND = 3;
const P_EQ = 4;
const P_REL = 5;
const P_ADD = 6;
const P_MUL = 7;
const P_UNARY = 8;
const P_ATOM = 10;

interface Out {
  readonly text: string;
  readonly prec: number;
}

function wrap(o: Out, min: number): string {
  return o.prec >= min ? o.text : `(${o.text})`;
}

const BINARY: Readonly<Record<string, { readonly prec: number; readonly left: number; readonly right: number }>> = {
  "||": { prec: P_OR, left: P_OR, right: P_OR + 1 },
  "&&": { prec: P_AND, left: P_AND, right: P_AND + 1 },
  "===": { prec: P_EQ, left: P_REL, right: P_REL },
  "!==": { prec: P_EQ, left: P_REL, right: P_REL },
  "<": { prec: P_REL, left: P_ADD, right: P_ADD },
  "<=": { prec: P_REL, left: P_ADD, right: P_ADD },
  ">": { prec: P_REL, left: P_ADD, right: P_ADD },
  ">=": { prec: P_REL, left: P_ADD, right: P_ADD },
  "+": { prec: P_ADD, left: P_ADD, right: P_ADD + 1 },
  "-": { prec: P_ADD, left: P_ADD, right: P_ADD + 1 },
  "*": { prec: P_MUL, left: P_MUL, right: P_MUL + 1 },
  "/": { prec: P_MUL, left: P_MUL, right: P_MUL + 1 },
  "%": { prec: P_MUL, left: P_MUL, right: P_MUL + 1 },
};

function out(e: JsExpr): Out {
  switch (e.k) {
    case "lit":
      return { text: e.text, prec: e.text.startsWith("-") ? P_UNARY : P_ATOM };
    case "name":
      return { text: e.name, prec: P_ATOM };
    case "index":
      return { text: `${wrap(out(e.array), P_ATOM)}[${printJsExpr(e.at)}]`, prec: P_ATOM };
    case "unary":
      // `-(-x)`, not `--x`; `!(a < b)`
      return { text: `${e.op}${wrap(out(e.e), e.op === "-" ? P_UNARY + 1 : P_UNARY)}`, prec: P_UNARY };
    case "binary": {
      const p = BINARY[e.op];
      return { text: `${wrap(out(e.l), p.left)} ${e.op} ${wrap(out(e.r), p.right)}`, prec: p.prec };
    }
    case "cond":
      return { text: `${wrap(out(e.c), P_OR)} ? ${wrap(out(e.t), P_COND)} : ${wrap(out(e.f), P_COND)}`, prec: P_COND };
    case "call":
      return { text: `${e.fn}(${e.args.map(printJsExpr).join(", ")})`, prec: P_ATOM };
    case "new":
      return { text: `new ${e.ctor}(${e.args.map(printJsExpr).join(", ")})`, prec: P_ATOM };
    case "string":
      return { text: jsString(e.value), prec: P_ATOM };
    case "quote":
      return { text: jsString(printJsExpr(e.e)), prec: P_ATOM };
    case "pop":
      return { text: "tape__[--tp__]", prec: P_ATOM };
  }
}

export function printJsExpr(e: JsExpr): string {
  return out(e).text;
}

/** An operand of `*`: parenthesised unless it binds at least as tightly (sizes multiplied together). */
export function printFactor(e: JsExpr): string {
  return wrap(out(e), P_MUL + 1);
}

/** The statements as lines, one statement (or brace) a line. */
export function printJsStmts(stmts: readonly JsStmt[], lines: string[] = []): string[] {
  for (const s of stmts) printStmt(s, lines);
  return lines;
}

function printStmt(s: JsStmt, lines: string[]): void {
  switch (s.k) {
    case "comment":
      lines.push(`// ${jsCommentText(s.text)}`);
      return;
    case "decl":
      lines.push(`${s.kind} ${s.name} = ${printJsExpr(s.init)};`);
      return;
    case "assign":
      lines.push(`${printJsExpr(s.target)} ${s.op} ${printJsExpr(s.value)};`);
      return;
    case "increment":
      lines.push(`${s.name}++;`);
      return;
    case "effect":
      lines.push(`${printJsExpr(s.e)};`);
      return;
    case "for": {
      // a bound beside `<=` / `>=`: parenthesised unless arithmetic (which binds tighter)
      const head = `for (let ${s.v} = ${printJsExpr(s.from)}; ${s.v} ${s.test} ${wrap(out(s.to), P_ADD)}; ${s.v}${s.step})`;
      if (s.compact) {
        lines.push(`${head} ${oneLine(s.body)}`);
        return;
      }
      lines.push(`${head} {`);
      printJsStmts(s.body, lines);
      lines.push(`}`);
      return;
    }
    case "while":
      lines.push(`while (${printJsExpr(s.cond)}) {`);
      printJsStmts(s.body, lines);
      lines.push(`}`);
      return;
    case "if":
      if (s.compact) {
        lines.push(`if (${printJsExpr(s.cond)}) ${oneLine(s.then)}`);
        return;
      }
      lines.push(`if (${printJsExpr(s.cond)}) {`);
      printJsStmts(s.then, lines);
      if (s.otherwise.length > 0) {
        lines.push(`} else {`);
        printJsStmts(s.otherwise, lines);
      }
      lines.push(`}`);
      return;
    case "block":
      lines.push(`{`);
      printJsStmts(s.body, lines);
      lines.push(`}`);
      return;
    case "push":
      lines.push(`if (tp__ === tape__.length) tape__ = growTape__(tape__);`);
      lines.push(`tape__[tp__++] = ${printJsExpr(s.value)};`);
      return;
    case "throw":
      lines.push(`throw ${printJsExpr(s.e)};`);
      return;
    case "jump":
      lines.push(`${s.kind};`);
      return;
  }
}

/** A short body on one line: its one statement, or `{ a; b; }`. */
function oneLine(body: readonly JsStmt[]): string {
  const lines = printJsStmts(body);
  return lines.length === 1 ? lines[0] : `{ ${lines.join(" ")} }`;
}
