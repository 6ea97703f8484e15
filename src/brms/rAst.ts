/**
 * The syntax tree of an R model script: just enough of R to describe data loading, formulas, priors
 * and the `brm()` call. Every node keeps its span so later stages can point at the text.
 */
import type { Span } from "../common/span";

export interface RArg {
  readonly name?: string;
  readonly nameSpan?: Span;
  readonly value: RExpr;
  readonly span: Span;
}

export type RExpr =
  | { readonly kind: "Num"; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: "Str"; readonly value: string; readonly span: Span }
  | { readonly kind: "Bool"; readonly value: boolean; readonly span: Span }
  | { readonly kind: "Null"; readonly span: Span }
  | { readonly kind: "NA"; readonly span: Span }
  | { readonly kind: "Name"; readonly name: string; readonly span: Span }
  | { readonly kind: "Call"; readonly fn: RExpr; readonly args: readonly RArg[]; readonly span: Span }
  | { readonly kind: "Binary"; readonly op: string; readonly left: RExpr; readonly right: RExpr; readonly opSpan: Span; readonly span: Span }
  | { readonly kind: "Unary"; readonly op: string; readonly operand: RExpr; readonly span: Span }
  | { readonly kind: "Formula"; readonly lhs?: RExpr; readonly rhs: RExpr; readonly span: Span }
  | { readonly kind: "Paren"; readonly inner: RExpr; readonly span: Span }
  | { readonly kind: "Assign"; readonly target: RExpr; readonly value: RExpr; readonly span: Span }
  | { readonly kind: "Member"; readonly target: RExpr; readonly member: string; readonly span: Span }
  | { readonly kind: "Index"; readonly target: RExpr; readonly args: readonly RArg[]; readonly span: Span }
  | { readonly kind: "Braces"; readonly body: readonly RExpr[]; readonly span: Span };

export interface RScript {
  readonly file: string;
  readonly source: string;
  readonly statements: readonly RExpr[];
}

/** The name of a called function (`brm`, `brms::brm` → `brm`), or undefined for computed callees. */
export function calleeName(call: Extract<RExpr, { kind: "Call" }>): string | undefined {
  return call.fn.kind === "Name" ? call.fn.name : undefined;
}

/** R's default formatting of a double (15 significant digits, shortest of fixed and scientific). */
export function formatRNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const precise = Number(x.toPrecision(15));
  const fixed = fixedString(precise);
  const sci = sciString(precise);
  // R prefers fixed unless it is wider than scientific (scipen = 0).
  return fixed.length <= sci.length ? fixed : sci;
}

function fixedString(x: number): string {
  const abs = Math.abs(x);
  let text = abs >= 1e21 ? abs.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 0 }) : String(abs);
  if (/e/.test(text)) {
    text = abs.toFixed(Math.min(100, Math.max(0, -Math.floor(Math.log10(abs)) + 15)));
    text = text.replace(/\.?0+$/, "");
  }
  return (x < 0 ? "-" : "") + text;
}

function sciString(x: number): string {
  const [mantissa, exponent] = x.toExponential().split("e");
  const e = Number(exponent);
  const digits = String(Math.abs(e)).padStart(2, "0");
  return `${mantissa}e${e < 0 ? "-" : "+"}${digits}`;
}

const SPACED = new Set(["+", "-", "*", "/", "|", "||", "&", "&&", "==", "!=", "<", ">", "<=", ">=", "%>%", "|>", "%in%", "%%", "%/%"]);

/** Text of an expression the way R's `deparse` writes it (`normal(0,1)` → `normal(0, 1)`). */
export function deparseR(e: RExpr): string {
  switch (e.kind) {
    case "Num":
      return /L$/.test(e.text) ? e.text : formatRNumber(e.value);
    case "Str":
      return JSON.stringify(e.value);
    case "Bool":
      return e.value ? "TRUE" : "FALSE";
    case "Null":
      return "NULL";
    case "NA":
      return "NA";
    case "Name":
      return e.name;
    case "Call":
      return `${deparseR(e.fn)}(${e.args.map(deparseArg).join(", ")})`;
    case "Binary":
      if (e.op === "^" || e.op === ":" || e.op === "::") return `${deparseR(e.left)}${e.op}${deparseR(e.right)}`;
      return `${deparseR(e.left)} ${SPACED.has(e.op) || e.op.startsWith("%") ? e.op : e.op} ${deparseR(e.right)}`;
    case "Unary":
      return `${e.op}${deparseR(e.operand)}`;
    case "Formula":
      return e.lhs ? `${deparseR(e.lhs)} ~ ${deparseR(e.rhs)}` : `~${deparseR(e.rhs)}`;
    case "Paren":
      return `(${deparseR(e.inner)})`;
    case "Assign":
      return `${deparseR(e.target)} <- ${deparseR(e.value)}`;
    case "Member":
      return `${deparseR(e.target)}$${e.member}`;
    case "Index":
      return `${deparseR(e.target)}[${e.args.map(deparseArg).join(", ")}]`;
    case "Braces":
      return `{${e.body.map(deparseR).join("; ")}}`;
  }
}

function deparseArg(a: RArg): string {
  return a.name === undefined ? deparseR(a.value) : `${a.name} = ${deparseR(a.value)}`;
}

/** A data column named in a formula, with where it was written. */
export interface VariableRef {
  readonly name: string;
  readonly span: Span;
}
