/**
 * The sampling API that runs anywhere (Node, browsers, workers). Node's parallel entry point is
 * `./sampleModule` (worker_threads), with `./nodeChainWorker` for model bundles that serve as their
 * own worker; browsers use `./sampleInWebWorkers` with `./webChainWorker`.
 */
export { sampleInProcess, type InProcessOptions } from "./sampleInProcess";
export { Fit, type ChainResult } from "./fit";
export { resolveOptions, type SampleOptions, type ProgressEvent } from "./sampleOptions";
export { runChain, SAMPLER_COLUMNS, type ChainConfig, type ChainListener, type ChainSummary, type ChainPhase } from "./runChain";
export { InitializationError } from "./initialize";
export { ChainError } from "./chainScheduler";
export type { CsvOutputOptions, CsvSink } from "./csvOutput";
export type { JsonOutputOptions } from "./jsonOutput";
export type { RunOutputOptions } from "./runRecorder";
export { serveChains, type ModelLoader } from "./chainServer";
export type { ToChainWorker, FromChainWorker, MessageEndpoint } from "./workerProtocol";
