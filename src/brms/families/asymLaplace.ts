/**
 * brms 2.18's asym_laplace family (quantile regression): mu is the `quantile`-th quantile of the
 * response, sigma its scale. brms writes the density and its log CDF and CCDF as Stan functions of
 * its own (with the check function `rho_quantile`), called row by row; they are built here as AST
 * with brms's names, parameters and expressions, so the program equals make_stancode's.
 */
import { REAL } from "../../ast/ast";
import * as b from "../stanBuilders";
import { sigma } from "./dpars";
import type { DparSpec, FamilySpec } from "./family";
import { functionDef, ifReturn, ret, type Param } from "./functionDefs";

const v = b.v;
const real = (...names: string[]): Param[] => names.map((n): Param => [n, REAL]);

/** The quantile in (0, 1): logit link with a formula, brms's `beta(1, 1)` scalar prior. */
const quantile: DparSpec = { name: "quantile", links: ["logit", "identity"], lb: "0", ub: "1", scalarPrior: "beta(1, 1)", interceptPrior: "logistic(0, 1)" };

const oneMinusQuantile = () => b.paren(b.bin("-", b.int(1), v("quantile")));
const centred = () => b.paren(b.bin("-", v("y"), v("mu")));
/** `(1 - quantile) * (y - mu) / sigma`: the log of the lower tail's decay. */
const lowerRate = () => b.bin("/", b.bin("*", oneMinusQuantile(), centred()), v("sigma"));
/** `-quantile * (y - mu) / sigma`: the log of the upper tail's decay. */
const upperRate = () => b.bin("/", b.bin("*", b.neg(v("quantile")), centred()), v("sigma"));
const belowMu = () => b.bin("<", v("y"), v("mu"));

function asymLaplaceFunctions() {
  const rho = functionDef("rho_quantile", REAL, real("y", "quantile"), [
    ifReturn(b.bin("<", v("y"), b.int(0)), [ret(b.bin("*", v("y"), b.paren(b.bin("-", v("quantile"), b.int(1)))))], b.block([ret(b.bin("*", v("y"), v("quantile")))])),
  ]);
  const params = real("y", "mu", "sigma", "quantile");
  const lpdf = functionDef("asym_laplace_lpdf", REAL, params, [
    ret(
      b.bin(
        "-",
        b.bin("-", b.call("log", b.bin("*", v("quantile"), oneMinusQuantile())), b.call("log", v("sigma"))),
        b.call("rho_quantile", b.bin("/", centred(), v("sigma")), v("quantile")),
      ),
    ),
  ]);
  const lcdf = functionDef("asym_laplace_lcdf", REAL, params, [
    ifReturn(
      belowMu(),
      [ret(b.bin("+", b.call("log", v("quantile")), lowerRate()))],
      b.block([ret(b.call("log1m", b.bin("*", oneMinusQuantile(), b.call("exp", upperRate()))))]),
    ),
  ]);
  const lccdf = functionDef("asym_laplace_lccdf", REAL, params, [
    ifReturn(
      belowMu(),
      [ret(b.call("log1m", b.bin("*", v("quantile"), b.call("exp", lowerRate()))))],
      b.block([ret(b.bin("-", b.call("log1m", v("quantile")), b.bin("/", b.bin("*", v("quantile"), centred()), v("sigma"))))]),
    ),
  ]);
  return [rho, lpdf, lcdf, lccdf];
}

export const asymLaplace: FamilySpec = {
  name: "asym_laplace",
  aliases: ["asym_laplace"],
  links: ["identity", "log", "inverse", "softplus"],
  dpars: [sigma, quantile],
  response: "real",
  checkResponse: () => undefined,
  responseRequirement: "real numbers",
  additions: [],
  // brms's own lcdf/lccdf functions serve cens() and trunc()
  cdfs: true,
  functions: asymLaplaceFunctions,
  likelihood: (ctx) => ({ dist: "asym_laplace", args: [ctx.dpar("mu"), ctx.dpar("sigma"), ctx.dpar("quantile")], perRow: true }),
};
