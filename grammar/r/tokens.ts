/**
 * Tokens of the R subset that brms model scripts use. Newlines are real tokens because they end R
 * statements; `rLexer.ts` drops the ones R treats as continuation (inside brackets, after an operator).
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\f]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: "Newline", pattern: /\r?\n|\r/, line_breaks: true });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/ });

/** R numbers: `1`, `0.2`, `.5`, `1e-3`, `2L`, hex. */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /0[xX][0-9a-fA-F]+L?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?L?/,
});
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'/,
  line_breaks: true,
});
/** A name: letters, digits, `.` and `_`, not starting with a digit or `_`; or a `backtick` name. */
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z][A-Za-z0-9._]*|\.(?:[A-Za-z._][A-Za-z0-9._]*)?|`[^`]*`/,
});

function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier });
}
export const True = keyword("True", "TRUE");
export const False = keyword("False", "FALSE");
export const Null = keyword("Null", "NULL");
export const NA = keyword("NA", "NA");

export const LeftAssign = createToken({ name: "LeftAssign", pattern: /<<-|<-/ });
export const RightAssign = createToken({ name: "RightAssign", pattern: /->>|->/ });
export const DoubleColon = createToken({ name: "DoubleColon", pattern: /:::?/ });
export const EqualEqual = createToken({ name: "EqualEqual", pattern: /==/ });
export const Equals = createToken({ name: "Equals", label: "'='", pattern: /=/ });
export const Tilde = createToken({ name: "Tilde", label: "'~'", pattern: /~/ });
export const OrOr = createToken({ name: "OrOr", pattern: /\|\|/ });
export const NativePipe = createToken({ name: "NativePipe", pattern: /\|>/ });
export const Or = createToken({ name: "Or", pattern: /\|/ });
export const AndAnd = createToken({ name: "AndAnd", pattern: /&&/ });
export const And = createToken({ name: "And", pattern: /&/ });
export const Compare = createToken({ name: "Compare", pattern: /!=|<=|>=|<|>/ });
export const Not = createToken({ name: "Not", pattern: /!/ });
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
export const Minus = createToken({ name: "Minus", pattern: /-/ });
export const Star = createToken({ name: "Star", pattern: /\*/ });
export const Slash = createToken({ name: "Slash", pattern: /\// });
export const Caret = createToken({ name: "Caret", pattern: /\^/ });
/** `%>%`, `%in%`, `%%`, `%/%`: R's user operators share one precedence level with `|>`. */
export const SpecialOp = createToken({ name: "SpecialOp", pattern: /%[^%\n\r]*%/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Dollar = createToken({ name: "Dollar", pattern: /\$|@/ });
export const LParen = createToken({ name: "LParen", label: "'('", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", label: "')'", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", label: "'['", pattern: /\[\[?/ });
export const RBracket = createToken({ name: "RBracket", label: "']'", pattern: /\]/ });
export const LBrace = createToken({ name: "LBrace", label: "'{'", pattern: /\{/ });
export const RBrace = createToken({ name: "RBrace", label: "'}'", pattern: /\}/ });
export const Comma = createToken({ name: "Comma", label: "','", pattern: /,/ });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  NumberLiteral,
  StringLiteral,
  True,
  False,
  Null,
  NA,
  Identifier,
  LeftAssign,
  RightAssign,
  DoubleColon,
  EqualEqual,
  Equals,
  Tilde,
  OrOr,
  NativePipe,
  Or,
  AndAnd,
  And,
  Compare,
  Not,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
  SpecialOp,
  Colon,
  Dollar,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
];
