/** A negative or too large declared size is a data error naming the variable and the size (issue #15), as Stan's check. */
import { describe, expect, it } from "vitest";
import { StanDataError, createInstance } from "../../src/runtime/model";
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

  it("a size too large to allocate is a data error, not a crash: a data field names itself, any other container says why", async () => {
    // found by the fuzzer (seed 13, case 15941): array[N] vector[2147483647] p in the data block
    const data = `data { int N; array[N] vector[2147483647] p; }\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n`;
    const dataModel = await loadCompiled(data, "huge_data.stan");
    expect(() => dataModel.create({ N: 50, p: [] })).toThrow(
      new StanDataError("data field 'p': its declared size, 50 × 2147483647 = 107374182350 elements, is too large to allocate"),
    );
    const local = `data { int N; }\nparameters { real mu; }\nmodel { matrix[N, N] big; mu ~ normal(0, 1); }\n`;
    const localModel = await loadCompiled(local, "huge_local.stan");
    expect(() => createInstance(localModel, { N: 100000 })).toThrow(StanDataError);
    expect(() => createInstance(localModel, { N: 100000 })).toThrow(/too large to allocate \(10000000000 elements\)/);
    expect(() => createInstance(localModel, { N: 3 })).not.toThrow();
  });
});
