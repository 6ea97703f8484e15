/** A negative declared size is a data error naming the variable and the size (issue #15), as Stan's check. */
import { describe, expect, it } from "vitest";
import { StanDataError } from "../../src/runtime/model";
import { loadCompiled } from "../models/gradientCheck";

describe("declared sizes", () => {
  it("names the variable, the size expression and its value, in every block that allocates", async () => {
    const source = `data { int N; int K; }
transformed data { vector[N] t = rep_vector(1, N); }
parameters { vector[K] mu; }
transformed parameters { array[N - 1] real tp; for (n in 1:(N - 1)) tp[n] = 0; }
model { mu ~ normal(0, 1); }
generated quantities { matrix[K, N] g = rep_matrix(0, K, N); }
`;
    const model = await loadCompiled(source, "sizes.stan");
    const message = (variable: string, expression: string, value: number) =>
      new StanDataError(`Found negative dimension size in variable declaration; variable=${variable}; dimension size expression=${expression}; expression value=${value}`);
    expect(() => model.create({ N: -2, K: 1 })).toThrow(message("t", "N", -2));
    expect(() => model.create({ N: 2, K: -1 })).toThrow(message("mu", "K", -1));
    expect(() => model.create({ N: 0, K: 1 })).toThrow(message("tp", "N - 1", -1));
    // two negative sizes would multiply to a positive length: the first is named
    expect(() => model.create({ N: 2, K: -3 })).toThrow(message("mu", "K", -3));
    expect(() => model.create({ N: 2, K: 3 })).not.toThrow();
  });
});
