import type { StanData, VariableInfo } from "../model";

/** Total number of scalars of a variable with Stan dimensions `dims`. */
export function variableSize(dims: readonly number[]): number {
  let size = 1;
  for (const d of dims) size *= d;
  return size;
}

/**
 * Turns a variable's values, flattened first-index-fastest (CmdStan column order), into Stan
 * JSON's nested arrays (outermost index first). A scalar stays a number.
 */
export function nestColumnMajor(flat: ArrayLike<number>, offset: number, dims: readonly number[]): unknown {
  if (dims.length === 0) return flat[offset];
  const strides: number[] = [];
  let stride = 1;
  for (const d of dims) {
    strides.push(stride);
    stride *= d;
  }
  const build = (level: number, base: number): unknown => {
    const out: unknown[] = [];
    for (let i = 0; i < dims[level]; i++) {
      const index = base + i * strides[level];
      out.push(level === dims.length - 1 ? flat[offset + index] : build(level + 1, index));
    }
    return out;
  };
  return build(0, 0);
}

/** The `parameters`-block variables of a constrained output row, as Stan JSON. */
export function parameterValues(variables: readonly VariableInfo[], constrained: ArrayLike<number>): StanData {
  const values: StanData = {};
  let offset = 0;
  for (const v of variables) {
    const size = variableSize(v.dims);
    if (v.block === "parameters") values[v.name] = nestColumnMajor(constrained, offset, v.dims);
    offset += size;
  }
  return values;
}
