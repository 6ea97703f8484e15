/** Where the gradient tests sample a distribution's arguments, set once for all its variants. */
import type { Primitive, TestDomain } from "../primitive";

type Domain = readonly (TestDomain | undefined)[];

/**
 * Gives every variant of distribution `name` (`_lpdf`, `_lupdf`, `_cdf`, `_lcdf`, `_lccdf`) the
 * intervals `domain` (the variate's first), and its `_rng` the parameters' intervals.
 */
export function withTestDomain(
  entries: readonly Primitive[],
  name: string,
  domain: Domain,
): Primitive[] {
  return entries.map((e) => {
    if (e.name === `${name}_rng`) return { ...e, testDomain: domain.slice(1) };
    if (/^_(lu?pdf|cdf|lcdf|lccdf)$/.test(e.name.slice(name.length)) && e.name.startsWith(name))
      return { ...e, testDomain: domain };
    return e;
  });
}
