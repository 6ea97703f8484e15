/** Ends exhaustive switches over discriminated unions; reaching it is a compiler bug. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`internal error: unexpected ${what}: ${JSON.stringify(value)}`);
}
