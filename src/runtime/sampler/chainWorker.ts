/**
 * Generic Node chain worker: imports the model module named in each run request by URL. Bundle it
 * to plain JS (esbuild, format esm, platform node) and pass its URL as `workerUrl` to `sampleModule`.
 */
import { importCompiledModel, isNodeChainWorker, startNodeChainWorker } from "./nodeChainWorker";

if (isNodeChainWorker()) startNodeChainWorker(importCompiledModel);
