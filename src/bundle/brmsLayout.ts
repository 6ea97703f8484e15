/**
 * brms naming embedded in a model bundle built from an R script: the output names and what
 * brms's `print(fit)` header needs, as plain JSON, plus the printer that rebuilds the layout.
 * Imports only browser-safe brms code (the printer), never the script reader.
 */
import type { BrmsBuild } from "../brms/index";
import { printFit, printModelOf, type ResponseHeader } from "../brms/printFit";
import type { BrmsLayout } from "../runtime/api";
import type { StanData } from "../runtime/model";

/** What the `print(fit)` header and section titles read from the model, as JSON. */
export interface BrmsNaming {
  readonly outputNames: readonly { readonly stan: string; readonly brms: string }[];
  readonly multivariate: boolean;
  readonly responses: readonly ResponseHeader[];
  readonly dataName: string;
  /** Observations and levels at compile time; the data passed to `sample` overrides them (N, N_k). */
  readonly observations: number;
  readonly groups: readonly { readonly id: number; readonly group: string; readonly levels: number }[];
}

export function brmsNamingOf(build: BrmsBuild): BrmsNaming {
  const m = build.model;
  return {
    outputNames: build.outputNames.map((n) => ({ stan: n.stan, brms: n.brms })),
    multivariate: m.multivariate,
    responses: printModelOf(m).responses,
    dataName: m.script.dataName,
    observations: m.rows.length,
    groups: m.ids.map((id) => ({ id: id.id, group: id.group, levels: id.levels.length })),
  };
}

function sizeFrom(data: StanData, field: string, fallback: number): number {
  const value = data[field];
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** The `BrmsLayout` the module API uses, from embedded naming. */
export function brmsLayout(naming: BrmsNaming): BrmsLayout {
  const variables = naming.outputNames.map((n) => n.brms);
  return {
    outputNames: naming.outputNames,
    print(summaries, run, data, prob) {
      // Sizes follow the data actually sampled.
      const model = {
        multivariate: naming.multivariate,
        responses: naming.responses,
        dataName: naming.dataName,
        observations: sizeFrom(data, "N", naming.observations),
        groups: naming.groups.map((g) => ({ group: g.group, levels: sizeFrom(data, `N_${g.id}`, g.levels) })),
      };
      return printFit(model, variables, summaries, run, prob);
    },
  };
}
