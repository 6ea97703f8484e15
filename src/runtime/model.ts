/**
 * The contract between generated model modules and the runtime. The runtime imports nothing from
 * the compiler: anything that satisfies `ModelInstance` can be sampled, diagnosed and written out.
 */

/** Stan JSON data (CmdStan's format): numbers, nested arrays, column-major for nothing — arrays nest outermost first. */
export type StanData = Record<string, unknown>;

/** A source of randomness; the runtime's xoshiro128** implements it. */
export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Raw 32-bit output. */
  nextU32(): number;
}

export type OutputBlock = "parameters" | "transformed parameters" | "generated quantities";

/** One output variable, e.g. `matrix[2,2] Cor_1` → { name: "Cor_1", dims: [2, 2] }. */
export interface VariableInfo {
  readonly name: string;
  readonly block: OutputBlock;
  /** Stan dimensions, array dimensions first then vector/matrix sizes; [] for a scalar. */
  readonly dims: readonly number[];
  /** Integer-valued (written without a decimal point). */
  readonly isInteger: boolean;
}

/** A model bound to one data set. Buffers live here, so evaluations allocate nothing. */
export interface ModelInstance {
  readonly name: string;
  /** Number of unconstrained parameters. */
  readonly dim: number;
  /** Output variables in CmdStan order: parameters, transformed parameters, generated quantities. */
  readonly variables: readonly VariableInfo[];
  /**
   * Log density on the unconstrained scale, Jacobian included, constants dropped where Stan's
   * `~` drops them (`target +=` keeps everything, as in Stan). Throws `StanDomainError` for a
   * rejected point.
   */
  logDensity(theta: Float64Array): number;
  /** Same value; also writes the gradient with respect to theta into `grad`. */
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
  /**
   * The sampler's form of `logDensityGradient`: writes the gradient into `grad` and the log
   * density into `lp[0]` (a caller-owned `Float64Array(1)`), and returns nothing. V8 boxes a double
   * returned across a call it does not inline (16 heap bytes per leapfrog); a typed-array store
   * allocates nothing. On a domain error it throws as `logDensityGradient` does and leaves `lp`
   * unchanged.
   *
   * Optional, so any object with `logDensityGradient` can still be sampled: generated modules
   * provide it (and their `logDensityGradient` is a wrapper around it); without it the runtime
   * falls back to `logDensityGradient`, correct but allocating one boxed number per leapfrog.
   */
  logDensityGradientInto?(theta: Float64Array, grad: Float64Array, lp: Float64Array): void;
  /**
   * Writes the constrained values of every variable in `variables` (flattened first-index-fastest,
   * as CmdStan's columns) into `out`, whose length is `outputLength`. Generated quantities use `rng`.
   * Values that fail are written as NaN (as CmdStan does); a rejection in transformed parameters
   * or generated quantities is then thrown (`StanDomainError`), after the parameters and the NaNs
   * are written, so the caller can report it.
   */
  writeConstrained(theta: Float64Array, rng: Rng, out: Float64Array): void;
  /** Total number of scalar output values written by `writeConstrained`. */
  readonly outputLength: number;
  /** Constrained parameter values (Stan JSON shape, by parameter name) → unconstrained vector. */
  unconstrain(values: StanData): Float64Array;
  /** Names of the unconstrained coordinates (for diagnostics), e.g. `sigma` or `L_1.2`. */
  readonly unconstrainedNames: readonly string[];
}

/** What a generated module exports: data validation plus instance creation. */
export interface CompiledModel {
  readonly name: string;
  /** The Stan program text the module was compiled from. */
  readonly stanCode: string;
  /** Validates `data` (names, sizes, integer-ness, bounds — errors name the field and index) and builds an instance. */
  create(data: StanData): ModelInstance;
}

/**
 * A point the model rejects: `reject()`, a violated constraint or an invalid argument to a
 * density. The sampler treats it as log density −∞ (a divergence), never as a crash.
 */
export class StanDomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StanDomainError";
  }
}

/** Invalid data or a `fatal_error()`: stops the run with a message. */
export class StanDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StanDataError";
  }
}

/**
 * The model as written cannot be sampled (an improper posterior, no usable step size, overflow
 * while adapting the metric): the user must change the model, so the CLI reports it as a user
 * error, never as a defect of stan2ts.
 */
export class SamplingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SamplingError";
  }
}

/**
 * `model.create(data)` with a negative or too large declared size reported as a data error:
 * generated code allocates `new Float64Array(size)`, and a negative size (`vector[N]` with N = -1,
 * `vector[-1]`) or one beyond what the engine can allocate surfaces as its RangeError, which would
 * otherwise read as a crash.
 */
export function createInstance(model: CompiledModel, data: StanData): ModelInstance {
  try {
    return model.create(data);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const length = /Invalid typed array length: (-?\d+)/.exec(error.message);
    const check = "Check the data values used as sizes (e.g. N in vector[N]) and the size expressions in the program.";
    if (length && Number(length[1]) < 0) {
      throw new StanDataError(`a container size in a variable declaration is negative (${length[1]}); sizes must be 0 or more. ${check}`);
    }
    if (length || /Array buffer allocation failed/.test(error.message)) {
      throw new StanDataError(`a container declared in the program is too large to allocate${length ? ` (${length[1]} elements)` : ""}. ${check}`);
    }
    throw error;
  }
}

/** CmdStan column names for variables: `b.1`, `Cor_1.1.2`, first index fastest. */
export function columnNames(variables: readonly VariableInfo[]): string[] {
  const names: string[] = [];
  for (const v of variables) {
    if (v.dims.length === 0) {
      names.push(v.name);
      continue;
    }
    const total = v.dims.reduce((a, b) => a * b, 1);
    const idx = new Array<number>(v.dims.length).fill(1);
    for (let k = 0; k < total; k++) {
      names.push(`${v.name}.${idx.join(".")}`);
      for (let d = 0; d < idx.length; d++) {
        if (idx[d] < v.dims[d]) {
          idx[d]++;
          break;
        }
        idx[d] = 1;
      }
    }
  }
  return names;
}
