/** The Stan lexer: one instance, built once from the token list. */
import { Lexer } from "chevrotain";
import { allTokens } from "./tokens";

/** The Stan lexer's options (test/grammar/validations.test.ts builds one with them, validated). */
export const STAN_LEXER_CONFIG = { positionTracking: "full", ensureOptimizations: false } as const;

/**
 * Built without Chevrotain's validations: they find defects of the token definitions, never of
 * the input, and cost ~40 ms of CPU on every cold start; the grammar's test runs them.
 */
export const stanLexer = new Lexer(allTokens, { ...STAN_LEXER_CONFIG, skipValidations: true });
