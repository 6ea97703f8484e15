/** Hard starts (issue 16), GARCH(1,1) without the stationarity bound: no stuck chain over 20 seeds. See hardStartModels.ts. */
import { expect, it } from "vitest";
import { GARCH, garchData, SEEDS, stuckRuns } from "./hardStartModels";

it(`GARCH(1,1) without the stationarity bound: no stuck chain over ${SEEDS} seeds`, async () => {
  expect(
    await stuckRuns(GARCH, "hard_start_garch.stan", garchData(), [
      "mu",
      "alpha0",
      "alpha1",
      "beta1",
    ]),
  ).toEqual([]);
}, 900_000);
