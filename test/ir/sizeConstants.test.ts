/**
 * A local int formed from data and container sizes (`int n = num_elements(x);`) that is never
 * assigned again is known at data load: containers sized by it compile (brms's sratio, cratio and
 * acat densities declare `vector[nthres + 1] p;` this way), and the value and gradient are right.
 */
import { describe, expect, it } from "vitest";
import { coordinateCheck, loadCompiled } from "../models/gradientCheck";

const ordinalLike = `functions {
  real f(vector thres, real mu) {
    int nthres = num_elements(thres);
    vector[nthres + 1] p;
    p[1] = inv_logit(thres[1] - mu);
    for (k in 2:nthres) p[k] = inv_logit(thres[k] - mu) - inv_logit(thres[k - 1] - mu);
    p[nthres + 1] = 1 - inv_logit(thres[nthres] - mu);
    return log(p[2]) + log(p[nthres + 1]);
  }
}
data { int K; }
parameters { vector[K] c; real mu; }
model {
  int n = K + 1;
  vector[n] w = rep_vector(0.5, n);
  target += f(c, mu) + sum(w);
}
`;

describe("ints known from sizes", () => {
  it("size containers in functions and the model block: value and gradient", async () => {
    const model = await loadCompiled(ordinalLike, "sizes.stan");
    const instance = model.create({ K: 3 });
    const theta = Float64Array.of(-1, 0.2, 1.5, 0.3);
    const invLogit = (x: number) => 1 / (1 + Math.exp(-x));
    const expected = Math.log(invLogit(0.2 - 0.3) - invLogit(-1 - 0.3)) + Math.log(1 - invLogit(1.5 - 0.3)) + 0.5 * 4;
    expect(instance.logDensity(theta)).toBeCloseTo(expected, 12);
    expect(coordinateCheck(instance, theta).worst).toBeLessThan(1e-6);
  });

  it("an int assigned again stays a variable: a container sized by it is still refused, naming it", async () => {
    const reassigned = ordinalLike.replace("int n = K + 1;", "int n = K + 1;\n  n = n + 0;");
    await expect(loadCompiled(reassigned, "reassigned.stan")).rejects.toThrow(/container sizes known at data load; this size depends on 'n'/);
  });

  it("an int read from a container's values is not a size", async () => {
    const fromValues = ordinalLike.replace("int n = K + 1;", "int n = K + 1;\n  int m = 2;").replace("vector[n] w", "array[K] int idx = rep_array(1, K);\n  int j = idx[1];\n  vector[j] v = rep_vector(0, j);\n  vector[n] w");
    await expect(loadCompiled(fromValues, "values.stan")).rejects.toThrow(/this size depends on 'j'/);
  });
});
