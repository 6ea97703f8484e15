import type { CompiledModel, ModelInstance, Rng, StanData, VariableInfo } from "../../../src/runtime/model";

/** What a hand-written test target provides; `testModel` fills in the rest of `ModelInstance`. */
export interface TestTarget {
  name: string;
  dim: number;
  /** Parameters (and optional other outputs) in CmdStan order. */
  variables: VariableInfo[];
  logDensityGradient(theta: Float64Array, grad: Float64Array): number;
  /** Writes constrained outputs; defaults to the identity on theta. */
  writeConstrained?(theta: Float64Array, rng: Rng, out: Float64Array): void;
  /** Constrained parameter values → theta; defaults to reading the flattened parameters. */
  unconstrain?(values: StanData): Float64Array;
}

export function flattenValue(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (Array.isArray(value)) {
    // Outermost index first in JSON; CmdStan order is first-index-fastest. Only 1-D is needed here.
    return value.map((v) => {
      if (typeof v !== "number") throw new Error("test models take only scalars and 1-D arrays");
      return v;
    });
  }
  throw new Error(`not a number or array: ${String(value)}`);
}

export function testModel(target: TestTarget): ModelInstance {
  const outputLength = target.variables.reduce((n, v) => n + v.dims.reduce((a, b) => a * b, 1), 0);
  const scratchGrad = new Float64Array(target.dim);
  return {
    name: target.name,
    dim: target.dim,
    variables: target.variables,
    outputLength,
    unconstrainedNames: Array.from({ length: target.dim }, (_, i) => `theta.${i + 1}`),
    logDensity: (theta) => target.logDensityGradient(theta, scratchGrad),
    logDensityGradient: (theta, grad) => target.logDensityGradient(theta, grad),
    writeConstrained:
      target.writeConstrained ??
      ((theta, _rng, out) => {
        out.set(theta);
      }),
    unconstrain:
      target.unconstrain ??
      ((values) => {
        const flat: number[] = [];
        for (const v of target.variables) if (v.block === "parameters") flat.push(...flattenValue(values[v.name]));
        return Float64Array.from(flat);
      }),
  };
}

export function compiled(name: string, create: (data: StanData) => ModelInstance): CompiledModel {
  return { name, stanCode: `// hand-written test model ${name}`, create };
}

export const param = (name: string, dims: number[] = []): VariableInfo => ({
  name,
  block: "parameters",
  dims,
  isInteger: false,
});
