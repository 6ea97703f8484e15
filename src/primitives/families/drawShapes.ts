/**
 * Result shapes of the generators that write a whole vector or matrix (`RngRule.draws`): the
 * lowering allocates the result from these and passes `sizes` after the arguments.
 */
import type { SExpr } from "../../ir/ir";
import type { ContainerValue, Value } from "../../ir/values";
import type { RngDrawShape, RngRule } from "../primitive";

function containerDims(v: Value): readonly SExpr[] {
  if (v.kind !== "c") throw new Error("internal error: a generator's container argument is a scalar");
  return v.dims;
}

function scalarExpr(v: Value): SExpr {
  if (v.kind !== "s") throw new Error("internal error: a generator's size argument is a container");
  return v.e;
}

/**
 * A vector per location vector (argument `location`: a vector, row vector or array of them), with
 * the matrix argument `matrix`'s row count passed as K: `multi_normal_rng(mu, Sigma)` and kin.
 */
export function locationDraws(kinds: RngRule["args"], location: number, matrix: number): RngRule {
  return {
    args: kinds,
    intResult: false,
    draws: (args): RngDrawShape => {
      const mu = args[location] as ContainerValue;
      const dims = containerDims(mu);
      const K = dims[dims.length - 1];
      const rows = containerDims(args[matrix])[0];
      return mu.arrayDims > 0
        ? { elem: "real", base: "vector", arrayDims: 1, dims: [dims[0], K], sizes: [rows] }
        : { elem: "real", base: "vector", arrayDims: 0, dims: [K], sizes: [rows] };
    },
  };
}

/** A vector shaped like argument `like` (`dirichlet_rng(alpha)`). */
export function vectorLike(kinds: RngRule["args"], like: number): RngRule {
  return { args: kinds, intResult: false, draws: (args) => ({ elem: "real", base: "vector", arrayDims: 0, dims: containerDims(args[like]), sizes: [] }) };
}

/** An array of ints as long as argument `like` (`multinomial_rng(theta, N)`). */
export function countsLike(kinds: RngRule["args"], like: number): RngRule {
  return { args: kinds, intResult: true, draws: (args) => ({ elem: "int", base: "int", arrayDims: 1, dims: containerDims(args[like]), sizes: [] }) };
}

/** A K×K matrix with K the scalar argument `size` (`lkj_corr_rng(K, eta)`). */
export function squareOfSize(kinds: RngRule["args"], size: number): RngRule {
  return {
    args: kinds,
    intResult: false,
    draws: (args) => {
      const K = scalarExpr(args[size]);
      return { elem: "real", base: "matrix", arrayDims: 0, dims: [K, K], sizes: [] };
    },
  };
}

/** A matrix shaped like the square matrix argument `like`, whose size K is passed (`wishart_rng(nu, S)`). */
export function squareLike(kinds: RngRule["args"], like: number): RngRule {
  return {
    args: kinds,
    intResult: false,
    draws: (args) => {
      const dims = containerDims(args[like]);
      return { elem: "real", base: "matrix", arrayDims: 0, dims, sizes: [dims[0]] };
    },
  };
}
