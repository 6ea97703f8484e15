import { describe, expect, it } from "vitest";
import { CmdStanCsvWriter } from "../../../src/runtime/io/cmdstanCsvWriter";
import { diagnoseCsv } from "../../../src/runtime/io/diagnoseCsv";
import { readCmdStanCsv } from "../../../src/runtime/io/readCmdStanCsv";

const COLUMNS = [
  "lp__",
  "accept_stat__",
  "stepsize__",
  "treedepth__",
  "n_leapfrog__",
  "divergent__",
  "energy__",
  "mu",
];

/** One chain: a saved warm-up row that must be ignored, then `draws` sampling rows. */
function chainCsv(chain: number, draws: number, row: (i: number) => number[]) {
  let text = "";
  const writer = new CmdStanCsvWriter((t) => (text += t));
  writer.writeHeader(
    { modelName: "m", seed: 5, maxDepth: 8, saveWarmup: true, numSamples: draws, sigFigs: 17 },
    COLUMNS,
  );
  writer.writeRow([0, 0, 1, 8, 255, 1, 0, 0]); // warm-up: divergent and saturated, not counted
  writer.writeAdaptation(0.5, { kind: "diag", values: [1] });
  for (let i = 0; i < draws; i++) writer.writeRow(row(i + 1000 * chain));
  writer.writeTiming(1, 1);
  return readCmdStanCsv(text);
}

describe("diagnoseCsv", () => {
  it("counts only post-warmup problems and reads max_depth from the header", () => {
    const csvs = [0, 1].map((chain) =>
      chainCsv(chain, 400, (i) => {
        const x = Math.sin(i * 2.3) + 0.3 * Math.cos(i * 0.7);
        const energy = 5 + Math.sin(i * 1.9) * 2;
        return [-x * x, 0.9, 0.5, i % 100 === 0 ? 8 : 3, 7, i % 200 === 1 ? 1 : 0, energy, x];
      }),
    );
    const { sampler, report } = diagnoseCsv(csvs);
    expect(sampler.transitions).toBe(800);
    expect(sampler.treedepthHits).toBe(8);
    expect(sampler.divergences).toBe(4);
    expect(report).toContain(
      "8 of 800 (1.0%) transitions hit the maximum treedepth limit of 8, or 2^8 - 1 leapfrog steps.",
    );
    expect(report).toContain("4 of 800 (0.5%) transitions ended with a divergence.");
    expect(report).toContain("E-BFMI satisfactory.");
  });

  it("flags a variable whose chains disagree", () => {
    const csvs = [0, 1].map((chain) =>
      chainCsv(chain, 300, (i) => {
        const x = chain * 5 + Math.sin(i * 2.3);
        return [-1, 0.9, 0.5, 3, 7, 0, 5 + Math.sin(i * 1.7), x];
      }),
    );
    const { convergence, report } = diagnoseCsv(csvs);
    expect(convergence[0]).toMatch(/R-hat greater than 1\.01:\n {2}mu\n/);
    expect(report).toContain("Processing complete.\n");
    expect(report).not.toContain("no problems detected");
  });
});
