/**
 * One vocabulary (issue 18): a brms model's variables carry brms's names in the summary table,
 * `summaryTable()` and the JSON; a Stan program's carry Stan's `b[1]`, never the CSV's `b.1`.
 */
import { describe, expect, it } from "vitest";
import { defineModel, type BrmsLayout } from "../../src/runtime/api";
import { fitToJson } from "../../src/runtime/io/fitJson";
import { compiled, param, testModel } from "./models/testModel";

const standardNormal = () =>
  compiled("two_normals", () =>
    testModel({
      name: "two_normals",
      dim: 3,
      variables: [param("b", [2]), param("z")],
      logDensityGradient(theta, grad) {
        let lp = 0;
        for (let i = 0; i < 3; i++) {
          grad[i] = -theta[i];
          lp -= 0.5 * theta[i] ** 2;
        }
        return lp;
      },
    }),
  );

const layout: BrmsLayout = {
  // z is internal to the Stan program: not a brms variable.
  outputNames: [
    { stan: "b.1", brms: "b_Intercept" },
    { stan: "b.2", brms: "b_day01" },
    { stan: "lp__", brms: "lp__" },
  ],
  print: () => "brms print\n",
};

const options = { parallelism: "in-process", chains: 2, warmup: 50, samples: 60, seed: 3 } as const;

describe("variable names", () => {
  it("brms models: brms names in the stansummary table, summaryTable() and the JSON", async () => {
    const fit = await defineModel(standardNormal(), { brms: layout }).sample({}, options);
    const table = fit.stanSummary();
    const names = table.split("\n").map((line) => line.split(" ")[0]);
    expect(names).toContain("b_Intercept");
    expect(names).toContain("b_day01");
    expect(names.filter((n) => n === "lp__")).toHaveLength(1);
    expect(table).not.toMatch(/^(b\[|z )/m);
    expect(fit.summary()).toBe("brms print\n"); // brms's own print keeps brms's labels
    expect(fit.summaryTable().map((r) => r.name)).toEqual(["b_Intercept", "b_day01", "lp__"]);
    const json = JSON.parse(JSON.stringify(fit)) as { columns: string[]; variables: string[] };
    expect(json.columns.slice(-3)).toEqual(["b.1", "b.2", "z"]);
    expect(json.variables.slice(-3)).toEqual(["b_Intercept", "b_day01", "z"]);
    expect(json.variables[0]).toBe("lp__");
  });

  it("Stan programs: Stan's names everywhere", async () => {
    const fit = await defineModel(standardNormal()).sample({}, options);
    expect(fit.stanSummary()).toMatch(/^b\[1\] /m);
    const json = JSON.parse(JSON.stringify(fit)) as { variables: string[] };
    expect(json.variables.slice(-3)).toEqual(["b[1]", "b[2]", "z"]);
    const draws = [Float64Array.from([1, 2, 3, 4]), Float64Array.from([2, 3, 4, 5])];
    const keys = (names?: string[]) =>
      Object.keys(JSON.parse(fitToJson({ modelName: "m", columnNames: ["b.1"], perColumn: [draws], names })).variables);
    expect(keys()).toEqual(["b[1]"]);
    expect(keys(["b_Intercept"])).toEqual(["b_Intercept"]);
  });
});
