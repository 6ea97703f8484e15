/**
 * The one registry of built-in functions, filled from one file per function family
 * (`families/*.ts`): each entry (`Primitive`, see ./primitive.ts) declares a function's Stan
 * signatures and how it lowers. Every table the compiler uses — the type checker's signatures,
 * the lowering's scalar rules, densities, kernels, expansions, generators and constants — is
 * derived here from those entries. Operators appear under stanc3-style names (`add`, `multiply`,
 * `elt_divide`, …).
 */
import type { StanType } from "../ast/ast";
import { arithmeticFamily } from "./families/arithmetic";
import { binomialFamily } from "./families/binomial";
import { boundedContinuousFamily } from "./families/boundedContinuous";
import { categoricalFamily } from "./families/categorical";
import { containersFamily } from "./families/containers";
import { internalFamily, mathFamily } from "./families/math";
import { matrixOpsFamily } from "./families/matrixOps";
import { multivariateFamily } from "./families/multivariate";
import { normalFamily } from "./families/normal";
import { poissonFamily } from "./families/poisson";
import { positiveContinuousFamily } from "./families/positiveContinuous";
import { reductionsFamily } from "./families/reductions";
import { studentTFamily } from "./families/studentT";
import { wienerFamily } from "./families/wiener";
import {
  type DensityRule,
  type Expansion,
  type FunctionSignature,
  type GlmRule,
  type KernelRule,
  LOWERING_KEYS,
  type Primitive,
  type RngRule,
  type ScalarRule,
} from "./primitive";

export type { FunctionSignature, Primitive } from "./primitive";

/** Every family, in the order they are registered. */
export const FAMILIES: readonly (readonly Primitive[])[] = [
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
  wienerFamily,
  internalFamily,
];

/**
 * Refuses an entry the compiler could not honour: one with signatures but no lowering (unless it
 * says why it is unsupported), or a scalar rule whose stated partials do not match its arity.
 */
export function checkEntry(fn: Primitive): void {
  const lowerings = LOWERING_KEYS.filter((k) => fn[k] !== undefined);
  if (lowerings.length === 0 && fn.unsupported === undefined)
    throw new Error(`internal error: built-in function ${fn.name} has signatures but no lowering`);
  if (fn.scalar && fn.scalar.partials && fn.scalar.math && fn.scalar.math.length !== fn.scalar.arity)
    throw new Error(`internal error: ${fn.name}'s scalar rule states ${fn.scalar.math.length} partials for ${fn.scalar.arity} arguments`);
}

const BY_NAME: ReadonlyMap<string, Primitive> = (() => {
  const map = new Map<string, Primitive>();
  for (const family of FAMILIES) {
    for (const fn of family) {
      if (map.has(fn.name)) throw new Error(`internal error: built-in function ${fn.name} is registered twice`);
      checkEntry(fn);
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

/** The operator a binary operator function stands for (`add` → `+`). */
export const OPERATOR_OF_FUNCTION: ReadonlyMap<string, string> = new Map(
  Object.entries(BINARY_OPERATOR_FUNCTIONS).map(([op, fn]) => [fn, op]),
);

/** A built-in a Stan program can call (an entry with signatures), for the type checker. */
export function lookupFunction(name: string): Primitive | undefined {
  const fn = BY_NAME.get(name);
  return fn && fn.signatures.length > 0 ? fn : undefined;
}

/** Any entry, including the internal ones generated code and rules use. */
export function primitive(name: string): Primitive | undefined {
  return BY_NAME.get(name);
}

export function allFunctionNames(): string[] {
  return [...BY_NAME.values()].filter((f) => f.signatures.length > 0).map((f) => f.name);
}

/** Every entry, internal ones included. */
export function allPrimitives(): Primitive[] {
  return [...BY_NAME.values()];
}

/** A lowering part of every entry that has one, keyed by name (`_lupdf` entries share their `_lpdf`'s). */
function derive<T>(part: (p: Primitive) => T | undefined): ReadonlyMap<string, T & { readonly name: string }> {
  const out = new Map<string, T & { readonly name: string }>();
  for (const p of BY_NAME.values()) {
    const rule = part(p);
    if (rule !== undefined) out.set(p.name, { ...rule, name: p.name });
  }
  return out;
}

export type Named<T> = T & { readonly name: string };

export const SCALAR_RULES: ReadonlyMap<string, Named<ScalarRule>> = derive((p) => p.scalar);
export const DENSITY_RULES: ReadonlyMap<string, Named<DensityRule>> = derive((p) => p.density);
export const KERNEL_RULES: ReadonlyMap<string, Named<KernelRule>> = derive((p) => p.kernel);
export const GLM_RULES: ReadonlyMap<string, Named<GlmRule>> = derive((p) => p.glm);
export const RNG_RULES: ReadonlyMap<string, Named<RngRule>> = derive((p) => p.rng);
export const EXPANSIONS: ReadonlyMap<string, Expansion> = new Map(
  [...BY_NAME.values()].flatMap((p) => (p.expand ? [[p.name, p.expand] as const] : [])),
);
/** Stan's scalar constants (`pi()`, `e()`, …) as JavaScript. */
export const CONSTANTS: ReadonlyMap<string, string> = new Map(
  [...BY_NAME.values()].flatMap((p) => (p.constant !== undefined ? [[p.name, p.constant] as const] : [])),
);

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
export function resolveCall(name: string, args: readonly StanType[]): FunctionSignature | undefined {
  const fn = lookupFunction(name);
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
    for (let i = 0; i < args.length && cost < bestCost; i++) cost += promotionCost(args[i], s.args[i]);
    if (cost < bestCost) {
      best = s;
      bestCost = cost;
      if (cost === 0) break;
    }
  }
  return best;
}
