/**
 * Helpers that keep the signature table compact: types written as Stan spells them ("array[] real"),
 * Stan's vectorisation classes ("reals", "ints") and the cartesian products they stand for.
 */
import type { BaseType, StanType } from "../../ast/ast";
import type { FunctionSignature, Primitive, RngRule, TestDomain } from "../primitive";

const typeCache = new Map<string, StanType>();

/** "real", "vector", "array[] real", "array[,] int" → StanType. */
export function type(spelling: string): StanType {
  const cached = typeCache.get(spelling);
  if (cached) return cached;
  const m = /^(?:array\[(,*)\]\s+)?(int|real|complex|vector|row_vector|matrix|string|void)$/.exec(
    spelling.trim(),
  );
  if (!m) throw new Error(`internal error: bad type spelling in the signature table: ${spelling}`);
  const t: StanType = {
    base: m[2] as BaseType,
    arrayDims: m[1] === undefined ? 0 : m[1].length + 1,
  };
  typeCache.set(spelling, t);
  return t;
}

/** One signature: `sig("real", "vector", "vector")` is `real f(vector, vector)`. */
export function sig(returnType: string, ...args: string[]): FunctionSignature {
  return { returnType: type(returnType), args: args.map(type) };
}

/** Every combination of the argument alternatives, all with the same return type. */
export function product(
  returnType: string,
  ...alternatives: readonly (readonly string[])[]
): FunctionSignature[] {
  return productWith(() => returnType, ...alternatives);
}

