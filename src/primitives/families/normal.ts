/** Normal-family densities: normal, std_normal, normal_id_glm, lognormal, skew_normal, exp_mod_normal. */
import { distribution, realsDistribution, REALS, sig, unaryVectorized } from "./helpers";

export const normalFamily = [
  ...realsDistribution("normal", "normal", 2),
  ...distribution({
    family: "normal",
    name: "std_normal",
    variate: REALS,
    params: [],
    cdfs: true,
    rng: [sig("real")],
  }),
  {
    name: "std_normal_log_qf",
    family: "normal",
    signatures: unaryVectorized(),
  },
  {
    name: "inv_Phi",
    family: "normal",
    signatures: unaryVectorized(),
  },
  // normal_id_glm(y | x, alpha, beta, sigma) = normal(y | alpha + x * beta, sigma)
  ...distribution({
    family: "normal",
    name: "normal_id_glm",
    variate: ["real", "vector"],
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"], ["real", "vector"]],
  }),
  ...realsDistribution("normal", "lognormal", 2),
  ...realsDistribution("normal", "skew_normal", 3),
  ...realsDistribution("normal", "exp_mod_normal", 3),
];
