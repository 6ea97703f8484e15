/** `stan2ts sample script.R`: the script's calls after brm() run on the finished fit. */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UserError, type BrmsBuild } from "../../brms/index";
import { residualNamesOf, runPostFit } from "../../brms/postFit/runPostFit";
import type { StanFit } from "../../runtime/api";
import { renderVegaLiteSvg, type TopLevelSpec } from "../../views/renderVegaLite";

/**
 * What the calls print; files they write (write.csv, and the SVG plots of plot(), pp_check() and
 * conditional_effects()) go next to the script, as its read_csv paths are read.
 */
export async function runScriptPostFit(fit: StanFit, build: BrmsBuild, scriptPath: string): Promise<string> {
  const calls = build.model.script.postFit;
  if (calls.length === 0) return "";
  // Equal chain lengths, as the summary uses them after an interrupt.
  const n = fit.summaryDrawsPerChain;
  const written: string[] = [];
  const plots: { name: string; spec: TopLevelSpec }[] = [];
  const write = (path: string, text: string) => {
    const target = resolve(dirname(scriptPath), path);
    try {
      writeFileSync(target, text);
    } catch (err) {
      throw new UserError(`Cannot write '${target}' (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    }
    written.push(target);
  };
  const output = runPostFit(calls, {
    draws: { variables: fit.variables(), drawsByChain: (name) => fit.drawsByChain(name).map((c) => c.subarray(0, n)) },
    printFit: (options) => fit.summary(options),
    priorSummary: () => build.priorSummary(),
    residualNames: residualNamesOf(build.model),
    model: build.model,
    seed: fit.seed,
    writeFile: write,
    writePlot: (name, spec) => plots.push({ name, spec }),
  });
  for (const plot of plots) write(plot.name, await renderVegaLiteSvg(plot.spec));
  return `\n${output}${written.map((f) => `Wrote ${f}\n`).join("")}`;
}
