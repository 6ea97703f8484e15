/**
 * The R lexer. R ends a statement at a newline unless the expression is visibly incomplete, so after
 * lexing, newlines inside `(`/`[` and newlines that follow an operator, `,` or `(` are dropped; the
 * parser then only sees newlines that separate statements.
 */
import { Lexer, type ILexingResult, type IToken, type TokenType } from "chevrotain";
import * as t from "./tokens";

export const rLexer = new Lexer(t.allTokens, { positionTracking: "full", ensureOptimizations: false });

/** Tokens after which a line break continues the expression. */
const CONTINUES: ReadonlySet<TokenType> = new Set([
  t.LeftAssign,
  t.RightAssign,
  t.Equals,
  t.EqualEqual,
  t.Tilde,
  t.OrOr,
  t.Or,
  t.NativePipe,
  t.AndAnd,
  t.And,
  t.Compare,
  t.Not,
  t.Plus,
  t.Minus,
  t.Star,
  t.Slash,
  t.Caret,
  t.SpecialOp,
  t.Colon,
  t.DoubleColon,
  t.Dollar,
  t.Comma,
  t.LParen,
  t.LBracket,
  t.LBrace,
]);

export function lexR(source: string): ILexingResult {
  const result = rLexer.tokenize(source);
  const kept: IToken[] = [];
  // One entry per open bracket: true for ( and [, false for { (statements resume inside braces).
  const open: boolean[] = [];
  for (const token of result.tokens) {
    const type = token.tokenType;
    if (type === t.Newline) {
      const insideParens = open.length > 0 && open[open.length - 1];
      const previous = kept[kept.length - 1];
      if (insideParens || previous === undefined || CONTINUES.has(previous.tokenType) || previous.tokenType === t.Newline) {
        continue;
      }
    } else if (type === t.LParen || type === t.LBracket) {
      open.push(true);
    } else if (type === t.LBrace) {
      open.push(false);
    } else if (type === t.RParen || type === t.RBracket || type === t.RBrace) {
      open.pop();
    }
    kept.push(token);
  }
  return { ...result, tokens: kept };
}
