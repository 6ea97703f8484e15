/** Hard starts (issue 16), ARMA(1,1), unconstrained phi and theta: no stuck chain over 20 seeds. See hardStartModels.ts. */
import { expect, it } from "vitest";
import { ARMA, armaData, SEEDS, stuckRuns } from "./hardStartModels";

it(`ARMA(1,1), unconstrained phi and theta: no stuck chain over ${SEEDS} seeds`, async () => {
  expect(
    await stuckRuns(ARMA, "hard_start_arma.stan", armaData(), ["mu", "phi", "theta", "sigma"]),
  ).toEqual([]);
}, 900_000);
