/**
 * The fuzzer's worker thread: runs the cases the main thread sends, one at a time, reporting each
 * stage as it starts (so a case that hangs is known by its stage when the main thread stops it).
 */
import { parentPort, workerData } from "node:worker_threads";
import type { StanData } from "../../src/runtime/model";
import { runCase } from "./runCase";

export interface CaseRequest {
  readonly id: number;
  readonly source: string;
  readonly data: StanData;
}

const port = parentPort;
if (port === null) throw new Error("scripts/fuzz/worker.ts runs as a worker thread");
const { workDir } = workerData as { workDir: string };

// the programs print; the fuzzer's output is its own summary
console.log = () => undefined;
console.warn = () => undefined;

port.postMessage({ ready: true });

port.on("message", (request: CaseRequest) => {
  runCase(request.source, request.data, workDir, (stage) => port.postMessage({ id: request.id, stage }))
    .then((outcome) => port.postMessage({ id: request.id, outcome }))
    .catch((error: unknown) =>
      port.postMessage({ id: request.id, outcome: { kind: "internal", stage: "check", message: `uncaught: ${String(error)}` } }),
    );
});
