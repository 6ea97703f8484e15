/**
 * Output for the sampler runtime: C++-compatible number formatting, CmdStan CSV writing and
 * reading, the stansummary-style table and JSON export. Browser-safe: the Node file sink lives in
 * `./fileSink` and is imported separately.
 */
export { formatG } from "./formatG";
export {
  CmdStanCsvWriter,
  CMDSTAN_DEFAULTS,
  drawSigFigs,
  formatConfigComments,
  formatStartDatetime,
  type AdaptedMetric,
  type CsvConfig,
  type CsvMetricKind,
} from "./cmdstanCsvWriter";
export { readCmdStanCsv, parseCsvNumber, CmdStanCsvError, type CmdStanCsv } from "./readCmdStanCsv";
export {
  formatStanSummary,
  formatSummaryTable,
  formatSummaryCsv,
  formatSummaryValue,
  formatEss,
  formatRhat,
  isSamplerDiagnostic,
  stanSummaryRows,
  summaryRowsFromCsv,
  DEFAULT_SIG_FIGS,
  type SummaryTableRow,
  type CsvSummaryOptions,
  summarizeColumns,
  stanSummaryFromCsv,
  drawsByColumn,
  bracketName,
  displayOrder,
  formatFixed,
  formatScientific,
  type StanSummaryOptions,
} from "./formatStanSummary";
export { fitToJson, type FitJsonInput } from "./fitJson";
export { diagnoseCsv, type CsvDiagnosis } from "./diagnoseCsv";
