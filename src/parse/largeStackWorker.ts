/**
 * The large-stack parser thread (`largeStack.ts`): parses each program it is sent and replies
 * through the port, then bumps the reply counter the waiting caller watches.
 */
import { workerData } from "node:worker_threads";
import { CompileError } from "../common/diagnostics";
import type { LargeStackReply, LargeStackRequest, LargeStackWorkerData } from "./largeStack";
import { parseInThisThread } from "./parseStan";

const { port, replies } = workerData as LargeStackWorkerData;

function answer(request: LargeStackRequest): LargeStackReply {
  try {
    const parsed = parseInThisThread(request.source, request.file);
    return { kind: "parsed", program: parsed.program, warnings: parsed.warnings };
  } catch (e) {
    if (e instanceof CompileError) return { kind: "compileError", diagnostic: e.diagnostic };
    if (e instanceof RangeError) return { kind: "tooDeep" };
    return { kind: "failed", message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

port.on("message", (request: LargeStackRequest) => {
  try {
    port.postMessage(answer(request));
  } catch (e) {
    // a reply that cannot be copied to the caller's thread is a defect, reported as one
    port.postMessage({ kind: "failed", message: `the parse result could not be sent: ${String(e)}` } satisfies LargeStackReply);
  }
  Atomics.add(replies, 0, 1);
  Atomics.notify(replies, 0);
});
