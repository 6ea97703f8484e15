import { describe, expect, it } from "vitest";
import { samplerDiagnostics, summarizeVariable } from "../../../src/runtime/diagnostics";
import { fitToJson } from "../../../src/runtime/io/fitJson";

describe("fitToJson", () => {
  const chain1 = Float64Array.from([0.1, -0.25, 1 / 3, 2, 0.5]);
  const chain2 = Float64Array.from([0.2, NaN, Infinity, -Infinity, 1e-7]);
  const lp = [
    Float64Array.from([-1, -2, -1.5, -1.25, -3]),
    Float64Array.from([-2, -1, -1, -2.5, -1.75]),
  ];

  it("writes draws per variable and chain, summaries, and non-finite values as strings", () => {
    const json = fitToJson({
      modelName: "demo",
      columnNames: ["lp__", "b.1"],
      perColumn: [lp, [chain1, chain2]],
      config: { seed: 14, num_warmup: 1000 },
      sampler: samplerDiagnostics(
        [0, 1].map(() => ({
          treedepth: [1, 2, 3, 4, 5],
          divergent: [0, 0, 0, 0, 1],
          energy: [1, 3, 2, 4, 1],
        })),
        10,
      ),
    });
    const parsed = JSON.parse(json);
    expect(parsed.model).toBe("demo");
    expect(parsed.chains).toBe(2);
    expect(parsed.draws_per_chain).toBe(5);
    expect(parsed.config).toEqual({ seed: 14, num_warmup: 1000 });
    expect(parsed.sampler_diagnostics.divergences).toBe(2);
    expect(Object.keys(parsed.variables)).toEqual(["lp__", "b[1]"]);
    const b = parsed.variables["b[1]"];
    expect(b.column).toBe("b.1");
    expect(b.draws[0]).toEqual([0.1, -0.25, 1 / 3, 2, 0.5]); // exact round trip
    expect(b.draws[1]).toEqual([0.2, "NaN", "Inf", "-Inf", 1e-7]);
    expect(b.summary.rhat).toBe("NaN"); // a NaN draw makes every rank-based measure NA
    const lpSummary = summarizeVariable("lp__", lp);
    expect(parsed.variables.lp__.summary.mean).toBe(lpSummary.mean);
    expect(parsed.variables.lp__.summary.sd).toBe(lpSummary.sd);
    expect(parsed.variables.lp__.summary.ess_bulk).toBe("NaN"); // 2 draws per split chain: too short
  });

  it("uses given summaries (with extra quantiles) and checks the column count", () => {
    const summary = summarizeVariable("lp__", lp, [0.025, 0.975]);
    const parsed = JSON.parse(
      fitToJson({ modelName: "m", columnNames: ["lp__"], perColumn: [lp], summaries: [summary] }),
    );
    expect(parsed.variables.lp__.summary.quantiles).toEqual({
      "0.025": summary.quantiles[0],
      "0.975": summary.quantiles[1],
    });
    expect(() =>
      fitToJson({ modelName: "m", columnNames: ["lp__", "x"], perColumn: [lp] }),
    ).toThrow(/2 column names/);
  });
});
