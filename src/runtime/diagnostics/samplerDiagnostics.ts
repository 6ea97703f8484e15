/**
 * Sampler checks in the spirit of CmdStan's `diagnose`: divergences, tree-depth saturation,
 * E-BFMI per chain, and low-ESS / high-R-hat warnings from the variable summaries.
 */
import type { VariableSummary } from "./convergence";

export interface ChainSamplerDraws {
  treedepth: ArrayLike<number>;
  divergent: ArrayLike<number>;
  energy: ArrayLike<number>;
}

export interface SamplerDiagnostics {
  /** Post-warmup transitions that ended with a divergence, over all chains. */
  divergences: number;
  /** Transitions whose tree depth reached the limit, over all chains. */
  treedepthHits: number;
  /** Transitions over all chains. */
  transitions: number;
  /** E-BFMI per chain (NaN for fewer than two draws or constant energy). */
  ebfmi: number[];
  /** One message per problem found; empty when all checks pass. */
  warnings: string[];
}

/** E-BFMI below this suggests the momentum resampling cannot move the energy enough. */
export const EBFMI_THRESHOLD = 0.3;

/**
 * E-BFMI = Σ_{t≥2} (E_t − E_{t−1})² / Σ_t (E_t − Ē)², the ratio of the mean squared energy
 * change to the energy variance (both with the same divisor, as CmdStan computes it).
 */
export function ebfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += energy[i];
  mean /= n;
  let numerator = 0;
  const first = energy[0] - mean;
  let denominator = first * first;
  for (let i = 1; i < n; i++) {
    const change = energy[i] - energy[i - 1];
    const deviation = energy[i] - mean;
    numerator += change * change;
    denominator += deviation * deviation;
  }
  return denominator > 0 ? numerator / denominator : NaN;
}

function percent(count: number, total: number): string {
  return `${((100 * count) / total).toFixed(1)}%`;
}

export function samplerDiagnostics(
  perChain: readonly ChainSamplerDraws[],
  maxTreedepth: number,
): SamplerDiagnostics {
  let divergences = 0;
  let treedepthHits = 0;
  let transitions = 0;
  const ebfmiPerChain: number[] = [];
  for (const chain of perChain) {
    const n = chain.treedepth.length;
    if (chain.divergent.length !== n || chain.energy.length !== n) {
      throw new Error("treedepth__, divergent__ and energy__ must have one value per transition");
    }
    transitions += n;
    for (let i = 0; i < n; i++) {
      if (chain.divergent[i] !== 0) divergences++;
      if (chain.treedepth[i] >= maxTreedepth) treedepthHits++;
    }
    ebfmiPerChain.push(ebfmi(chain.energy));
  }

  const warnings: string[] = [];
  if (treedepthHits > 0) {
    warnings.push(
      `${treedepthHits} of ${transitions} (${percent(treedepthHits, transitions)}) transitions hit the maximum treedepth limit of ${maxTreedepth}, or 2^${maxTreedepth} - 1 leapfrog steps.\n` +
        "Trajectories cut short by this limit explore the posterior slowly.\n" +
        "Raising --max-treedepth avoids it at the cost of more gradient evaluations; if it persists, consider reparameterizing the model.",
    );
  }
  if (divergences > 0) {
    warnings.push(
      `${divergences} of ${transitions} (${percent(divergences, transitions)}) transitions ended with a divergence.\n` +
        "Divergences mean the sampler could not follow the posterior's geometry, so the draws may be biased.\n" +
        "Try raising --adapt-delta closer to 1; if divergences remain, reparameterize the model (e.g. non-centred).",
    );
  }
  ebfmiPerChain.forEach((value, chainIndex) => {
    if (value < EBFMI_THRESHOLD) {
      warnings.push(
        `Chain ${chainIndex + 1}: E-BFMI = ${value.toFixed(3)}, below the nominal threshold of ${EBFMI_THRESHOLD.toFixed(1)}, ` +
          "which suggests HMC may have trouble exploring the target distribution.\nIf possible, reparameterize the model.",
      );
    }
  });
  return { divergences, treedepthHits, transitions, ebfmi: ebfmiPerChain, warnings };
}

