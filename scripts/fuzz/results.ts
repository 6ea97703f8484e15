/**
 * How the fuzzer reads a case's result: which results are findings, and which first results the
 * machine rather than stan2ts may have caused, so the case is run once more before it counts.
 */
import type { CaseOutcome, Stage } from "./runCase";

export type Result = CaseOutcome | { readonly kind: "timeout"; readonly stage: Stage; readonly message: string };

/** The machine, not stan2ts, failed the case: the loader could not start a process. */
export const isInfrastructure = (r: Result): boolean => r.kind === "build" && /\bspawn E[A-Z]+\b|\bE(?:NOMEM|AGAIN|MFILE)\b/.test(r.message);

/** Whether a result is a finding: internal errors, modules that do not load, injection, slow checking or compiling. */
export function isFinding(r: Result): boolean {
  if (r.kind === "timeout") return r.stage === "check" || r.stage === "compile";
  return r.kind === "internal" || r.kind === "build" || r.kind === "injected";
}

/** Why a case was run a second time, for the summary. */
export type Rerun = "machine could not run it" | "slow once, not on a second run";

/**
 * The result a case counts with. A machine failure (`isInfrastructure`) is run again once; so is
 * checking or compiling over the time limit, because the limit is wall-clock time and the machine
 * is shared: a case that took 0.8 s of CPU once took over 5 s while other work loaded both cores
 * (seed 11, case 7617). A slow case is a finding only when it is slow twice.
 */
export async function countedResult(first: Result, runAgain: () => Promise<Result>): Promise<{ readonly result: Result; readonly rerun?: Rerun }> {
  if (isInfrastructure(first)) return { result: await runAgain(), rerun: "machine could not run it" };
  if (first.kind === "timeout" && isFinding(first)) {
    const second = await runAgain();
    return second.kind === "timeout" && isFinding(second) ? { result: second } : { result: second, rerun: "slow once, not on a second run" };
  }
  return { result: first };
}
