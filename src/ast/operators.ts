import type { BinaryOperator } from "./ast";

/** Binding strength of `^` and `.^` (right-associative, above unary minus). */
export const POWER_PRECEDENCE = 11;

/**
 * Binding strength of Stan's binary operators (Stan reference manual): the parser's precedence
 * climbing and the printer's parenthesisation read this one table.
 */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  "||": 2,
  "&&": 3,
  "==": 4,
  "!=": 4,
  "<": 5,
  "<=": 5,
  ">": 5,
  ">=": 5,
  "+": 6,
  "-": 6,
  "*": 7,
  "/": 7,
  "%": 7,
  "%/%": 7,
  "\\": 8,
  ".*": 9,
  "./": 9,
  "^": POWER_PRECEDENCE,
  ".^": POWER_PRECEDENCE,
};
