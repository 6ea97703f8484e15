import type { ModelInstance, Rng, StanData } from "../model";
import { isDomainError } from "../nuts/hamiltonian";
import { Xoshiro128 } from "../rng/xoshiro128";
import { parameterValues } from "./stanDataShape";

export const MAX_INIT_ATTEMPTS = 100;

export class InitializationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InitializationError";
  }
}

/**
 * Beyond this magnitude neighbouring doubles are 2 or more apart (2^53 · 2^-52 = 2), so a log
 * density is not resolved to one nat: energy differences, and so acceptance probabilities, are
 * rounding noise.
 */
export const MAX_RESOLVED_LOG_DENSITY = 9007199254740992; // 2^53, written out: no `**` in the runtime

/**
 * Finds a starting point on the unconstrained scale (sampler spec §4): uniform(−R, R) per
 * coordinate from the chain's RNG, user values (constrained, Stan JSON) overriding the named
 * parameters, retried up to 100 times while the density or its gradient is not finite.
 *
 * One addition to Stan: a random attempt whose log density is finite but below
 * −MAX_RESOLVED_LOG_DENSITY (e.g. −1e96 where an ARMA's error recursion explodes) is retried
 * too. From such a start every energy difference the sampler computes is a multiple of a
 * rounding unit far above the divergence threshold, the step-size search and dual averaging
 * chase that noise down to ε ≈ 1e-50, and the chain can stay stuck for the whole run (Stan's
 * own sampler does, too). If no attempt is within range, the least extreme finite one is used,
 * so this never fails where Stan would start.
 */
export function initialize(
  model: ModelInstance,
  init: number | StanData,
  rng: Rng,
  messages: string[],
): Float64Array {
  const radius = typeof init === "number" ? init : 2;
  const userValues = typeof init === "number" ? null : init;
  if (!(radius >= 0) || !Number.isFinite(radius)) {
    throw new InitializationError(`The init radius must be a finite non-negative number, got ${radius}.`);
  }
  const parameterNames = model.variables.filter((v) => v.block === "parameters").map((v) => v.name);
  const givenNames = userValues ? parameterNames.filter((name) => Object.prototype.hasOwnProperty.call(userValues, name)) : [];
  const allGiven = givenNames.length === parameterNames.length && userValues !== null;
  const maxAttempts = allGiven || radius === 0 ? 1 : MAX_INIT_ATTEMPTS;

  const d = model.dim;
  const grad = new Float64Array(d);
  let theta = new Float64Array(d);
  // Partial inits go through a constrained round trip; its generated quantities must not consume the chain's stream.
  const scratchRng = new Xoshiro128(0x5eed);
  const constrained = givenNames.length > 0 && !allGiven ? new Float64Array(model.outputLength) : null;

  // Why each attempt was rejected, counted, with Stan's text of the latest one of each kind.
  const rejections = new Map<string, { count: number; lines: string[] }>();
  const reject = (kind: string, lines: string[]): void => {
    messages.push(...lines);
    const entry = rejections.get(kind) ?? { count: 0, lines };
    entry.count++;
    entry.lines = lines;
    rejections.set(kind, entry);
  };

  // The best start whose log density is finite but too large in magnitude to resolve.
  let unresolved: { theta: Float64Array; lp: number } | null = null;

  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    for (let i = 0; i < d; i++) theta[i] = radius === 0 ? 0 : radius * (2 * rng.uniform() - 1);
    try {
      if (userValues && givenNames.length > 0) {
        const merged: StanData = {};
        if (constrained) {
          try {
            model.writeConstrained(theta, scratchRng, constrained);
          } catch (error) {
            // only the parameters are read here; a rejection in a later block does not matter
            if (!isDomainError(error)) throw error;
          }
          Object.assign(merged, parameterValues(model.variables, constrained));
        }
        for (const name of givenNames) merged[name] = userValues[name];
        theta = Float64Array.from(model.unconstrain(merged));
        if (theta.length !== d) {
          throw new Error(`unconstrain returned ${theta.length} values for a model of dimension ${d}`);
        }
      }
      const lp = model.logDensityGradient(theta, grad);
      if (!Number.isFinite(lp)) {
        reject("log probability evaluates to log(0)", [
          "Rejecting initial value:",
          "  Log probability evaluates to log(0), i.e. negative infinity.",
          "  Stan can't start sampling from this initial value.",
        ]);
        continue;
      }
      let gradSum = 0;
      for (let i = 0; i < d; i++) gradSum += grad[i];
      if (!Number.isFinite(gradSum)) {
        reject("gradient not finite", [
          "Rejecting initial value:",
          "  Gradient evaluated at the initial value is not finite.",
          "  Stan can't start sampling from this initial value.",
        ]);
        continue;
      }
      if (maxAttempts > 1 && -lp > MAX_RESOLVED_LOG_DENSITY) {
        if (unresolved === null || lp > unresolved.lp) unresolved = { theta: Float64Array.from(theta), lp };
        reject("log probability too far below zero", [
          "Rejecting initial value:",
          `  Log probability ${lp.toPrecision(3)} is below -2^53: energy differences there are rounding noise.`,
          "  Trying another initial value.",
        ]);
        continue;
      }
      return theta;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      reject("error evaluating the log probability", [
        "Rejecting initial value:",
        `  Error evaluating the log probability at the initial value: ${(error as Error).message}`,
      ]);
    }
  }
  if (unresolved !== null) {
    messages.push(
      `No initial value within ${maxAttempts} attempts had a log probability above -2^53; starting from the highest one found (${unresolved.lp.toPrecision(3)}).`,
    );
    return unresolved.theta;
  }
  const lines: string[] = [];
  const why = [...rejections].map(([kind, { count }]) => (rejections.size === 1 ? kind : `${count}: ${kind}`)).join("; ");
  if (maxAttempts > 1) {
    lines.push(`Initialization failed: all ${maxAttempts} attempts were rejected (${why}).`);
  } else {
    const what = allGiven ? "the initial values given" : "the initial point (all zeros on the unconstrained scale)";
    lines.push(`Initialization failed: ${what} ${allGiven ? "were" : "was"} rejected (${why}).`);
  }
  // Stan's text for the latest rejection of each kind.
  for (const { lines: stanText } of rejections.values()) lines.push(...stanText);
  if (maxAttempts > 1) {
    const advice =
      `Initialization between (-${radius}, ${radius}) failed after ${maxAttempts} attempts. ` +
      "Try specifying initial values, reducing ranges of constrained values, or reparameterizing the model.";
    messages.push(advice);
    lines.push(advice);
  }
  throw new InitializationError(lines.join("\n"));
}
