/**
 * A distribution's `_cdf` from its `_lcdf`: Stan's `_cdf` of vectorised arguments is the product of
 * the elements' CDFs, i.e. exp of the summed log CDFs, which the `_lcdf` lowering already computes
 * (with its argument checks and its partials).
 */
import type { Expansion } from "../primitive";
import { scalar, type ScalarValue } from "../../ir/values";

export function cdfFromLcdf(lcdf: string): Expansion {
  return (l, args, sp) => {
    const logCdf = l.callWithValues(lcdf, args, sp, false) as ScalarValue;
    return scalar(l.scalarCall("exp", [logCdf.e], sp));
  };
}
