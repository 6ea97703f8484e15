/**
 * Stan tokens. Keywords use `longer_alt: Identifier` so `modelled` stays one identifier. Words that
 * Stan only treats as keywords in one place (`lower`, `upper`, `offset`, `multiplier`, `T`, `jacobian`)
 * are "soft": they carry the Identifier category, so they may still name variables.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f]+/,
  group: Lexer.SKIPPED,
});
export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\n\r]*/,
  group: Lexer.SKIPPED,
});
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: Lexer.SKIPPED,
});
/** A block comment that never closes: recognised so the front end can say so, not "unexpected '/'". */
export const UnclosedComment = createToken({ name: "UnclosedComment", pattern: /\/\*[\s\S]*/ });
/** `#include` is recognised so the front end can say it is not supported. */
export const Include = createToken({ name: "Include", pattern: /#include[^\n\r]*/ });
/** Legacy `#` comments: kept in their own group so the front end can warn about them. */
export const HashComment = createToken({
  name: "HashComment",
  pattern: /#[^\n\r]*/,
  group: "hashComments",
});

export const Identifier = createToken({ name: "Identifier", pattern: /[a-zA-Z][a-zA-Z0-9_]*/ });

function keyword(name: string, word: string, soft = false): TokenType {
  const pattern = new RegExp(word);
  return soft
    ? createToken({ name, pattern, longer_alt: Identifier, categories: [Identifier] })
    : createToken({ name, pattern, longer_alt: Identifier });
}

// Block names
export const Functions = keyword("Functions", "functions");
export const Data = keyword("Data", "data");
export const Transformed = keyword("Transformed", "transformed");
export const Parameters = keyword("Parameters", "parameters");
export const Model = keyword("Model", "model");
export const Generated = keyword("Generated", "generated");
export const Quantities = keyword("Quantities", "quantities");

// Types
export const Int = keyword("Int", "int");
export const Real = keyword("Real", "real");
export const ComplexVector = keyword("ComplexVector", "complex_vector");
export const ComplexRowVector = keyword("ComplexRowVector", "complex_row_vector");
export const ComplexMatrix = keyword("ComplexMatrix", "complex_matrix");
export const Complex = keyword("Complex", "complex");
export const Vector = keyword("Vector", "vector");
export const RowVector = keyword("RowVector", "row_vector");
export const Matrix = keyword("Matrix", "matrix");
export const Simplex = keyword("Simplex", "simplex");
export const UnitVector = keyword("UnitVector", "unit_vector");
export const SumToZeroVector = keyword("SumToZeroVector", "sum_to_zero_vector");
export const PositiveOrdered = keyword("PositiveOrdered", "positive_ordered");
export const Ordered = keyword("Ordered", "ordered");
export const CholeskyFactorCorr = keyword("CholeskyFactorCorr", "cholesky_factor_corr");
export const CholeskyFactorCov = keyword("CholeskyFactorCov", "cholesky_factor_cov");
export const CorrMatrix = keyword("CorrMatrix", "corr_matrix");
export const CovMatrix = keyword("CovMatrix", "cov_matrix");
export const Array = keyword("Array", "array");
export const Void = keyword("Void", "void");
export const Tuple = keyword("Tuple", "tuple");

// Statements
export const For = keyword("For", "for");
export const In = keyword("In", "in");
export const While = keyword("While", "while");
export const If = keyword("If", "if");
export const Else = keyword("Else", "else");
export const Break = keyword("Break", "break");
export const Continue = keyword("Continue", "continue");
export const Return = keyword("Return", "return");
export const Print = keyword("Print", "print");
export const Reject = keyword("Reject", "reject");
export const FatalError = keyword("FatalError", "fatal_error");
export const Target = keyword("Target", "target");
export const Profile = keyword("Profile", "profile");

// Soft keywords
export const Lower = keyword("Lower", "lower", true);
export const Upper = keyword("Upper", "upper", true);
export const Offset = keyword("Offset", "offset", true);
export const Multiplier = keyword("Multiplier", "multiplier", true);
export const Truncate = keyword("Truncate", "T", true);

// Literals
// Digits may be grouped with underscores (`10_000`), as in Stan 2.33+.
export const RealLiteral = createToken({
  name: "RealLiteral",
  pattern:
    /(?:\d+(?:_\d+)*\.(?:\d+(?:_\d+)*)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?|\d+(?:_\d+)*[eE][+-]?\d+(?:_\d+)*/,
});
export const ImagLiteral = createToken({
  name: "ImagLiteral",
  pattern: /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?i(?![a-zA-Z0-9_])/,
});
export const IntLiteral = createToken({ name: "IntLiteral", pattern: /\d+(?:_\d+)*/ });
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\n\r]|\\.)*"/,
});

// Operator categories (never produced by the lexer themselves). Binary operators are parsed flat
// (operand (op operand)*) and grouped by precedence when the AST is built, which keeps the CST
// shallow; `ArithmeticOp` is the subset allowed in `<lower=…>` bounds, where `>` closes the bracket.
export const AssignOp = createToken({ name: "AssignOp", pattern: Lexer.NA });
export const BinaryOp = createToken({ name: "BinaryOp", pattern: Lexer.NA });
export const ArithmeticOp = createToken({ name: "ArithmeticOp", pattern: Lexer.NA });
export const PowerOp = createToken({ name: "PowerOp", pattern: Lexer.NA });
const ARITHMETIC = [BinaryOp, ArithmeticOp];
const LOGICAL = [BinaryOp];

