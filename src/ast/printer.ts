/**
 * AST → canonical modern Stan: two-space indentation, one statement per line, `array[…]` declarations
 * (legacy `real x[N]` rewritten), and only the parentheses the tree needs. Parenthesised source keeps
 * its `Paren` nodes, so parse(print(parse(x))) equals parse(x) up to spans; trees built by other stages
 * without `Paren` nodes still print correctly because parentheses are added from precedence.
 */
import { assertNever } from "../common/assertNever";
import { BINARY_PRECEDENCE, POWER_PRECEDENCE } from "./operators";
import type {
  BinaryOperator,
  DeclType,
  Expr,
  FunctionDef,
  FunctionParam,
  Index,
  Program,
  ProgramBlock,
  StanType,
  Stmt,
  Transform,
} from "./ast";

const INDENT = "  ";

// Binding strength, loosest first (the Stan reference manual's precedence table).
const TERNARY = 1;
const UNARY = 10;
const POWER = POWER_PRECEDENCE;
const POSTFIX = 12;
const PRIMARY = 13;
/** Bounds in `<lower=…>` are parsed at the additive level (so `>` can close the constraint). */
const ADDITIVE = 6;

function precedence(e: Expr<unknown>): number {
  switch (e.kind) {
    case "TernaryIf":
      return TERNARY;
    case "BinaryOp":
      return BINARY_PRECEDENCE[e.op];
    case "PrefixOp":
      return UNARY;
    case "Transpose":
    case "Indexed":
      return POSTFIX;
    default:
      return PRIMARY;
  }
}

/** Prints `e`, parenthesised if it binds looser than `min`. */
function printAt(e: Expr<unknown>, min: number): string {
  const s = printExpr(e);
  return precedence(e) < min ? `(${s})` : s;
}

export function printExpr(e: Expr<unknown>): string {
  switch (e.kind) {
    case "IntLiteral":
    case "RealLiteral":
      return e.text;
    case "StringLiteral":
      return `"${e.value}"`;
    case "Variable":
      return e.name;
    case "FunctionCall":
      return printCall(e.name, e.args, e.conditional);
    case "BinaryOp": {
      const p = BINARY_PRECEDENCE[e.op];
      if (p === POWER) return `${printAt(e.left, POSTFIX)} ${e.op} ${printAt(e.right, UNARY)}`;
      return `${printAt(e.left, p)} ${e.op} ${printAt(e.right, p + 1)}`;
    }
    case "PrefixOp":
      return `${e.op}${printAt(e.operand, UNARY)}`;
    case "Transpose":
      return `${printAt(e.operand, POSTFIX)}'`;
    case "TernaryIf":
      return `${printAt(e.condition, TERNARY + 1)} ? ${printExpr(e.then)} : ${printAt(e.otherwise, TERNARY)}`;
    case "Indexed":
      return `${printAt(e.target, POSTFIX)}[${e.indices.map(printIndex).join(", ")}]`;
    case "ArrayLiteral":
      return `{${e.elements.map(printExpr).join(", ")}}`;
    case "RowVectorLiteral":
      return `[${e.elements.map(printExpr).join(", ")}]`;
    case "Paren":
      return `(${printExpr(e.inner)})`;
    default:
      return assertNever(e, "expression");
  }
}

function printCall(name: string, args: readonly Expr<unknown>[], conditional: boolean): string {
  if (name === "target" && args.length === 0) return "target()";
  if (!conditional || args.length === 0) return `${name}(${args.map(printExpr).join(", ")})`;
  const rest = args.slice(1).map(printExpr).join(", ");
  return `${name}(${printExpr(args[0])} |${rest ? " " + rest : ""})`;
}

function printIndex(i: Index<unknown>): string {
  switch (i.kind) {
    case "Single":
      return printExpr(i.expr);
    case "All":
      return "";
    case "Upfrom":
      return `${printExpr(i.lower)}:`;
    case "Downfrom":
      return `:${printExpr(i.upper)}`;
    case "Between":
      return `${printExpr(i.lower)}:${printExpr(i.upper)}`;
    default:
      return assertNever(i, "index");
  }
}

// ---------------------------------------------------------------------------------------------
// Types

function printTransform(t: Transform<unknown>): string {
  const bound = (e: Expr<unknown>): string => printAt(e, ADDITIVE);
  switch (t.kind) {
    case "lower":
      return `<lower=${bound(t.lower)}>`;
    case "upper":
      return `<upper=${bound(t.upper)}>`;
    case "lowerUpper":
      return `<lower=${bound(t.lower)}, upper=${bound(t.upper)}>`;
    case "offsetMultiplier": {
      const parts: string[] = [];
      if (t.offset) parts.push(`offset=${bound(t.offset)}`);
      if (t.multiplier) parts.push(`multiplier=${bound(t.multiplier)}`);
      return parts.length > 0 ? `<${parts.join(", ")}>` : "";
    }
    default:
      // none, and the constraints that are part of the type name (simplex, corr_matrix, …)
      return "";
  }
}

