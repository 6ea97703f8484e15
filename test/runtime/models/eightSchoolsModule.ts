/** A model module as a generated bundle would be: exports `model` and serves chains when run as a worker. */
import { StanDataError } from "../../../src/runtime/model";
import type { CompiledModel } from "../../../src/runtime/model";
import { serveModelIfChainWorker } from "../../../src/runtime/sampler/nodeChainWorker";
import { compiled } from "./testModel";
import { eightSchoolsNonCentred } from "./targets";

export const model: CompiledModel = compiled("eight_schools_nc", (data) => {
  for (const field of ["y", "sigma"]) {
    if (!Array.isArray(data[field])) throw new StanDataError(`variable '${field}' is missing from the data`);
  }
  return eightSchoolsNonCentred(data);
});

serveModelIfChainWorker(model);