// Compound assignments before their operator prefixes.
export const ElementTimesAssign = createToken({
  name: "ElementTimesAssign",
  pattern: /\.\*=/,
  categories: [AssignOp],
});
export const ElementDivideAssign = createToken({
  name: "ElementDivideAssign",
  pattern: /\.\/=/,
  categories: [AssignOp],
});
export const PlusAssign = createToken({
  name: "PlusAssign",
  pattern: /\+=/,
  categories: [AssignOp],
});
export const MinusAssign = createToken({
  name: "MinusAssign",
  pattern: /-=/,
  categories: [AssignOp],
});
export const TimesAssign = createToken({
  name: "TimesAssign",
  pattern: /\*=/,
  categories: [AssignOp],
});
export const DivideAssign = createToken({
  name: "DivideAssign",
  pattern: /\/=/,
  categories: [AssignOp],
});

export const Or = createToken({ name: "Or", pattern: /\|\|/, categories: LOGICAL });
export const And = createToken({ name: "And", pattern: /&&/, categories: LOGICAL });
export const Equal = createToken({ name: "Equal", pattern: /==/, categories: LOGICAL });
export const NotEqual = createToken({ name: "NotEqual", pattern: /!=/, categories: LOGICAL });
export const LessEqual = createToken({ name: "LessEqual", pattern: /<=/, categories: LOGICAL });
export const GreaterEqual = createToken({
  name: "GreaterEqual",
  pattern: />=/,
  categories: LOGICAL,
});
export const Less = createToken({ name: "Less", pattern: /</, categories: LOGICAL });
export const Greater = createToken({ name: "Greater", pattern: />/, categories: LOGICAL });
export const Assign = createToken({ name: "Assign", pattern: /=/, categories: [AssignOp] });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: ARITHMETIC });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: ARITHMETIC });
export const IntDivide = createToken({
  name: "IntDivide",
  pattern: /%\/%/,
  categories: ARITHMETIC,
});
export const Times = createToken({ name: "Times", pattern: /\*/, categories: ARITHMETIC });
export const Divide = createToken({ name: "Divide", pattern: /\//, categories: ARITHMETIC });
export const Modulo = createToken({ name: "Modulo", pattern: /%/, categories: ARITHMETIC });
export const LeftDivide = createToken({
  name: "LeftDivide",
  pattern: /\\/,
  categories: ARITHMETIC,
});
export const ElementTimes = createToken({
  name: "ElementTimes",
  pattern: /\.\*/,
  categories: ARITHMETIC,
});
export const ElementDivide = createToken({
  name: "ElementDivide",
  pattern: /\.\//,
  categories: ARITHMETIC,
});
export const ElementPower = createToken({
  name: "ElementPower",
  pattern: /\.\^/,
  categories: [PowerOp],
});
export const Power = createToken({ name: "Power", pattern: /\^/, categories: [PowerOp] });
export const Not = createToken({ name: "Not", pattern: /!/ });
export const Transpose = createToken({ name: "Transpose", pattern: /'/ });
export const Tilde = createToken({ name: "Tilde", pattern: /~/ });
export const Question = createToken({ name: "Question", pattern: /\?/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Bar = createToken({ name: "Bar", pattern: /\|/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/ });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/ });

/** Lexing order: earlier entries win ties, so longer operators come before their prefixes. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  BlockComment,
  UnclosedComment,
  LineComment,
  Include,
  HashComment,
  // keywords before Identifier; longer keywords before their prefixes
  Functions,
  Data,
  Transformed,
  Parameters,
  Model,
  Generated,
  Quantities,
  Int,
  Real,
  ComplexVector,
  ComplexRowVector,
  ComplexMatrix,
  Complex,
  Vector,
  RowVector,
  Matrix,
  Simplex,
  UnitVector,
  SumToZeroVector,
  PositiveOrdered,
  Ordered,
  CholeskyFactorCorr,
  CholeskyFactorCov,
  CorrMatrix,
  CovMatrix,
  Array,
  Void,
  Tuple,
  For,
  In,
  While,
  If,
  Else,
  Break,
  Continue,
  Return,
  Print,
  Reject,
  FatalError,
  Target,
  Profile,
  Lower,
  Upper,
  Offset,
  Multiplier,
  Truncate,
  Identifier,
  ImagLiteral,
  RealLiteral,
  IntLiteral,
  StringLiteral,
  AssignOp,
  BinaryOp,
  ArithmeticOp,
  PowerOp,
  ElementTimesAssign,
  ElementDivideAssign,
  PlusAssign,
  MinusAssign,
  TimesAssign,
  DivideAssign,
  Or,
  And,
  Equal,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Assign,
  Plus,
  Minus,
  IntDivide,
  Times,
  Divide,
  Modulo,
  LeftDivide,
  ElementTimes,
  ElementDivide,
  ElementPower,
  Power,
  Not,
  Transpose,
  Tilde,
  Question,
  Colon,
  Bar,
  Comma,
  Semicolon,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
];
