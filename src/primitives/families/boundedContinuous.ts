/** Densities on bounded or circular supports, and other unbounded location-scale densities. */
import { realsDistribution } from "./helpers";

export const boundedContinuousFamily = [
  ...realsDistribution("bounded", "beta", 2),
  ...realsDistribution("bounded", "beta_proportion", 2, false),
  ...realsDistribution("bounded", "uniform", 2),
  ...realsDistribution("bounded", "von_mises", 2),
  ...realsDistribution("bounded", "logistic", 2),
  ...realsDistribution("bounded", "double_exponential", 2),
  ...realsDistribution("bounded", "gumbel", 2),
];
