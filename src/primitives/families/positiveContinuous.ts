/** Densities on (0, ∞): exponential, gamma, inverse gamma, Weibull, chi-square family, Fréchet, Rayleigh, Pareto. */
import { realsDistribution } from "./helpers";

export const positiveContinuousFamily = [
  ...realsDistribution("positive", "exponential", 1),
  ...realsDistribution("positive", "gamma", 2),
  ...realsDistribution("positive", "inv_gamma", 2),
  ...realsDistribution("positive", "weibull", 2),
  ...realsDistribution("positive", "frechet", 2),
  ...realsDistribution("positive", "chi_square", 1),
  ...realsDistribution("positive", "inv_chi_square", 1),
  ...realsDistribution("positive", "scaled_inv_chi_square", 2),
  ...realsDistribution("positive", "rayleigh", 1),
  ...realsDistribution("positive", "pareto", 2),
  ...realsDistribution("positive", "pareto_type_2", 3),
];
