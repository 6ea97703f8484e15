/**
 * brms 2.18's `wiener` family: the Wiener diffusion model of a two-choice reaction time. The
 * response is the reaction time, `dec()` gives each row's decision (1 upper boundary, 0 lower), mu
 * is the drift rate, and the distributional parameters are the boundary separation `bs`, the
 * non-decision time `ndt` (below every reaction time, so bounded by `min_Y`) and the a-priori bias
 * `bias`. brms adds `wiener_diffusion_lpdf`, which reads a lower-boundary response as an upper one
 * of the mirrored process (bias → 1 − bias, drift → −drift), and calls it row by row.
 */
import { INT, REAL } from "../../ast/ast";
import * as b from "../stanBuilders";
import { ndt } from "./dpars";
import type { DparSpec, FamilySpec } from "./family";
import { functionDef, ifReturn, ret } from "./functionDefs";

const v = b.v;

const bs: DparSpec = { name: "bs", links: ["log", "identity", "softplus"], lb: "0", scalarPrior: "gamma(1, 1)", interceptPrior: "normal(-0.6, 1.3)" };
const bias: DparSpec = { name: "bias", links: ["logit", "identity"], lb: "0", ub: "1", scalarPrior: "beta(1, 1)", interceptPrior: "logistic(0, 1)" };

function wienerFunctions() {
  const params = [["y", REAL], ["dec", INT], ["alpha", REAL], ["tau", REAL], ["beta", REAL], ["delta", REAL]] as const;
  return [
    functionDef("wiener_diffusion_lpdf", REAL, params, [
      ifReturn(
        b.bin("==", v("dec"), b.int(1)),
        [ret(b.lpdf("wiener_lpdf", v("y"), v("alpha"), v("tau"), v("beta"), v("delta")))],
        b.block([ret(b.lpdf("wiener_lpdf", v("y"), v("alpha"), v("tau"), b.bin("-", b.int(1), v("beta")), b.neg(v("delta"))))]),
      ),
    ]),
  ];
}

export const wiener: FamilySpec = {
  name: "wiener",
  aliases: ["wiener"],
  links: ["identity", "log", "softplus"],
  dpars: [bs, ndt, bias],
  response: "real",
  checkResponse: (y) => (y > 0 ? undefined : "not greater than 0"),
  responseRequirement: "positive reaction times",
  additions: ["dec"],
  needsMinY: true,
  functions: wienerFunctions,
  likelihood: (ctx) => {
    const decisions = v(ctx.dataName("dec"));
    return {
      dist: "wiener_diffusion",
      args: [ctx.rowwise ? b.idx(decisions, v("n")) : decisions, ctx.dpar("bs"), ctx.dpar("ndt"), ctx.dpar("bias"), ctx.dpar("mu")],
      perRow: true,
    };
  },
};