export interface ConvergenceThresholds {
  /** Warn when R-hat exceeds this (Vehtari et al. 2021 recommend 1.01). */
  maxRhat: number;
  /** Warn when bulk or tail ESS is below this many effective draws per chain. */
  minEssPerChain: number;
}

export const DEFAULT_CONVERGENCE_THRESHOLDS: ConvergenceThresholds = {
  maxRhat: 1.01,
  minEssPerChain: 100,
};

/** Warnings for variables with high R-hat or low bulk/tail ESS (NaN R-hat/ESS is not flagged). */
export function convergenceWarnings(
  summaries: readonly VariableSummary[],
  numChains: number,
  thresholds: ConvergenceThresholds = DEFAULT_CONVERGENCE_THRESHOLDS,
): string[] {
  const highRhat = summaries.filter((s) => s.rhat > thresholds.maxRhat);
  const minEss = thresholds.minEssPerChain * numChains;
  const lowBulk = summaries.filter((s) => s.essBulk < minEss);
  const lowTail = summaries.filter((s) => s.essTail < minEss);
  const list = (items: readonly VariableSummary[]) =>
    items
      .slice(0, 20)
      .map((s) => `  ${s.name}`)
      .join("\n") + (items.length > 20 ? `\n  … and ${items.length - 20} more` : "");
  const warnings: string[] = [];
  if (highRhat.length > 0) {
    warnings.push(
      `The following parameters had rank-normalized split R-hat greater than ${thresholds.maxRhat}:\n${list(highRhat)}\n` +
        "The chains have not mixed; their draws do not yet represent one posterior. Run longer chains or improve the parameterization.",
    );
  }
  if (lowBulk.length > 0) {
    warnings.push(
      `The following parameters had bulk ESS below ${minEss} (${thresholds.minEssPerChain} per chain):\n${list(lowBulk)}\n` +
        "Posterior means and medians may be unreliable. Running the chains for more iterations may help.",
    );
  }
  if (lowTail.length > 0) {
    warnings.push(
      `The following parameters had tail ESS below ${minEss} (${thresholds.minEssPerChain} per chain):\n${list(lowTail)}\n` +
        "Posterior variances and tail quantiles (5%, 95%) may be unreliable. Running the chains for more iterations may help.",
    );
  }
  return warnings;
}

/** A CmdStan-`diagnose`-style report: each check with its verdict, then a conclusion line. */
export function formatDiagnoseReport(
  sampler: SamplerDiagnostics,
  convergence: readonly string[],
): string {
  const sections: string[] = [];
  sections.push(
    "Checking sampler transitions treedepth.\n" +
      (sampler.treedepthHits > 0
        ? sampler.warnings.find((w) => w.includes("maximum treedepth"))!
        : "Treedepth satisfactory for all transitions."),
  );
  sections.push(
    "Checking sampler transitions for divergences.\n" +
      (sampler.divergences > 0
        ? sampler.warnings.find((w) => w.includes("divergence"))!
        : "No divergent transitions found."),
  );
  const lowEbfmi = sampler.warnings.filter((w) => w.includes("E-BFMI"));
  sections.push(
    "Checking E-BFMI - sampler transitions HMC potential energy.\n" +
      (lowEbfmi.length > 0 ? lowEbfmi.join("\n") : "E-BFMI satisfactory."),
  );
  const essWarnings = convergence.filter((w) => w.includes("ESS"));
  sections.push(
    essWarnings.length > 0
      ? essWarnings.join("\n\n")
      : "Rank-normalized split effective sample size satisfactory for all parameters.",
  );
  const rhatWarnings = convergence.filter((w) => w.includes("R-hat"));
  sections.push(
    rhatWarnings.length > 0
      ? rhatWarnings.join("\n\n")
      : "Rank-normalized split R-hat values satisfactory for all parameters.",
  );
  const problems = sampler.warnings.length + convergence.length;
  sections.push(
    problems === 0 ? "Processing complete, no problems detected." : "Processing complete.",
  );
  return sections.join("\n\n") + "\n";
}
