/** Hard starts (issue 16), AR(5), unconstrained coefficients: no stuck chain over 20 seeds. See hardStartModels.ts. */
import { expect, it } from "vitest";
import { AR5, ar5Data, SEEDS, stuckRuns } from "./hardStartModels";

it(`AR(5), unconstrained coefficients: no stuck chain over ${SEEDS} seeds`, async () => {
  expect(
    await stuckRuns(AR5, "hard_start_ar5.stan", ar5Data(), [
      "alpha",
      "beta.1",
      "beta.2",
      "beta.3",
      "beta.4",
      "beta.5",
      "sigma",
    ]),
  ).toEqual([]);
}, 900_000);
