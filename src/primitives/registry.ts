/**
 * The signature table of every built-in function the compiler supports: one registry, filled from
 * one file per function family (`families/*.ts`). The type checker uses only this table for
 * built-ins; operators appear under stanc3-style names (`add`, `multiply`, `elt_divide`, …).
 */
import type { StanType } from "../ast/ast";
import { arithmeticFamily } from "./families/arithmetic";
import { binomialFamily } from "./families/binomial";
import { boundedContinuousFamily } from "./families/boundedContinuous";
import { categoricalFamily } from "./families/categorical";
import { containersFamily } from "./families/containers";
import { mathFamily } from "./families/math";
import { matrixOpsFamily } from "./families/matrixOps";
import { multivariateFamily } from "./families/multivariate";
import { normalFamily } from "./families/normal";
import { poissonFamily } from "./families/poisson";
import { positiveContinuousFamily } from "./families/positiveContinuous";
import { reductionsFamily } from "./families/reductions";
import { studentTFamily } from "./families/studentT";

export interface FunctionSignature {
  readonly args: readonly StanType[];
  readonly returnType: StanType;
  /** Argument positions that must not depend on parameters. */
  readonly dataOnlyArgs?: readonly number[];
}

export interface PrimitiveFunction {
  readonly name: string;
  readonly family: string;
  readonly signatures: readonly FunctionSignature[];
}

/** Every family, in the order they are registered. */
export const FAMILIES: readonly (readonly PrimitiveFunction[])[] = [
  arithmeticFamily,
  mathFamily,
  reductionsFamily,
  containersFamily,
  matrixOpsFamily,
  normalFamily,
  studentTFamily,
  positiveContinuousFamily,
  boundedContinuousFamily,
  binomialFamily,
  poissonFamily,
  categoricalFamily,
  multivariateFamily,
];

const BY_NAME: ReadonlyMap<string, PrimitiveFunction> = (() => {
  const map = new Map<string, PrimitiveFunction>();
  for (const family of FAMILIES) {
    for (const fn of family) {
      if (map.has(fn.name))
        throw new Error(`internal error: built-in function ${fn.name} is registered twice`);
      map.set(fn.name, fn);
    }
  }
  return map;
})();

/** Names of binary operators' functions in this table. */
export const BINARY_OPERATOR_FUNCTIONS = {
  "+": "add",
  "-": "subtract",
  "*": "multiply",
  "/": "divide",
  "%": "modulus",
  "%/%": "int_divide",
  "\\": "mdivide_left",
  ".*": "elt_multiply",
  "./": "elt_divide",
  "^": "pow",
  ".^": "elt_pow",
  "||": "logical_or",
  "&&": "logical_and",
  "==": "logical_eq",
  "!=": "logical_neq",
  "<": "logical_lt",
  "<=": "logical_lte",
  ">": "logical_gt",
  ">=": "logical_gte",
} as const;

export const PREFIX_OPERATOR_FUNCTIONS = {
  "-": "minus",
  "+": "plus",
  "!": "logical_negation",
} as const;

export function lookupFunction(name: string): PrimitiveFunction | undefined {
  return BY_NAME.get(name);
}

export function allFunctionNames(): string[] {
  return [...BY_NAME.keys()];
}

/**
 * The cost of passing a value of type `from` where `to` is expected: 0 exact, 1 per promotion
 * (int → real, also inside arrays), Infinity if not allowed.
 */
export function promotionCost(from: StanType, to: StanType): number {
  if (from.arrayDims !== to.arrayDims) return Infinity;
  if (from.base === to.base) return 0;
  if (from.base === "int" && to.base === "real") return 1;
  if ((from.base === "int" || from.base === "real") && to.base === "complex") return 1;
  return Infinity;
}

/** The signature a call with these argument types resolves to: exact match first, then fewest promotions. */
export function resolveCall(
  name: string,
  args: readonly StanType[],
): FunctionSignature | undefined {
  const fn = BY_NAME.get(name);
  return fn ? bestSignature(fn.signatures, args) : undefined;
}

/** Shared by built-ins and user functions (the type checker applies the same rules to both). */
export function bestSignature<S extends { readonly args: readonly StanType[] }>(
  signatures: readonly S[],
  args: readonly StanType[],
): S | undefined {
  let best: S | undefined;
  let bestCost = Infinity;
  for (const s of signatures) {
    if (s.args.length !== args.length) continue;
    let cost = 0;
    for (let i = 0; i < args.length && cost < bestCost; i++)
      cost += promotionCost(args[i], s.args[i]);
    if (cost < bestCost) {
      best = s;
      bestCost = cost;
      if (cost === 0) break;
    }
  }
  return best;
}
