/**
 * IrProgram → a compact readable text, one line per statement (as stanc3's MIR dumps), for
 * `stan2ts compile --dump-after=PASS`: the blocks in order, every declaration with its type,
 * dimensions, storage and role, then the statements indented by nesting, each with the Stan line
 * it implements as a trailing comment (the line's text only where it changes, else its number).
 * Indices are the IR's flat 0-based offsets.
 */
import { assertNever } from "../common/assertNever";
import type { Arg, BinOp, IrProgram, IrVar, LStmt, Loc, SExpr } from "./ir";

const INDENT = "  ";

export function printIr(p: IrProgram): string {
  const q = new LocQuoter();
  const out: string[] = [`// IR of ${p.name} (${p.file}); indices are flat and 0-based`];
  const block = (title: string, body: string[]) => {
    out.push(`${title} {`, ...body.map((l) => INDENT + l), "}");
  };
  block(
    "data",
    p.data.map((d) => q.withLoc(`${declaration(d.v)}${boundText(d.bound)};`, d.loc)),
  );
  block("transformed data", stmts(q, p.transformedData, ""));
  block(
    "parameters",
    p.params.flatMap((param) => [
      q.withLoc(`${declaration(param.v)}, unconstrained at ${param.offsetJs}, size ${expr(param.unconstrainedSize)};`, param.loc),
      ...labelled(q, "constrain", param.constrain),
      ...labelled(q, "unconstrain", param.unconstrain),
    ]),
  );
  block("transformed parameters", [...stmts(q, p.transformedParams, ""), ...labelled(q, "checks", p.transformedParamChecks)]);
  block("model", stmts(q, p.model, ""));
  block("generated quantities", [...stmts(q, p.generatedQuantities, ""), ...labelled(q, "checks", p.generatedQuantityChecks)]);
  const declared = new Set<IrVar>([...p.data.map((d) => d.v), ...p.params.map((param) => param.v)]);
  const others = p.vars.filter((v) => !declared.has(v) && v.role !== "loop" && v !== p.theta && v !== p.target);
  block("variables", others.map((v) => `${declaration(v)};`));
  out.push(`outputs: ${p.outputs.map((o) => o.v.stanName).join(", ") || "(none)"}`);
  return `${out.join("\n")}\n`;
}

function labelled(q: LocQuoter, label: string, list: readonly LStmt[]): string[] {
  return list.length === 0 ? [] : [`${label}:`, ...stmts(q, list, INDENT)];
}

/** `vector[K] b: Float64Array(K), parameters` — Stan-like type, storage, role. */
function declaration(v: IrVar): string {
  const dims = v.dims.map((d) => expr(d));
  const arrayDims = dims.slice(0, v.arrayDims);
  const shapeDims = dims.slice(v.arrayDims);
  const base = shapeDims.length > 0 ? `${v.base}[${shapeDims.join(", ")}]` : v.base;
  const type = arrayDims.length > 0 ? `array[${arrayDims.join(", ")}] ${base}` : base;
  const storage = v.dims.length === 0 ? "scalar" : `${v.elem === "int" ? "Int32Array" : "Float64Array"}(${dims.join(" * ")})`;
  const name = v.js === v.stanName ? v.js : `${v.stanName} (js ${v.js})`;
  return `${type} ${name}: ${storage}, ${v.role}`;
}

function boundText(b: { readonly lower?: SExpr; readonly upper?: SExpr }): string {
  const parts = [b.lower && `lower=${expr(b.lower)}`, b.upper && `upper=${expr(b.upper)}`].filter(Boolean);
  return parts.length > 0 ? ` <${parts.join(", ")}>` : "";
}

/** Stan-line comments: the line's text where it changes, else only its number. */
class LocQuoter {
  private lastText: string | undefined;

  quote(loc: Loc): string {
    const text = `${loc.span.start.line}: ${loc.text.split("\n")[0]}`;
    if (text === this.lastText) return `${loc.span.start.line}`;
    this.lastText = text;
    return text;
  }

  withLoc(line: string, loc: Loc | undefined): string {
    return loc ? `${line}  // ${this.quote(loc)}` : line;
  }

  /** A comment statement: always the full text. */
  comment(loc: Loc): string {
    this.lastText = undefined;
    return this.quote(loc);
  }
}

function stmts(q: LocQuoter, list: readonly LStmt[], indent: string): string[] {
  return list.flatMap((s) => stmt(q, s, indent));
}