/** Every combination of the argument alternatives; the return type may depend on the arguments. */
export function productWith(
  returnType: (args: readonly string[]) => string,
  ...alternatives: readonly (readonly string[])[]
): FunctionSignature[] {
  const out: FunctionSignature[] = [];
  const pick: string[] = [];
  const walk = (i: number): void => {
    if (i === alternatives.length) {
      out.push(sig(returnType(pick), ...pick));
      return;
    }
    for (const a of alternatives[i]) {
      pick.push(a);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

// Stan's vectorisation classes (functions reference, "vectorization").
/** `reals`: a real or a container of reals (ints are promoted). */
export const REALS = ["real", "vector", "row_vector", "array[] real"] as const;
/** `ints`: an int or a 1-d array of ints. */
export const INTS = ["int", "array[] int"] as const;
/** `vectors`: a vector-like value or an array of them (multivariate densities). */
export const VECTORS = ["vector", "row_vector", "array[] vector", "array[] row_vector"] as const;
export const SCALAR = ["real"] as const;
export const INT = ["int"] as const;
export const VECTOR = ["vector"] as const;
export const MATRIX = ["matrix"] as const;

/** Element types that unary vectorised functions map over, with array nesting up to 3. */
export const CONTAINERS: readonly string[] = (() => {
  const out: string[] = [];
  for (const base of ["real", "vector", "row_vector", "matrix"]) {
    out.push(base);
    for (const dims of ["", ",", ",,"]) out.push(`array[${dims}] ${base}`);
  }
  return out;
})();

/** Every type an array may hold (for size, num_elements, rep_array…), with up to 3 dims. */
export const ANY_ARRAY: readonly string[] = (() => {
  const out: string[] = [];
  for (const base of ["int", "real", "vector", "row_vector", "matrix"]) {
    for (const dims of ["", ",", ",,"]) out.push(`array[${dims}] ${base}`);
  }
  return out;
})();

/** `exp`, `log`, …: real → real, and elementwise over every container. */
export function unaryVectorized(): FunctionSignature[] {
  return CONTAINERS.map((t) => sig(t, t));
}

/** `pow`, `fmin`, …: scalars, and containers paired with a matching container or a scalar. */
export function binaryVectorized(): FunctionSignature[] {
  const out: FunctionSignature[] = [sig("real", "real", "real")];
  for (const t of CONTAINERS) {
    if (t === "real") continue;
    out.push(sig(t, t, t), sig(t, t, "real"), sig(t, "real", t));
  }
  return out;
}

/** The `_rng` return type for vectorised arguments: scalar if every argument is scalar. */
export function rngReturn(element: "real" | "int"): (args: readonly string[]) => string {
  return (args) =>
    args.every((a) => a === "real" || a === "int") ? element : `array[] ${element}`;
}

/** How one variant of a distribution lowers (the parts of an entry that say so). */
export type VariantLowering = Pick<Primitive, "density" | "kernel" | "glm" | "expand">;

/** How a distribution's variant functions are named, typed and lowered. */
export interface DistributionSpec {
  readonly family: string;
  /** Stan name without suffix, e.g. "normal". */
  readonly name: string;
  /** Continuous (`_lpdf`) or discrete (`_lpmf`). */
  readonly discrete?: boolean;
  /** Argument alternatives: the variate first, then each parameter. */
  readonly variate: readonly string[];
  readonly params: readonly (readonly string[])[];
  /** Whether `_cdf`, `_lcdf`, `_lccdf` exist (same arguments as the density). */
  readonly cdfs?: boolean;
  /** `_rng` signatures; omitted when Stan has none. */
  readonly rng?: readonly FunctionSignature[];
  /**
   * How each variant lowers; a variant Stan has but this leaves out is registered as not yet
   * supported (the type checker says so at the call). `_lupdf` lowers as `_lpdf`.
   */
  readonly lower?: {
    readonly density?: VariantLowering;
    readonly cdf?: VariantLowering;
    readonly lcdf?: VariantLowering;
    readonly lccdf?: VariantLowering;
    readonly rng?: RngRule;
  };
}

const NOT_YET = "it has no lowering rule";

function variant(name: string, family: string, signatures: readonly FunctionSignature[], lowering: VariantLowering | undefined): Primitive {
  return lowering ? { name, family, signatures, ...lowering } : { name, family, signatures, unsupported: NOT_YET };
}

/** `_lpdf`/`_lupdf` (or `_lpmf`/`_lupmf`), optionally `_cdf`/`_lcdf`/`_lccdf` and `_rng`. */
export function distribution(spec: DistributionSpec): Primitive[] {
  const density = product("real", spec.variate, ...spec.params);
  const suffix = spec.discrete ? "pmf" : "pdf";
  const lower = spec.lower ?? {};
  const out: Primitive[] = [
    variant(`${spec.name}_l${suffix}`, spec.family, density, lower.density),
    variant(`${spec.name}_lu${suffix}`, spec.family, density, lower.density),
  ];
  if (spec.cdfs) {
    for (const s of ["cdf", "lcdf", "lccdf"] as const) out.push(variant(`${spec.name}_${s}`, spec.family, density, lower[s]));
  }
  if (spec.rng) {
    const name = `${spec.name}_rng`;
    out.push(lower.rng ? { name, family: spec.family, signatures: spec.rng, rng: lower.rng } : { name, family: spec.family, signatures: spec.rng, unsupported: NOT_YET });
  }
  return out;
}

/** A univariate continuous distribution vectorised over `reals` in every argument. */
export function realsDistribution(
  family: string,
  name: string,
  paramCount: number,
  lower?: DistributionSpec["lower"],
  cdfs = true,
): Primitive[] {
  const params = new Array<readonly string[]>(paramCount).fill(REALS);
  return distribution({
    family,
    name,
    variate: REALS,
    params,
    cdfs,
    rng: productWith(rngReturn("real"), ...params),
    lower,
  });
}

/** A generator whose arguments are all scalars (vectorised elementwise over containers). */
export function scalarRng(argCount: number, intResult = false): RngRule {
  return { args: new Array<"s">(argCount).fill("s"), intResult };
}

/**
 * Binary functions whose first argument is an int (`bessel_first_kind(v, x)`, `lmgamma(k, x)`):
 * scalars, and arrays of ints paired with a scalar or a same-shaped array of reals.
 */
export function intRealVectorized(returnElement = "real"): FunctionSignature[] {
  const out: FunctionSignature[] = [sig(returnElement, "int", "real")];
  for (const dims of ["", ",", ",,"]) {
    const ints = `array[${dims}] int`;
    const reals = `array[${dims}] real`;
    const result = `array[${dims}] ${returnElement}`;
    out.push(sig(result, ints, "real"), sig(result, "int", reals), sig(result, ints, reals));
  }
  if (returnElement === "real") {
    for (const t of ["vector", "row_vector", "matrix"]) out.push(sig(t, "int", t));
  }
  return out;
}

/** log √(2π) and log π, for density terms. */
export const LOG_SQRT_TWO_PI = 0.9189385332046728;
export const LOG_PI = 1.1447298858494002;

/**
 * Entries lowered by expansion: each takes the expansion of the same name from `expansions` (a
 * module of src/primitives/expansions/); one without is registered as not yet supported.
 */
export function expandedBy(expansions: Readonly<Record<string, unknown>>, entries: readonly Omit<Primitive, "expand">[]): Primitive[] {
  return entries.map((e) => {
    const expand = expansions[e.name] as Primitive["expand"];
    return expand ? { ...e, expand } : { ...e, unsupported: e.unsupported ?? NOT_YET };
  });
}

/**
 * The entries with gradient-test domains (`Primitive.testDomain`) set by name, where the default
 * leaves the function's domain; an entry that has its own keeps it.
 */
export function withTestDomains(entries: readonly Primitive[], domains: Readonly<Record<string, readonly (TestDomain | undefined)[]>>): Primitive[] {
  return entries.map((e) => (e.testDomain === undefined && domains[e.name] !== undefined ? { ...e, testDomain: domains[e.name] } : e));
}

/**
 * Gives every variant of distribution `name` (`_lpdf`, `_lupdf`, `_cdf`, `_lcdf`, `_lccdf`) the
 * intervals `domain` (the variate's first), and its `_rng` the parameters' intervals.
 */
export function withTestDomain(
  entries: readonly Primitive[],
  name: string,
  domain: readonly (TestDomain | undefined)[],
): Primitive[] {
  return entries.map((e) => {
    if (e.name === `${name}_rng`) return { ...e, testDomain: domain.slice(1) };
    if (/^_(lu?pdf|cdf|lcdf|lccdf)$/.test(e.name.slice(name.length)) && e.name.startsWith(name))
      return { ...e, testDomain: domain };
    return e;
  });
}
