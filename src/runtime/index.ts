/**
 * `stan2ts/runtime`: what a compiled model needs to run, for Node and browsers alike — the module
 * API (`defineModel`, `StanFit`), the model contract, the NUTS sampler, convergence and sampler
 * diagnostics, CmdStan CSV reading and writing. It imports no compiler code and no Node built-in
 * at load (sampling on worker threads imports Node's modules when it starts);
 * test/architecture/packageEntries.test.ts keeps it so.
 */
export {
  defineModel,
  StanFit,
  columnNames,
  type SampleableModel,
  type ModelSampleOptions,
  type DefineModelOptions,
  type Parallelism,
  type SummaryRow,
  type FitDiagnostics,
  type BrmsLayout,
  type BrmsVariableSummary,
  type BrmsSummaryOptions,
  type BrmsRunInfo,
  type SampleOptions,
  type ProgressEvent,
  type CsvOutputOptions,
  type CsvSink,
} from "./api";
export {
  createInstance,
  StanDataError,
  StanDomainError,
  SamplingError,
  type StanData,
  type CompiledModel,
  type ModelInstance,
  type VariableInfo,
  type OutputBlock,
  type Rng,
} from "./model";
export {
  sampleInProcess,
  Fit,
  runChain,
  SAMPLER_COLUMNS,
  InitializationError,
  ChainError,
  type InProcessOptions,
  type ChainResult,
  type ChainConfig,
  type ChainSummary,
} from "./sampler/index";
export * from "./diagnostics/index";
export * from "./io/index";
