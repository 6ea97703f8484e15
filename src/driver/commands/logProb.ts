/**
 * `stan2ts log-prob model.stan --data data.json --params params.json [--json]`: constrained
 * parameter values in; the log density (Jacobian included, every constant `target +=` keeps) and
 * its gradient on the unconstrained scale out, like CmdStan's `log_prob` method.
 */
import { UsageError, type Command } from "../command";
import { loadStanJson } from "../loadData";
import { loadModelWithData, parseArgs } from "./loadModel";

export const logProbCommand: Command = {
  name: "log-prob",
  summary: "log density and unconstrained gradient at given parameter values (like CmdStan's log_prob)",
  help: [
    "Usage: stan2ts log-prob <model.stan> --data data.json --params params.json [--json]",
    "",
    "params.json holds constrained parameter values in Stan JSON (as CmdStan's inits). Prints the",
    "log density on the unconstrained scale with the Jacobian of the constraining transforms and",
    "the gradient in Stan's unconstrained order. With --json prints {\"lp\": n, \"gradient\": [...]}.",
  ].join("\n"),
  async run(argv) {
    const { file, opts } = parseArgs(argv, "log-prob", ["--data", "--params"], ["--json"]);
    const paramsPath = opts.get("--params");
    if (paramsPath === undefined) throw new UsageError("log-prob needs --params params.json (constrained parameter values).");
    const { instance } = await loadModelWithData(file, opts.get("--data"));
    const values = await loadStanJson(paramsPath);
    const theta = instance.unconstrain(values);
    const grad = new Float64Array(instance.dim);
    const lp = instance.logDensityGradient(theta, grad);
    if (opts.has("--json")) {
      console.log(JSON.stringify({ lp, gradient: Array.from(grad) }));
      return 0;
    }
    console.log(`lp = ${lp}`);
    console.log("gradient (unconstrained scale, Stan's order):");
    const width = Math.max(0, ...instance.unconstrainedNames.map((n) => n.length));
    instance.unconstrainedNames.forEach((n, i) => console.log(`  ${n.padEnd(width)}  ${grad[i]}`));
    return 0;
  },
};
