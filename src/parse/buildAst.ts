/**
 * CST → AST. Walks the Chevrotain CST of `grammar/stan/parser.ts` and builds the `src/ast/ast.ts`
 * tree with spans. It also rejects what the grammar deliberately over-accepts (sizes on `real`,
 * constraints on `simplex`, statements in the data block…) with a targeted syntax message, and
 * collects the deprecation warnings (legacy arrays).
 */
import type { CstElement, CstNode, CstNodeLocation, IToken } from "chevrotain";
import type {
  AssignOperator,
  BinaryOperator,
  BlockName,
  DeclType,
  DeclTypeName,
  Expr,
  FunctionDef,
  FunctionParam,
  Index,
  PrefixOperator,
  Program,
  ProgramBlock,
  StanType,
  Stmt,
  Transform,
  Untyped,
  VarDecl,
} from "../ast/ast";
import { fail, type DiagnosticSink } from "../common/diagnostics";
import { joinSpans, type Span } from "../common/span";
import { BINARY_PRECEDENCE } from "../ast/operators";

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function node(n: CstNode, key: string, i = 0): CstNode | undefined {
  const e = n.children[key]?.[i];
  return e && !isToken(e) ? e : undefined;
}

function nodes(n: CstNode, key: string): CstNode[] {
  return (n.children[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

function token(n: CstNode, key: string, i = 0): IToken | undefined {
  const e = n.children[key]?.[i];
  return e && isToken(e) ? e : undefined;
}

function tokens(n: CstNode, key: string): IToken[] {
  return (n.children[key] ?? []).filter(isToken);
}

function need<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`internal error: CST is missing ${what}`);
  return x;
}

/** The single child of a rule node whose grammar is one OR of sub-rules or tokens. */
function onlyChild(n: CstNode): [string, CstElement] {
  const children = n.children as Children;
  for (const key in children) {
    const list = children[key];
    if (list && list.length > 0) return [key, list[0]];
  }
  throw new Error(`internal error: empty CST node ${n.name}`);
}

export class AstBuilder {
  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly warnings: DiagnosticSink,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Spans

  tokenSpan(t: IToken): Span {
    return {
      file: this.file,
      start: { line: t.startLine ?? 0, column: t.startColumn ?? 0, offset: t.startOffset },
      end: { line: t.endLine ?? 0, column: t.endColumn ?? 0, offset: t.endOffset ?? t.startOffset },
    };
  }

  nodeSpan(n: CstNode): Span {
    const l = n.location as CstNodeLocation;
    return {
      file: this.file,
      start: { line: l.startLine ?? 0, column: l.startColumn ?? 0, offset: l.startOffset },
      end: { line: l.endLine ?? 0, column: l.endColumn ?? 0, offset: l.endOffset ?? l.startOffset },
    };
  }

  private syntax(span: Span, message: string, notes?: string[]): never {
    return fail("Syntax error", span, message, notes);
  }

  // -------------------------------------------------------------------------------------------
  // Program

  program(cst: CstNode): Program {
    const fnBlock = node(cst, "functionsBlock");
    const block = (key: string, name: BlockName): ProgramBlock | undefined => {
      const body = node(cst, key);
      return body ? this.programBlock(body, name) : undefined;
    };
    return {
      file: this.file,
      functions: fnBlock
        ? {
            span: this.nodeSpan(fnBlock),
            defs: nodes(fnBlock, "functionDef").map((f) => this.functionDef(f)),
          }
        : undefined,
      data: block("data", "data"),
      transformedData: block("transformedData", "transformed data"),
      parameters: block("parameters", "parameters"),
      transformedParameters: block("transformedParameters", "transformed parameters"),
      model: block("model", "model"),
      generatedQuantities: block("generatedQuantities", "generated quantities"),
    };
  }

  private programBlock(body: CstNode, name: BlockName): ProgramBlock {
    const stmts = this.blockItems(body);
    if (name === "data" || name === "parameters") {
      for (const s of stmts) {
        if (s.kind !== "VarDecl") {
          this.syntax(s.span, `Only variable declarations are allowed in the ${name} block.`);
        }
        if (s.init) {
          this.syntax(
            s.init.meta.span,
            `Variables in the ${name} block cannot be given a value where they are declared.`,
          );
        }
      }
    }
    return { span: this.nodeSpan(body), stmts };
  }

  private blockItems(body: CstNode): Stmt[] {
    const out: Stmt[] = [];
    for (const item of nodes(body, "blockItem")) {
      out.push(...this.statements(need(node(item, "statement"), "statement")));
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  private functionDef(n: CstNode): FunctionDef {
    const nameTok = need(token(n, "name"), "function name");
    const retNode = node(n, "returnType");
    const returnType: StanType = retNode
      ? this.unsizedType(retNode)
      : { base: "void", arrayDims: 0 };
    const params = nodes(n, "functionParam").map((p) => this.functionParam(p));
    const bodyNode = node(n, "body");
    return {
      kind: "FunctionDef",
      span: this.nodeSpan(n),
      name: nameTok.image,
      nameSpan: this.tokenSpan(nameTok),
      returnType,
      params,
      body: bodyNode ? this.blockStatement(bodyNode) : undefined,
    };
  }

  private functionParam(n: CstNode): FunctionParam {
    const nameTok = need(token(n, "name"), "parameter name");
    return {
      name: nameTok.image,
      type: this.unsizedType(need(node(n, "unsizedType"), "parameter type")),
      dataOnly: token(n, "Data") !== undefined,
      span: this.nodeSpan(n),
    };
  }

  private unsizedType(n: CstNode): StanType {
    const basicNode = need(node(n, "basicType"), "basic type");
    const [, kw] = onlyChild(basicNode);
    const word = (kw as IToken).image;
    if (word.startsWith("complex")) this.complexUnsupported(this.nodeSpan(basicNode), word);
    const base = word as StanType["base"];
    if (token(n, "Array")) return { base, arrayDims: 1 + tokens(n, "Comma").length };
    const legacy = token(n, "legacyLBracket");
    if (legacy) {
      const dims = 1 + tokens(n, "legacyComma").length;
      const modern = `array[${",".repeat(dims - 1)}] ${word}`;
      this.warnings.warn(
        this.nodeSpan(n),
        `Declaration of arrays by placing brackets after a type is deprecated; write '${modern}' instead.`,
      );
      return { base, arrayDims: dims };
    }
    return { base, arrayDims: 0 };
  }

  private complexUnsupported(span: Span, word: string): never {
    return this.syntax(span, `Complex numbers are not supported by stan2ts ('${word}').`, [
      "Rewrite the program with real-valued types.",
    ]);
  }

  // -------------------------------------------------------------------------------------------
  // Declarations

  /** One VarDecl per declared name: `real a, b = 1;` is `real a; real b = 1;`. */
  private varDecls(n: CstNode): VarDecl[] {
    const declNode = need(node(n, "declType"), "declaration type");
    const declarators = nodes(n, "declarator");
    const statementSpan = this.nodeSpan(n);
    return declarators.map((d, i) => {
      const span =
        i === declarators.length - 1 ? statementSpan : joinSpans(statementSpan, this.nodeSpan(d));
      return this.varDecl(n, declNode, d, span);
    });
  }

  private varDecl(n: CstNode, declNode: CstNode, declarator: CstNode, span: Span): VarDecl {
    const nameTok = need(token(declarator, "name"), "variable name");
    const modernDims = nodes(n, "arrayDim").map((e) => this.expression(e));
    const legacyDims = nodes(declarator, "legacyDim").map((e) => this.expression(e));
    if (modernDims.length > 0 && legacyDims.length > 0) {
      this.syntax(
        this.tokenSpan(need(token(declarator, "legacyLBracket"), "[")),
        "An array declaration uses either 'array[…]' before the type or the old brackets after the name, not both.",
      );
    }
    const base = this.declType(declNode, legacyDims.length > 0 ? legacyDims : modernDims);
    const initNode = node(declarator, "init");
    if (legacyDims.length > 0) {
      const dims = legacyDims.map((d) => this.textOf(d.meta.span)).join(", ");
      const modern = `array[${dims}] ${this.textOf(this.nodeSpan(declNode))} ${nameTok.image}`;
      this.warnings.warn(
        span,
        `Declaration of arrays by placing brackets after a variable name is deprecated; write '${modern}' instead.`,
      );
    }
    return {
      kind: "VarDecl",
      span,
      name: nameTok.image,
      nameSpan: this.tokenSpan(nameTok),
      declType: base,
      init: initNode ? this.expression(initNode) : undefined,
      legacyArraySyntax: legacyDims.length > 0 ? true : undefined,
    };
  }

  private textOf(span: Span): string {
    return this.source.slice(span.start.offset, span.end.offset + 1).replace(/\s+/g, " ");
  }

  private declType(n: CstNode, arrayDims: Expr[]): DeclType {
    const kw = need(token(n, "keyword"), "type keyword");
    const typeName = kw.image as DeclTypeName;
    const kwSpan = this.tokenSpan(kw);
    if (typeName.startsWith("complex")) this.complexUnsupported(kwSpan, typeName);
    const sizes = nodes(n, "size").map((e) => this.expression(e));
    const constraintNode = node(n, "constraint");
    const transform = constraintNode ? this.constraint(constraintNode, typeName) : undefined;

    const expectSizes = (allowed: number[], spelling: string): void => {
      if (!allowed.includes(sizes.length)) {
        const where =
          sizes.length > 0
            ? joinSpans(sizes[0].meta.span, sizes[sizes.length - 1].meta.span)
            : kwSpan;
        this.syntax(
          where,
          `'${typeName}' takes ${spelling}, written '${typeName}${exampleSizes(typeName)}'; found ${sizes.length}.`,
        );
      }
    };
    const noConstraintAllowed = (): void => {
      if (constraintNode) {
        this.syntax(
          this.nodeSpan(constraintNode),
          `'${typeName}' cannot have bounds or an offset/multiplier; its constraint is part of the type.`,
        );
      }
    };
    let base: DeclType["base"];
    let fixed: Transform | undefined;
    switch (typeName) {
      case "int":
        expectSizes([0], "no size");
        if (transform && transform.kind === "offsetMultiplier") {
          this.syntax(
            this.nodeSpan(need(constraintNode, "constraint")),
            "Integers cannot have an offset or multiplier, only lower and upper bounds.",
          );
        }
        base = "int";
        break;
      case "real":
        expectSizes([0], "no size");
        base = "real";
        break;
      case "vector":
      case "row_vector":
        expectSizes([1], "one size");
        base = typeName;
        break;
      case "matrix":
        expectSizes([2], "two sizes");
        base = "matrix";
        break;
      case "simplex":
      case "unit_vector":
      case "sum_to_zero_vector":
      case "ordered":
      case "positive_ordered":
        expectSizes([1], "one size");
        noConstraintAllowed();
        base = "vector";
        fixed = { kind: typeName };
        break;
      case "cholesky_factor_corr":
      case "corr_matrix":
      case "cov_matrix":
        expectSizes([1], "one size");
        noConstraintAllowed();
        base = "matrix";
        fixed = { kind: typeName };
        break;
      case "cholesky_factor_cov":
        expectSizes([1, 2], "one or two sizes");
        noConstraintAllowed();
        base = "matrix";
        fixed = { kind: typeName };
        break;
      default:
        return this.complexUnsupported(kwSpan, typeName);
    }
    return { typeName, base, sizes, arrayDims, transform: fixed ?? transform ?? { kind: "none" } };
  }

  private constraint(n: CstNode, typeName: string): Transform {
    const seen = new Map<string, Expr>();
    for (const item of nodes(n, "constraintItem")) {
      const which = need(token(item, "which"), "constraint keyword");
      if (seen.has(which.image))
        this.syntax(
          this.tokenSpan(which),
          `'${which.image}' is given twice in the constraint of '${typeName}'.`,
        );
      seen.set(which.image, this.expression(need(node(item, "value"), "constraint value")));
    }
    const lower = seen.get("lower");
    const upper = seen.get("upper");
    const offset = seen.get("offset");
    const multiplier = seen.get("multiplier");
    if ((lower || upper) && (offset || multiplier)) {
      this.syntax(
        this.nodeSpan(n),
        "A declaration cannot have both bounds (lower/upper) and an offset/multiplier.",
      );
    }
    if (lower && upper) return { kind: "lowerUpper", lower, upper };
    if (lower) return { kind: "lower", lower };
    if (upper) return { kind: "upper", upper };
    return { kind: "offsetMultiplier", offset, multiplier };
  }

  // -------------------------------------------------------------------------------------------
  // Statements

  /** Returns undefined for the empty statement `;`. */
  /** A statement node: none for `;`, several for `real a, b;`, otherwise one. */
  private statements(n: CstNode): Stmt[] {
    const decl = node(n, "varDecl");
    if (decl) return this.varDecls(decl);
    const s = this.statement(n);
    return s ? [s] : [];
  }

  private statement(n: CstNode): Stmt | undefined {
    const span = this.nodeSpan(n);
    const [key, child] = onlyChild(n);
    switch (key) {
      case "targetStatement": {
        const c = child as CstNode;
        return {
          kind: "TargetPlus",
          span,
          expr: this.expression(need(node(c, "expression"), "expression")),
        };
      }
      case "forStatement":
        return this.forStatement(child as CstNode);
      case "whileStatement": {
        const c = child as CstNode;
        return {
          kind: "While",
          span,
          condition: this.expression(need(node(c, "condition"), "condition")),
          body: this.bodyStatement(need(node(c, "body"), "body")),
        };
      }
      case "ifStatement": {
        const c = child as CstNode;
        const otherwise = node(c, "otherwise");
        return {
          kind: "IfElse",
          span,
          condition: this.expression(need(node(c, "condition"), "condition")),
          then: this.bodyStatement(need(node(c, "then"), "then")),
          otherwise: otherwise ? this.bodyStatement(otherwise) : undefined,
        };
      }
      case "Break":
        return { kind: "Break", span };
      case "Continue":
        return { kind: "Continue", span };
      case "returnStatement": {
        const value = node(child as CstNode, "expression");
        return { kind: "Return", span, value: value ? this.expression(value) : undefined };
      }
      case "printStatement": {
        const c = child as CstNode;
        const which = need(token(c, "which"), "print keyword").image;
        const kind = which === "print" ? "Print" : which === "reject" ? "Reject" : "FatalError";
        return { kind, span, args: nodes(c, "printable").map((p) => this.printable(p)) };
      }
      case "profileStatement": {
        const c = child as CstNode;
        const nameTok = need(token(c, "StringLiteral"), "profile name");
        return {
          kind: "Profile",
          span,
          name: nameTok.image.slice(1, -1),
          stmts: this.blockItems(need(node(c, "blockBody"), "profile body")),
        };
      }
      case "blockStatement":
        return this.blockStatement(child as CstNode);
      case "empty":
        return undefined;
      case "expressionStatement":
        return this.expressionStatement(child as CstNode);
      default:
        throw new Error(`internal error: unknown statement CST ${key}`);
    }
  }

  /** The body of a loop or branch: the empty statement becomes an empty block. */
  private bodyStatement(n: CstNode): Stmt {
    const stmts = this.statements(n);
    return stmts.length === 1 ? stmts[0] : { kind: "Block", span: this.nodeSpan(n), stmts };
  }

  private blockStatement(n: CstNode): Stmt {
    return {
      kind: "Block",
      span: this.nodeSpan(n),
      stmts: this.blockItems(need(node(n, "blockBody"), "block body")),
    };
  }

  private forStatement(c: CstNode): Stmt {
    const span = this.nodeSpan(c);
    const variable = need(token(c, "variable"), "loop variable").image;
    const from = this.expression(need(node(c, "from"), "loop start"));
    const to = node(c, "to");
    const body = this.bodyStatement(need(node(c, "body"), "loop body"));
    if (to) return { kind: "For", span, variable, lower: from, upper: this.expression(to), body };
    return { kind: "ForEach", span, variable, collection: from, body };
  }

  private expressionStatement(c: CstNode): Stmt {
    const span = this.nodeSpan(c);
    const lhs = this.expression(need(node(c, "lhs"), "statement expression"));
    const dist = token(c, "distribution");
    if (dist) {
      const trunc = node(c, "truncation");
      const lower = trunc ? node(trunc, "lower") : undefined;
      const upper = trunc ? node(trunc, "upper") : undefined;
      return {
        kind: "Tilde",
        span,
        lhs,
        distribution: dist.image,
        distributionSpan: this.tokenSpan(dist),
        args: nodes(c, "arg").map((a) => this.expression(a)),
        truncation: trunc
          ? {
              lower: lower ? this.expression(lower) : undefined,
              upper: upper ? this.expression(upper) : undefined,
            }
          : undefined,
      };
    }
    const opTok = token(c, "AssignOp");
    if (opTok) {
      const rhs = this.expression(need(node(c, "rhs"), "assigned value"));
      const op = opTok.image as AssignOperator;
      if (lhs.kind === "Variable" && lhs.name === "jacobian" && op === "+=") {
        return { kind: "JacobianPlus", span, expr: rhs };
      }
      if (!isAssignable(lhs)) {
        this.syntax(
          lhs.meta.span,
          "The left-hand side of an assignment must be a variable, optionally indexed.",
        );
      }
      return { kind: "Assign", span, lhs, op, rhs };
    }
    if (lhs.kind !== "FunctionCall") {
      const legacyArrow =
        lhs.kind === "BinaryOp" && lhs.op === "<" && /<-/.test(this.textOf(lhs.meta.span));
      this.syntax(
        lhs.meta.span,
        "An expression on its own is not a statement; expected a function call, an assignment or a '~' statement.",
        legacyArrow
          ? ["The old '<-' assignment was removed from Stan; write '=' instead."]
          : undefined,
      );
    }
    return { kind: "CallStmt", span, call: lhs };
  }

  private printable(n: CstNode): Expr {
    const str = token(n, "StringLiteral");
    if (str)
      return {
        kind: "StringLiteral",
        meta: { span: this.tokenSpan(str) },
        value: str.image.slice(1, -1),
      };
    return this.expression(need(node(n, "expression"), "printed expression"));
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  expression(n: CstNode): Expr {
    switch (n.name) {
      case "expression": {
        const condition = this.expression(need(node(n, "condition"), "condition"));
        const then = node(n, "then");
        if (!then) return condition;
        return {
          kind: "TernaryIf",
          meta: { span: this.nodeSpan(n) },
          condition,
          then: this.expression(then),
          otherwise: this.expression(need(node(n, "otherwise"), "else branch")),
        };
      }
      case "binaryExpr":
      case "constraintExpr":
        return this.binaryChain(n);
      case "unaryExpr": {
        const op = token(n, "operator");
        if (!op) return this.expression(need(node(n, "powerExpr"), "power expression"));
        return {
          kind: "PrefixOp",
          meta: { span: this.nodeSpan(n) },
          op: op.image as PrefixOperator,
          operand: this.expression(need(node(n, "operand"), "operand")),
        };
      }
      case "powerExpr": {
        const base = this.expression(need(node(n, "base"), "base"));
        const op = token(n, "operator");
        if (!op) return base;
        return {
          kind: "BinaryOp",
          meta: { span: this.nodeSpan(n) },
          op: op.image as BinaryOperator,
          left: base,
          right: this.expression(need(node(n, "exponent"), "exponent")),
        };
      }
      case "postfixExpr":
        return this.postfix(n);
      case "primary":
        return this.primary(n);
      default:
        throw new Error(`internal error: unexpected expression CST ${n.name}`);
    }
  }

  /**
   * Groups a flat `a op b op c …` by Stan's precedence table (all these operators associate to
   * the left) with precedence climbing.
   */
  private binaryChain(n: CstNode): Expr {
    const operandNodes = n.children.operand as CstNode[];
    const operatorTokens = n.children.operator as IToken[] | undefined;
    if (!operatorTokens) return this.expression(operandNodes[0]);
    const operands = operandNodes.map((o) => this.expression(o));
    const ops = operatorTokens.map((t) => t.image as BinaryOperator);
    return this.climb(operands, ops, { next: 0 }, 0);
  }

  /** Precedence climbing over operands[cursor.next…]: builds the subtree whose operators bind at least `minPrecedence`. */
  private climb(
    operands: Expr[],
    ops: BinaryOperator[],
    cursor: { next: number },
    minPrecedence: number,
  ): Expr {
    let left = operands[cursor.next++];
    // ops[cursor.next - 1] is the operator right after the operand just taken.
    while (cursor.next - 1 < ops.length) {
      const op = ops[cursor.next - 1];
      const precedence = BINARY_PRECEDENCE[op];
      if (precedence < minPrecedence) break;
      const right = this.climb(operands, ops, cursor, precedence + 1);
      left = {
        kind: "BinaryOp",
        meta: { span: joinSpans(left.meta.span, right.meta.span) },
        op,
        left,
        right,
      };
    }
    return left;
  }

  private postfix(n: CstNode): Expr {
    let acc = this.primary(need(node(n, "primary"), "primary expression"));
    for (const p of n.children.postfix ?? []) {
      if (isToken(p)) {
        acc = {
          kind: "Transpose",
          meta: { span: joinSpans(acc.meta.span, this.tokenSpan(p)) },
          operand: acc,
        };
      } else {
        acc = {
          kind: "Indexed",
          meta: { span: joinSpans(acc.meta.span, this.nodeSpan(p)) },
          target: acc,
          indices: nodes(p, "index").map((i) => this.index(i)),
        };
      }
    }
    return acc;
  }

  private index(n: CstNode): Index {
    const lower = node(n, "lower");
    const upper = node(n, "upper");
    const colon = token(n, "Colon") ?? token(n, "Colon", 1);
    if (!lower && !upper) return { kind: "All" };
    if (!colon) return { kind: "Single", expr: this.expression(need(lower, "index")) };
    if (lower && upper)
      return { kind: "Between", lower: this.expression(lower), upper: this.expression(upper) };
    if (lower) return { kind: "Upfrom", lower: this.expression(lower) };
    return { kind: "Downfrom", upper: this.expression(need(upper, "upper index")) };
  }

  private primary(n: CstNode): Expr {
    const meta: Untyped = { span: this.nodeSpan(n) };
    const int = token(n, "IntLiteral");
    // Digit separators (`10_000`) are dropped so later stages can read the number directly.
    if (int) return { kind: "IntLiteral", meta, text: int.image.replace(/_/g, "") };
    const real = token(n, "RealLiteral");
    if (real) return { kind: "RealLiteral", meta, text: real.image.replace(/_/g, "") };
    const imag = token(n, "ImagLiteral");
    if (imag) this.complexUnsupported(meta.span, imag.image);
    const id = token(n, "Identifier");
    if (id) {
      const args = node(n, "callArgs");
      if (!args) return { kind: "Variable", meta, name: id.image };
      return {
        kind: "FunctionCall",
        meta,
        name: id.image,
        nameSpan: this.tokenSpan(id),
        args: nodes(args, "arg").map((a) => this.expression(a)),
        conditional: token(args, "Bar") !== undefined,
      };
    }
    const target = token(n, "Target");
    if (target) {
      return {
        kind: "FunctionCall",
        meta,
        name: "target",
        nameSpan: this.tokenSpan(target),
        args: [],
        conditional: false,
      };
    }
    const inner = node(n, "inner");
    if (inner) return { kind: "Paren", meta, inner: this.expression(inner) };
    if (token(n, "LBrace")) {
      return {
        kind: "ArrayLiteral",
        meta,
        elements: nodes(n, "arrayElement").map((e) => this.expression(e)),
      };
    }
    if (token(n, "LBracket")) {
      return {
        kind: "RowVectorLiteral",
        meta,
        elements: nodes(n, "rowElement").map((e) => this.expression(e)),
      };
    }
    throw new Error("internal error: unknown primary expression");
  }
}

function isAssignable(e: Expr): boolean {
  if (e.kind === "Variable") return true;
  if (e.kind === "Indexed") return isAssignable(e.target);
  return false;
}

function exampleSizes(typeName: string): string {
  switch (typeName) {
    case "int":
    case "real":
      return "";
    case "matrix":
      return "[R, C]";
    case "cholesky_factor_cov":
      return "[M, N]";
    default:
      return "[K]";
  }
}
