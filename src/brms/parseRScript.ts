/**
 * R script text → `RScript`. Lexing and parsing use the grammar in `grammar/r`; this file turns the
 * concrete syntax tree into `RExpr` nodes with spans and reports syntax errors in the shared frame.
 */
import type { CstElement, CstNode, IToken } from "chevrotain";
import { lexR } from "../../grammar/r/lexer";
import { rParser, parseRTokens } from "../../grammar/r/parser";
import { fail } from "../common/diagnostics";
import type { Position, Span } from "../common/span";
import type { RArg, RExpr, RScript } from "./rAst";

export function parseRScript(source: string, file: string): RScript {
  const lexed = lexR(source);
  if (lexed.errors.length > 0) {
    const error = lexed.errors[0];
    const start = positionAt(source, error.offset);
    const char = source.slice(error.offset, error.offset + error.length).slice(0, 1);
    fail("Syntax error", { file, start, end: start }, `Unexpected character '${char}' in the R script.`);
  }
  const cst = parseRTokens(lexed.tokens);
  if (rParser.errors.length > 0) {
    const error = rParser.errors[0];
    const token = error.token;
    if (token.tokenType.name === "EOF") {
      const last = lexed.tokens[lexed.tokens.length - 1];
      const at = last ? tokenSpan(last, file) : { file, start: positionAt(source, 0), end: positionAt(source, 0) };
      fail("Syntax error", { file, start: at.end, end: at.end }, "The R script ends in the middle of an expression (a bracket or argument is missing).");
    }
    const image = token.tokenType.name === "Newline" ? "end of line" : `'${token.image}'`;
    fail("Syntax error", tokenSpan(token, file), `Unexpected ${image} in the R script.`, [plainChevrotainMessage(error.message)]);
  }
  const builder = new AstBuilder(file);
  const statements = nodes(cst, "statement").map((s) => builder.statement(s));
  return { file, source, statements };
}

function plainChevrotainMessage(message: string): string {
  return message.replace(/-->\s*/g, "").replace(/\s*<--/g, "").replace("token of type ", "").split("\n")[0];
}

function positionAt(source: string, offset: number): Position {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === "\n") {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column, offset };
}

function tokenSpan(token: IToken, file: string): Span {
  return {
    file,
    start: { line: token.startLine ?? 0, column: token.startColumn ?? 0, offset: token.startOffset },
    end: { line: token.endLine ?? 0, column: token.endColumn ?? 0, offset: token.endOffset ?? token.startOffset },
  };
}

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function nodes(node: CstNode, key: string): CstNode[] {
  return ((node.children[key] ?? []) as CstElement[]).filter((e): e is CstNode => !isToken(e));
}

function tokens(node: CstNode, key: string): IToken[] {
  return ((node.children[key] ?? []) as CstElement[]).filter(isToken);
}

function node(n: CstNode, key: string): CstNode | undefined {
  return nodes(n, key)[0];
}

function spanOf(a: RExpr | Span, b: RExpr | Span): Span {
  const first = "kind" in a ? a.span : a;
  const last = "kind" in b ? b.span : b;
  return { file: first.file, start: first.start, end: last.end };
}

/** Unescapes an R string literal's body (the common escapes; others keep their character). */
function unquote(image: string): string {
  const body = image.slice(1, -1);
  return body.replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", "0": "\0" })[c] ?? c);
}

class AstBuilder {
  constructor(private readonly file: string) {}

  private span(token: IToken): Span {
    return tokenSpan(token, this.file);
  }

  statement(n: CstNode): RExpr {
    return this.assignExpr(node(n, "assignExpr")!);
  }

  assignExpr(n: CstNode): RExpr {
    const target = this.tildeExpr(node(n, "tildeExpr")!);
    const value = node(n, "assignExpr");
    if (!value) return target;
    const rhs = this.assignExpr(value);
    return { kind: "Assign", target, value: rhs, span: spanOf(target, rhs) };
  }

  tildeExpr(n: CstNode): RExpr {
    const lhsNode = node(n, "lhs");
    const rhsNode = node(n, "rhs");
    const tilde = tokens(n, "Tilde")[0];
    const lhs = lhsNode ? this.orExpr(lhsNode) : undefined;
    if (!rhsNode) return lhs!;
    const rhs = this.orExpr(rhsNode);
    return { kind: "Formula", lhs, rhs, span: spanOf(lhs ?? this.span(tilde), rhs) };
  }

  /** Left-associative binary chains share one shape: operands and ops labels. */
  private chain(n: CstNode, next: (c: CstNode) => RExpr): RExpr {
    const operands = nodes(n, "operands").map(next);
    const ops = tokens(n, "ops");
    let result = operands[0];
    for (let i = 0; i < ops.length; i++) {
      const right = operands[i + 1];
      result = { kind: "Binary", op: ops[i].image, left: result, right, opSpan: this.span(ops[i]), span: spanOf(result, right) };
    }
    return result;
  }

  orExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.andExpr(c));
  }
  andExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.notExpr(c));
  }
  notExpr(n: CstNode): RExpr {
    const inner = node(n, "notExpr");
    if (inner) {
      const operand = this.notExpr(inner);
      return { kind: "Unary", op: "!", operand, span: spanOf(this.span(tokens(n, "Not")[0]), operand) };
    }
    return this.compareExpr(node(n, "compareExpr")!);
  }
  compareExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.addExpr(c));
  }
  addExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.mulExpr(c));
  }
  mulExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.specialExpr(c));
  }
  specialExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.colonExpr(c));
  }
  colonExpr(n: CstNode): RExpr {
    return this.chain(n, (c) => this.unaryExpr(c));
  }
  unaryExpr(n: CstNode): RExpr {
    const inner = node(n, "unaryExpr");
    if (inner) {
      const op = tokens(n, "op")[0];
      const operand = this.unaryExpr(inner);
      return { kind: "Unary", op: op.image, operand, span: spanOf(this.span(op), operand) };
    }
    return this.powerExpr(node(n, "powerExpr")!);
  }
  powerExpr(n: CstNode): RExpr {
    const base = this.postfixExpr(node(n, "postfixExpr")!);
    const exponentNode = node(n, "exponent");
    if (!exponentNode) return base;
    const exponent = this.unaryExpr(exponentNode);
    return { kind: "Binary", op: "^", left: base, right: exponent, opSpan: this.span(tokens(n, "Caret")[0]), span: spanOf(base, exponent) };
  }

  postfixExpr(n: CstNode): RExpr {
    let result = this.primary(node(n, "primary")!);
    // Suffixes appear in source order; merge the labelled children by offset.
    const suffixes: { offset: number; apply: (target: RExpr) => RExpr }[] = [];
    for (const call of nodes(n, "callSuffix")) {
      const close = tokens(call, "RParen")[0];
      suffixes.push({
        offset: tokens(call, "LParen")[0].startOffset,
        apply: (target) => ({ kind: "Call", fn: target, args: this.argList(node(call, "argList")!), span: spanOf(target, this.span(close)) }),
      });
    }
    const members = tokens(n, "member");
    tokens(n, "Dollar").forEach((dollar, i) => {
      suffixes.push({
        offset: dollar.startOffset,
        apply: (target) => ({ kind: "Member", target, member: members[i].image, span: spanOf(target, this.span(members[i])) }),
      });
    });
    const indexLists = nodes(n, "index");
    const closers = tokens(n, "RBracket");
    tokens(n, "LBracket").forEach((open, i) => {
      suffixes.push({
        offset: open.startOffset,
        apply: (target) => ({ kind: "Index", target, args: this.argList(indexLists[i]), span: spanOf(target, this.span(closers[i])) }),
      });
    });
    suffixes.sort((a, b) => a.offset - b.offset);
    for (const s of suffixes) result = s.apply(result);
    return result;
  }

  argList(n: CstNode): RArg[] {
    return nodes(n, "argument").map((a) => {
      const value = this.tildeExpr(node(a, "value")!);
      const nameToken = tokens(a, "name")[0];
      if (!nameToken) return { value, span: value.span };
      const name = nameToken.tokenType.name === "StringLiteral" ? unquote(nameToken.image) : stripBackticks(nameToken.image);
      return { name, nameSpan: this.span(nameToken), value, span: spanOf(this.span(nameToken), value) };
    });
  }

  primary(n: CstNode): RExpr {
    const c = n.children;
    const first = (key: string): IToken | undefined => tokens(n, key)[0];
    let t: IToken | undefined;
    if ((t = first("NumberLiteral"))) {
      const text = t.image;
      const value = /^0[xX]/.test(text) ? parseInt(text.replace(/L$/, ""), 16) : Number(text.replace(/L$/, ""));
      return { kind: "Num", value, text, span: this.span(t) };
    }
    if ((t = first("StringLiteral"))) return { kind: "Str", value: unquote(t.image), span: this.span(t) };
    if ((t = first("True"))) return { kind: "Bool", value: true, span: this.span(t) };
    if ((t = first("False"))) return { kind: "Bool", value: false, span: this.span(t) };
    if ((t = first("Null"))) return { kind: "Null", span: this.span(t) };
    if ((t = first("NA"))) return { kind: "NA", span: this.span(t) };
    const names = tokens(n, "name");
    if (names.length > 0) {
      // `pkg::fn` names the function; the package only matters to R's search path.
      const last = names[names.length - 1];
      return { kind: "Name", name: stripBackticks(last.image), span: spanOf(this.span(names[0]), this.span(last)) };
    }
    const inner = node(n, "inner");
    if (inner) {
      const open = first("LParen")!;
      const close = first("RParen")!;
      return { kind: "Paren", inner: this.assignExpr(inner), span: spanOf(this.span(open), this.span(close)) };
    }
    if (c.LBrace) {
      const body = nodes(n, "body").map((s) => this.statement(s));
      return { kind: "Braces", body, span: spanOf(this.span(first("LBrace")!), this.span(first("RBrace")!)) };
    }
    throw new Error("parseRScript: unexpected primary node");
  }
}

function stripBackticks(name: string): string {
  return name.startsWith("`") ? name.slice(1, -1) : name;
}


