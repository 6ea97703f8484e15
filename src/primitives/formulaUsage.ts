/**
 * Which inputs a scalar rule's partials read: its arguments, and its own value (`out`, as `exp`'s
 * partial does). Reverse mode binds only what the partials need. Found by evaluating the
 * formulas with a builder whose expressions are the sets of inputs they read.
 */
import type { ExprBuilder, ScalarRule } from "./primitive";

type Reads = ReadonlySet<string>;

const union = (...sets: Reads[]): Reads => new Set(sets.flatMap((s) => [...s]));

const readsBuilder: ExprBuilder<Reads> = {
  num: () => new Set(),
  add: union,
  sub: union,
  mul: union,
  div: union,
  neg: (a) => a,
  call: (_fn, ...args) => union(...args),
  ifElse: union,
  cmp: (_op, a, b) => union(a, b),
  or: union,
};

export interface PartialsUsage {
  /** The partials read the function's value. */
  readonly out: boolean;
  /** The partials read argument i. */
  readonly args: readonly boolean[];
}

const cache = new WeakMap<ScalarRule, PartialsUsage>();

export function partialsUsage(rule: ScalarRule): PartialsUsage {
  const cached = cache.get(rule);
  if (cached) return cached;
  const args = Array.from({ length: rule.arity }, (_, i) => new Set([`a${i}`]));
  const read = union(...(rule.partials?.(readsBuilder, args, new Set(["out"])) ?? []));
  const usage = { out: read.has("out"), args: args.map((_, i) => read.has(`a${i}`)) };
  cache.set(rule, usage);
  return usage;
}
