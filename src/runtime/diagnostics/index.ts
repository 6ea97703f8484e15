/**
 * Diagnostics for the sampler runtime: posterior's convergence measures and summaries, and
 * CmdStan-`diagnose`-style sampler checks.
 */
export {
  rhat,
  rhatBasic,
  essBulk,
  essTail,
  essMean,
  essBasic,
  essSd,
  essQuantile,
  mcseMean,
  mcseSd,
  mcseQuantile,
  mcseMedian,
  pooledMean,
  pooledMedian,
  pooledSd,
  pooledMad,
  pooledQuantile,
  quantile7,
  quantile7Sorted,
  summarizeVariable,
  type Chains,
  type VariableSummary,
} from "./convergence";
export { normalQuantile } from "./normalQuantile";
export { betaQuantile, betaCdf, logBeta, logGamma } from "./betaQuantile";
export {
  samplerDiagnostics,
  convergenceWarnings,
  formatDiagnoseReport,
  ebfmi,
  EBFMI_THRESHOLD,
  DEFAULT_CONVERGENCE_THRESHOLDS,
  type ChainSamplerDraws,
  type SamplerDiagnostics,
  type ConvergenceThresholds,
} from "./samplerDiagnostics";
