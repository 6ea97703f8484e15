/**
 * Wording of syntax errors: one plain sentence saying what was expected and what was found, phrased
 * per grammar rule where a token list would be noise (e.g. "Expected an expression").
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

const PUNCTUATION_NAMES: Record<string, string> = {
  Identifier: "an identifier",
  IntLiteral: "an integer literal",
  RealLiteral: "a real literal",
  ImagLiteral: "an imaginary literal",
  StringLiteral: "a string literal",
  AssignOp: "an assignment operator ('=', '+=', '-=', '*=', '/=', '.*=', './=')",
  BinaryOp: "a binary operator",
  ArithmeticOp: "an arithmetic operator",
  PowerOp: "'^' or '.^'",
  EOF: "end of input",
};

/** How a token type is named in "expected …" text. */
export function describeTokenType(t: TokenType): string {
  const named = PUNCTUATION_NAMES[t.name];
  if (named) return named;
  const pattern = t.PATTERN;
  if (pattern instanceof RegExp) return `'${pattern.source.replace(/\\/g, "")}'`;
  if (typeof pattern === "string") return `'${pattern}'`;
  return t.name;
}

const KEYWORD_TOKEN = /^[a-z_]+$/;

/** How the token actually found is named in "but found …" text. */
export function describeFoundToken(token: IToken): string {
  if (token.tokenType.name === "EOF") return "end of input";
  if (
    KEYWORD_TOKEN.test(token.image) &&
    token.tokenType.name !== "Identifier" &&
    !isSoftKeyword(token)
  ) {
    return `reserved word '${token.image}'`;
  }
  return `'${token.image}'`;
}

function isSoftKeyword(token: IToken): boolean {
  return (token.tokenType.CATEGORIES ?? []).some((c) => c.name === "Identifier");
}

const EXPRESSION_RULES = new Set([
  "expression",
  "binaryExpr",
  "constraintExpr",
  "unaryExpr",
  "powerExpr",
  "postfixExpr",
  "primary",
  "printable",
]);

function firstTokens(paths: TokenType[][][]): string[] {
  const seen = new Set<string>();
  for (const alt of paths)
    for (const path of alt) if (path[0]) seen.add(describeTokenType(path[0]));
  return [...seen];
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "something else";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const TUPLES_UNSUPPORTED = "Tuple types are not supported by stan2ts; use separate variables.";

export const stanErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    if (actual.image === "tuple") return TUPLES_UNSUPPORTED;
    if (expected.name === "Identifier" && (ruleName === "varDecl" || ruleName === "declarator")) {
      return `Expected a variable name after the type but found ${describeFoundToken(actual)}.`;
    }
    return `Expected ${describeTokenType(expected)} but found ${describeFoundToken(actual)}.`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return (
      `Expected a program block ('functions', 'data', 'transformed data', 'parameters', ` +
      `'transformed parameters', 'model', 'generated quantities', in this order) but found ${describeFoundToken(firstRedundant)}.`
    );
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    if (actual[0].image === "tuple") return TUPLES_UNSUPPORTED;
    const found = describeFoundToken(actual[0]);
    if (EXPRESSION_RULES.has(ruleName)) return `Expected an expression but found ${found}.`;
    switch (ruleName) {
      case "statement":
      case "blockItem":
        return `Expected a statement or declaration but found ${found}.`;
      case "declType":
      case "basicType":
        return `Expected a type (int, real, vector, row_vector, matrix, simplex, …) but found ${found}.`;
      case "unsizedType":
      case "functionDef":
        return `Expected a type (void, int, real, vector, row_vector, matrix or array[] …) but found ${found}.`;
      case "constraintItem":
        return `Expected 'lower', 'upper', 'offset' or 'multiplier' in the constraint but found ${found}.`;
      case "expressionStatement":
        return `Expected '~', an assignment operator or ';' after the expression but found ${found}.`;
      default:
        return `Expected ${listOf(firstTokens(expectedPathsPerAlt))} but found ${found}.`;
    }
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return `Expected ${listOf(firstTokens([expectedIterationPaths]))} but found ${describeFoundToken(actual[0])}.`;
  },
};
