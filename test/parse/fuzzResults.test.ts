/** How the fuzzer counts a case's result (scripts/fuzz/results.ts): what is run twice before it is a finding. */
import { describe, expect, it } from "vitest";
import { countedResult, type Result } from "../../scripts/fuzz/results";

const slowCompile: Result = { kind: "timeout", stage: "compile", message: "over 5000 ms" };
const sampled: Result = { kind: "ok", stage: "sample", message: "" };
const internal: Result = { kind: "internal", stage: "compile", message: "internal error: x" };

/** A second run that returns `result` and counts its calls. */
function second(result: Result) {
  const calls = { n: 0 };
  return { calls, run: () => ((calls.n += 1), Promise.resolve(result)) };
}

describe("fuzz results", () => {
  it("a compile over the time limit once but not on a second run is not a finding (seed 11, case 7617, a loaded machine)", async () => {
    const again = second(sampled);
    expect(await countedResult(slowCompile, again.run)).toEqual({ result: sampled, rerun: "slow once, not on a second run" });
    expect(again.calls.n).toBe(1);
  });

  it("a compile over the time limit twice stays a timeout finding", async () => {
    const again = second(slowCompile);
    expect(await countedResult(slowCompile, again.run)).toEqual({ result: slowCompile });
  });

  it("a second run that finds something else reports that", async () => {
    expect(await countedResult(slowCompile, second(internal).run)).toEqual({ result: internal, rerun: "slow once, not on a second run" });
  });

  it("sampling over the time limit, internal errors and user errors are not run again", async () => {
    for (const first of [{ kind: "timeout", stage: "sample", message: "over 5000 ms" }, internal, sampled] as Result[]) {
      const again = second(sampled);
      expect(await countedResult(first, again.run)).toEqual({ result: first });
      expect(again.calls.n).toBe(0);
    }
  });

  it("a machine failure (spawn ENOMEM) is run again once", async () => {
    const enomem: Result = { kind: "build", stage: "load", message: "Error: spawn ENOMEM" };
    expect(await countedResult(enomem, second(sampled).run)).toEqual({ result: sampled, rerun: "machine could not run it" });
  });
});
