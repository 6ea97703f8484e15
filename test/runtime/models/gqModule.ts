/** A model with a generated quantity that draws from the chain's RNG (loaded by the generic worker). */
import type { CompiledModel } from "../../../src/runtime/model";
import { compiled, param, testModel } from "./testModel";

export const model: CompiledModel = compiled("normal_gq", (data) => {
  const mu = typeof data.mu === "number" ? data.mu : 0;
  return testModel({
    name: "normal_gq",
    dim: 1,
    variables: [param("x"), { name: "y_rep", block: "generated quantities", dims: [], isInteger: false }],
    logDensityGradient(theta, grad) {
      grad[0] = mu - theta[0];
      return -0.5 * (theta[0] - mu) ** 2;
    },
    writeConstrained(theta, rng, out) {
      out[0] = theta[0];
      out[1] = theta[0] + rng.normal();
    },
  });
});