/** `array[N] vector<lower=0>[K]`: the full declared type, without the variable name. */
export function printDeclType(t: DeclType<unknown>): string {
  const sizes = t.sizes.length > 0 ? `[${t.sizes.map(printExpr).join(", ")}]` : "";
  const element = `${t.typeName}${printTransform(t.transform)}${sizes}`;
  return t.arrayDims.length > 0
    ? `array[${t.arrayDims.map(printExpr).join(", ")}] ${element}`
    : element;
}

/** `array[,] real`, `vector`, `void`: an unsized type as in function signatures. */
export function printUnsizedType(t: StanType): string {
  return t.arrayDims > 0 ? `array[${",".repeat(t.arrayDims - 1)}] ${t.base}` : t.base;
}

// ---------------------------------------------------------------------------------------------
// Statements

export function printStmt(s: Stmt<unknown>, indent = ""): string {
  const inner = indent + INDENT;
  switch (s.kind) {
    case "VarDecl":
      return `${indent}${printDeclType(s.declType)} ${s.name}${s.init ? ` = ${printExpr(s.init)}` : ""};`;
    case "Assign":
      return `${indent}${printExpr(s.lhs)} ${s.op} ${printExpr(s.rhs)};`;
    case "Tilde": {
      let out = `${indent}${printExpr(s.lhs)} ~ ${s.distribution}(${s.args.map(printExpr).join(", ")})`;
      if (s.truncation) {
        const lo = s.truncation.lower ? printExpr(s.truncation.lower) : "";
        const hi = s.truncation.upper ? printExpr(s.truncation.upper) : "";
        out += ` T[${lo}, ${hi}]`;
      }
      return `${out};`;
    }
    case "TargetPlus":
      return `${indent}target += ${printExpr(s.expr)};`;
    case "JacobianPlus":
      return `${indent}jacobian += ${printExpr(s.expr)};`;
    case "For":
      return `${indent}for (${s.variable} in ${printExpr(s.lower)}:${printExpr(s.upper)})${printBody(s.body, indent)}`;
    case "ForEach":
      return `${indent}for (${s.variable} in ${printExpr(s.collection)})${printBody(s.body, indent)}`;
    case "While":
      return `${indent}while (${printExpr(s.condition)})${printBody(s.body, indent)}`;
    case "IfElse": {
      let out = `${indent}if (${printExpr(s.condition)})${printBody(s.then, indent)}`;
      if (s.otherwise) {
        const joiner = s.then.kind === "Block" ? " " : `\n${indent}`;
        if (s.otherwise.kind === "IfElse")
          out += `${joiner}else ${printStmt(s.otherwise, indent).trimStart()}`;
        else out += `${joiner}else${printBody(s.otherwise, indent)}`;
      }
      return out;
    }
    case "Break":
      return `${indent}break;`;
    case "Continue":
      return `${indent}continue;`;
    case "Return":
      return s.value ? `${indent}return ${printExpr(s.value)};` : `${indent}return;`;
    case "Print":
    case "Reject":
    case "FatalError": {
      const word = s.kind === "Print" ? "print" : s.kind === "Reject" ? "reject" : "fatal_error";
      return `${indent}${word}(${s.args.map(printExpr).join(", ")});`;
    }
    case "Block":
      return `${indent}{${printStmtList(s.stmts, inner)}${indent}}`;
    case "Profile":
      return `${indent}profile("${s.name}") {${printStmtList(s.stmts, inner)}${indent}}`;
    case "CallStmt":
      return `${indent}${printExpr(s.call)};`;
    default:
      return assertNever(s, "statement");
  }
}

/** A loop or branch body: blocks open on the same line, single statements go on the next. */
function printBody(body: Stmt<unknown>, indent: string): string {
  if (body.kind === "Block") return ` ${printStmt(body, indent).trimStart()}`;
  return `\n${printStmt(body, indent + INDENT)}`;
}

function printStmtList(stmts: readonly Stmt<unknown>[], indent: string): string {
  if (stmts.length === 0) return "\n";
  return `\n${stmts.map((s) => printStmt(s, indent)).join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Functions and program

function printParam(p: FunctionParam): string {
  return `${p.dataOnly ? "data " : ""}${printUnsizedType(p.type)} ${p.name}`;
}

export function printFunctionDef(f: FunctionDef<unknown>, indent = ""): string {
  const head = `${indent}${printUnsizedType(f.returnType)} ${f.name}(${f.params.map(printParam).join(", ")})`;
  if (!f.body) return `${head};`;
  return `${head} ${printStmt(f.body, indent).trimStart()}`;
}

function printBlock(name: string, block: ProgramBlock<unknown> | undefined): string {
  if (!block) return "";
  return `${name} {${printStmtList(block.stmts, INDENT)}}\n`;
}

export function printProgram(program: Program<unknown>): string {
  let out = "";
  if (program.functions) {
    const defs = program.functions.defs.map((f) => printFunctionDef(f, INDENT)).join("\n");
    out += `functions {\n${defs}${defs ? "\n" : ""}}\n`;
  }
  out += printBlock("data", program.data);
  out += printBlock("transformed data", program.transformedData);
  out += printBlock("parameters", program.parameters);
  out += printBlock("transformed parameters", program.transformedParameters);
  out += printBlock("model", program.model);
  out += printBlock("generated quantities", program.generatedQuantities);
  return out;
}
