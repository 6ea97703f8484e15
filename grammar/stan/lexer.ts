/** The Stan lexer: one instance, built once from the token list. */
import { Lexer } from "chevrotain";
import { allTokens } from "./tokens";

export const stanLexer = new Lexer(allTokens, {
  positionTracking: "full",
  ensureOptimizations: false,
});
