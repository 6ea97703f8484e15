/** Heavy-tailed location-scale densities: student_t and cauchy. */
import { realsDistribution } from "./helpers";

export const studentTFamily = [
  // student_t(y | nu, mu, sigma)
  ...realsDistribution("student_t", "student_t", 3),
  ...realsDistribution("student_t", "cauchy", 2),
];
