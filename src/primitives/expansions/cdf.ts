/**
 * Cumulative distribution functions from their logs. Stan's `_cdf` of containers is the product of
 * the elements' CDFs, which is exp of the `_lcdf` (the sum of their logs); so a distribution states
 * its log CDF and log complementary CDF once, as density-style terms (or a kernel), and its `_cdf`
 * is that sum exponentiated.
 */
import { fail } from "../../common/diagnostics";
import { scalar } from "../../ir/values";
import type { ArgCheck, DensityRule, DensityTerm, Expansion, ExprBuilder } from "../primitive";
import type { VariantLowering } from "../families/helpers";

/**
 * `name_cdf` as exp(`name_lcdf`): `lcdf` is the log CDF's terms (argument checks then name
 * `name_cdf`, as Stan's), or the name of the entry that computes it (a kernel).
 */
export function cdfFromLcdf(cdfName: string, lcdf: DensityRule | string): Expansion {
  return (l, args, sp) => {
    const log =
      typeof lcdf === "string"
        ? l.callWithValues(lcdf, args, sp, false)
        : l.density({ ...lcdf, name: cdfName }, args, sp, false, cdfName);
    if (log.kind !== "s") return fail("Semantic error", sp, `${cdfName} does not return a scalar.`);
    return scalar(l.scalarCall("exp", [log.e], sp));
  };
}

/** When argument `x` fails the check (NaN passes: it propagates by itself). */
function fails<T>(b: ExprBuilder<T>, kind: ArgCheck, x: T): T {
  switch (kind) {
    case "finite":
      return b.or(b.cmp("==", x, b.num(Infinity)), b.cmp("==", x, b.num(-Infinity)));
    case "not_nan":
      return b.cmp("!=", x, x);
    case "positive":
      return b.cmp("<=", x, b.num(0));
    case "positive_finite":
      return b.or(b.cmp("<=", x, b.num(0)), b.cmp("==", x, b.num(Infinity)));
    case "nonnegative":
      return b.cmp("<", x, b.num(0));
    case "unit_interval":
    case "probability":
      return b.or(b.cmp("<", x, b.num(0)), b.cmp(">", x, b.num(1)));
    case "angle":
      return b.or(b.cmp("<", x, b.num(-Math.PI)), b.cmp(">", x, b.num(Math.PI)));
  }
}

/**
 * The rule plus, per checked argument, a term that is NaN where that argument fails its check.
 * Container arguments are checked (with Stan's message) only when the sum is not finite, and a
 * CDF's closed form can be finite at invalid arguments (a negative scale inside atan2 or a
 * square), so these terms force it. One term per argument, so those of scalar arguments are
 * evaluated once, outside the loop; NaN needs none (it propagates by itself).
 */
export function withArgumentValidity(rule: DensityRule): DensityRule {
  const validity: DensityTerm[] = rule.checks
    .filter(([, kind]) => kind !== "not_nan")
    .map(([i, kind]) => ({
      deps: [i],
      f: (b, args) => b.ifElse(fails(b, kind, args[i]), b.num(NaN), b.num(0)),
    }));
  return { ...rule, terms: [...validity, ...rule.terms] };
}

/**
 * The `cdf`, `lcdf` and `lccdf` lowerings of a distribution whose log CDFs are terms (with the
 * argument-validity term, so invalid container elements are reported).
 */
export function cdfsFromTerms(
  name: string,
  lcdf: DensityRule,
  lccdf: DensityRule,
): { cdf: VariantLowering; lcdf: VariantLowering; lccdf: VariantLowering } {
  const checkedLcdf = withArgumentValidity(lcdf);
  return {
    cdf: { expand: cdfFromLcdf(`${name}_cdf`, checkedLcdf) },
    lcdf: { density: checkedLcdf },
    lccdf: { density: withArgumentValidity(lccdf) },
  };
}
