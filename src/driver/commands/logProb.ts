/**
 * `stan2ts log-prob model.stan --data data.json --params params.json [--json]`: constrained
 * parameter values in; the log density (Jacobian included, every constant `target +=` keeps) and
 * its gradient on the unconstrained scale out, like CmdStan's `log_prob` method.
 */
import { UsageError, type Command } from "../command";
import { loadStanJson } from "../loadData";
import { flagValue, onePositional, optionsHelp, parseCommandLine, stringValue, type CommandLineSpec, type OptionSpec } from "../args";
import { loadModelWithData } from "./loadModel";

/** CmdStan's `log_prob` spellings too: `data file=d.json constrained_params=p.json`. */
const LOG_PROB_OPTIONS: readonly OptionSpec[] = [
  { name: "data", value: "FILE", cmdstan: ["data file"], help: "Stan JSON data (CmdStan's format)" },
  { name: "params", value: "FILE", cmdstan: ["constrained_params"], help: "constrained parameter values (Stan JSON)" },
  { name: "json", help: "print {\"lp\": n, \"gradient\": [...]}" },
];

const LOG_PROB_COMMAND_LINE: CommandLineSpec = {
  command: "log-prob",
  options: LOG_PROB_OPTIONS,
  cmdstanNoOps: ["log_prob", "method=log_prob", "jacobian=1", "jacobian=true"],
};

export const logProbCommand: Command = {
  name: "log-prob",
  summary: "log density and unconstrained gradient at given parameter values (like CmdStan's log_prob)",
  help: [
    "Usage: stan2ts log-prob <model.stan> --data data.json --params params.json [--json]",
    "",
    "params.json holds constrained parameter values in Stan JSON (as CmdStan's inits). Prints the",
    "log density on the unconstrained scale with the Jacobian of the constraining transforms and",
    "the gradient in Stan's unconstrained order. With --json prints {\"lp\": n, \"gradient\": [...]}.",
    "",
    optionsHelp(LOG_PROB_OPTIONS),
    "",
    "CmdStan's spellings work too: log_prob data file=FILE constrained_params=FILE (jacobian=1).",
  ].join("\n"),
  async run(argv) {
    const parsed = parseCommandLine(argv, LOG_PROB_COMMAND_LINE);
    const file = onePositional(parsed, "log-prob takes exactly one Stan file: stan2ts log-prob model.stan --data data.json --params params.json");
    const paramsPath = stringValue(parsed, "params");
    if (paramsPath === undefined) throw new UsageError("log-prob needs --params params.json (constrained parameter values).");
    const { instance } = await loadModelWithData(file, stringValue(parsed, "data"));
    const values = await loadStanJson(paramsPath);
    const theta = instance.unconstrain(values);
    const grad = new Float64Array(instance.dim);
    const lp = instance.logDensityGradient(theta, grad);
    if (flagValue(parsed, "json")) {
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