function stmt(q: LocQuoter, s: LStmt, indent: string): string[] {
  const line = (text: string) => [q.withLoc(indent + text, s.loc)];
  const nested = (head: string, body: readonly LStmt[]) => [q.withLoc(`${indent}${head} {`, s.loc), ...stmts(q, body, indent + INDENT)];
  switch (s.k) {
    case "assign":
      return line(`${s.lhs.v.js}${s.lhs.at ? `[${expr(s.lhs.at)}]` : ""} ${s.op} ${expr(s.rhs)};`);
    case "target":
      return line(`${s.jacobian ? "jacobian" : "target"} += ${expr(s.e)};`);
    case "for":
      return [...nested(`for (${s.v.js} in ${expr(s.lo)}:${expr(s.hi)})`, s.body), `${indent}}`];
    case "while":
      return [...nested(`while (${expr(s.cond)})`, s.body), `${indent}}`];
    case "if": {
      const lines = nested(`if (${expr(s.cond)})`, s.then);
      if (s.otherwise.length > 0) lines.push(`${indent}} else {`, ...stmts(q, s.otherwise, indent + INDENT));
      return [...lines, `${indent}}`];
    }
    case "print":
    case "reject":
    case "fatal":
      return line(`${s.k}(${s.args.map(message).join(", ")});`);
    case "break":
    case "continue":
      return line(`${s.k};`);
    case "check":
      return line(`check${s.fatal ? " fatal" : ""}${s.data ? " data" : ""} (${expr(s.cond)}) else (${s.message.map(message).join(", ")});`);
    case "fill":
      return line(`fill ${s.v.js} ${s.value};`);
    case "draw":
      return line(`draw ${s.out.js} = ${s.fn}(${s.args.map((a) => (a.k === "whole" ? `${a.v.js}[*]` : expr(a))).join(", ")});`);
    case "transform":
    case "untransform":
      return line(
        `${s.k} ${s.v.js} by ${s.kernel}(theta at ${expr(s.offset)}, sizes [${s.sizes.map(expr).join(", ")}], free ${expr(s.freeSize)}, count ${expr(s.count)});`,
      );
    case "alloc":
      return line(`alloc ${declaration(s.v)}${s.init ? ` = ${expr(s.init)}` : ""};`);
    case "comment":
      return [`${indent}// ${q.comment(s.loc)}`];
    default:
      return assertNever(s);
  }
}

function message(m: SExpr | string): string {
  return typeof m === "string" ? JSON.stringify(m) : expr(m);
}

// Binding strength, loosest first (JavaScript's, which the generated code follows).
const PRECEDENCE: Record<BinOp, number> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 4,
  "<=": 4,
  ">": 4,
  ">=": 4,
  "+": 5,
  "-": 5,
  "*": 6,
  "/": 6,
  "%": 6,
  "%/%": 6,
  "^": 7,
};
const UNARY = 8;
const COND = 0;

function precedence(e: SExpr): number {
  switch (e.k) {
    case "bin":
      return PRECEDENCE[e.op];
    case "neg":
    case "not":
      return UNARY;
    case "cond":
      return COND;
    default:
      return 9;
  }
}

function expr(e: SExpr): string {
  const sub = (x: SExpr, min: number) => (precedence(x) < min ? `(${expr(x)})` : expr(x));
  switch (e.k) {
    case "num":
      return e.text;
    case "read":
      return e.at ? `${e.v.js}[${expr(e.at)}]` : e.v.js;
    case "bin": {
      const p = PRECEDENCE[e.op];
      // left-associative, except `^`; integer division spelled as Stan's `%/%`
      return e.op === "^" ? `${sub(e.l, p + 1)} ^ ${sub(e.r, p)}` : `${sub(e.l, p)} ${e.op} ${sub(e.r, p + 1)}`;
    }
    case "neg":
      return `-${sub(e.e, UNARY)}`;
    case "not":
      return `!${sub(e.e, UNARY)}`;
    case "cond":
      return `${sub(e.c, COND + 1)} ? ${sub(e.t, COND + 1)} : ${sub(e.f, COND)}`;
    case "call":
      return `${e.fn}${e.propto ? "<propto>" : ""}(${e.args.map(arg).join(", ")})`;
    case "guard":
      return `guard[${e.deps.map(arg).join(", ")}](${expr(e.e)})`;
    default:
      return assertNever(e);
  }
}

/** A whole container passed to a kernel prints as `v[*]`. */
function arg(a: Arg): string {
  return a.k === "whole" ? `${a.v.js}[*]` : expr(a);
}
