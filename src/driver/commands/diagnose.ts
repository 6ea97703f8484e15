/**
 * `stan2ts diagnose model.stan --data data.json`: the derived gradient against finite differences
 * at random points, per parameter, like CmdStan's `diagnose` method (test=gradient).
 */
import { Xoshiro128 } from "../../runtime/rng/xoshiro128";
import type { ModelInstance } from "../../runtime/model";
import { integerIn, numberValue, numberWhere, onePositional, optionsHelp, parseCommandLine, stringValue, type CommandLineSpec, type OptionSpec } from "../args";
import type { Command } from "../command";
import { loadModelWithData } from "./loadModel";

const positive = numberWhere((x) => x > 0, "a positive number");

/** CmdStan's `diagnose` spellings too: `diagnose test=gradient epsilon=1e-6 error=1e-6 data file=d.json`. */
const DIAGNOSE_OPTIONS: readonly OptionSpec[] = [
  { name: "data", value: "FILE", cmdstan: ["data file"], help: "Stan JSON data (CmdStan's format)" },
  { name: "seed", value: "N", cmdstan: ["random seed"], parse: integerIn(0, 4294967295, "an integer from 0 to 4294967295"), help: "random seed (default 1)" },
  { name: "points", value: "N", parse: integerIn(1), help: "number of random points (default 1)" },
  { name: "init", value: "R", cmdstan: ["init"], parse: numberWhere((x) => x >= 0, "a number, 0 or more"), help: "points are uniform in (-R, R) (default 2)" },
  { name: "epsilon", value: "E", cmdstan: ["epsilon"], parse: positive, help: "finite-difference step (default 1e-6)" },
  { name: "error", value: "E", cmdstan: ["error"], parse: positive, help: "tolerance on |gradient − finite difference| (default 1e-6)" },
];

const DIAGNOSE_COMMAND_LINE: CommandLineSpec = {
  command: "diagnose",
  options: DIAGNOSE_OPTIONS,
  cmdstanNoOps: ["diagnose", "method=diagnose", "test=gradient"],
};

/** CmdStan's finite differences: a sixth-order central stencil with step epsilon. */
export function finiteDiffGradient(inst: ModelInstance, theta: Float64Array, epsilon: number): Float64Array {
  const g = new Float64Array(theta.length);
  const x = Float64Array.from(theta);
  const f = (i: number, h: number) => {
    x[i] = theta[i] + h;
    const v = inst.logDensity(x);
    x[i] = theta[i];
    return v;
  };
  for (let i = 0; i < theta.length; i++) {
    const e = epsilon;
    g[i] = (f(i, 3 * e) - 9 * f(i, 2 * e) + 45 * f(i, e) - 45 * f(i, -e) + 9 * f(i, -2 * e) - f(i, -3 * e)) / (60 * e);
  }
  return g;
}

function fmt(x: number): string {
  return Number(x.toPrecision(6)).toString();
}

export const diagnoseCommand: Command = {
  name: "diagnose",
  summary: "check the derived gradient against finite differences (like CmdStan's diagnose)",
  help: [
    "Usage: stan2ts diagnose <model.stan> [--data data.json] [options]",
    "",
    "At random points on the unconstrained scale (uniform in (-init, init), as CmdStan's",
    "initialisation) prints each parameter's value, the model's gradient, the finite difference",
    "and their difference; exits 1 when any |difference| exceeds --error plus the finite",
    "difference's own rounding noise, 1e-14 × |log density| / epsilon (CmdStan uses --error",
    "alone, which flags correct gradients of large models such as the lecture's m1).",
    "",
    "Options:",
    optionsHelp(DIAGNOSE_OPTIONS),
    "",
    "CmdStan's spellings work too: diagnose test=gradient epsilon=E error=E data file=FILE",
    "random seed=N init=R.",
  ].join("\n"),
  async run(argv) {
    const parsed = parseCommandLine(argv, DIAGNOSE_COMMAND_LINE);
    const file = onePositional(parsed, "diagnose takes exactly one Stan file: stan2ts diagnose model.stan --data data.json");
    const seed = numberValue(parsed, "seed") ?? 1;
    const points = numberValue(parsed, "points") ?? 1;
    const init = numberValue(parsed, "init") ?? 2;
    const epsilon = numberValue(parsed, "epsilon") ?? 1e-6;
    const tolerance = numberValue(parsed, "error") ?? 1e-6;
    const { instance } = await loadModelWithData(file, stringValue(parsed, "data"));
    const rng = new Xoshiro128(seed);
    let failures = 0;
    console.log("TEST GRADIENT MODE");
    for (let p = 0; p < points; p++) {
      const theta = new Float64Array(instance.dim);
      for (let i = 0; i < theta.length; i++) theta[i] = (2 * rng.uniform() - 1) * init;
      const grad = new Float64Array(instance.dim);
      const lp = instance.logDensityGradient(theta, grad);
      const fd = finiteDiffGradient(instance, theta, epsilon);
      console.log("");
      // Rounding in the log density (relative ~1e-14 after summing many terms) divided by the step
      // is noise the finite difference cannot resolve; only differences beyond it count.
      const allowed = tolerance + (1e-14 * Math.abs(lp)) / epsilon;
      console.log(` Log probability=${fmt(lp)}`);
      console.log("");
      console.log(` ${"param idx".padStart(10)} ${"value".padStart(15)} ${"model".padStart(15)} ${"finite diff".padStart(15)} ${"error".padStart(15)}`);
      for (let i = 0; i < theta.length; i++) {
        const err = grad[i] - fd[i];
        if (!(Math.abs(err) <= allowed)) failures++;
        console.log(` ${String(i).padStart(10)} ${fmt(theta[i]).padStart(15)} ${fmt(grad[i]).padStart(15)} ${fmt(fd[i]).padStart(15)} ${fmt(err).padStart(15)}`);
      }
    }
    console.log("");
    if (failures > 0) {
      console.log(`${failures} gradient ${failures === 1 ? "entry differs" : "entries differ"} from finite differences by more than the tolerance (--error ${tolerance} plus rounding noise).`);
      return 1;
    }
    return 0;
  },
};
