/**
 * Parsing deeply nested programs on a thread with a larger stack (issues #15 and #17: 200 nested
 * calls must compile). Chevrotain's recursive descent takes about 44 JavaScript frames per
 * bracket level (expression → binary → unary → power → postfix → primary → call arguments, each
 * wrapped by Chevrotain's rule machinery), so Node's default stack of about 1 MB ends near 150
 * levels. A JavaScript thread cannot grow its own stack, but a worker thread can be given one
 * (`resourceLimits.stackSizeMb`); the parse is synchronous for its callers, so the main thread
 * blocks on `Atomics.wait` until the worker's reply is in the port (`receiveMessageOnPort`).
 *
 * One worker is started on the first deep program and kept (unreferenced, so it never holds the
 * process open): loading the parser costs more than parsing.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Program } from "../ast/ast";
import type { Diagnostic } from "../common/diagnostics";

/** The worker's stack: 64 MB holds about 60,000 levels, far beyond `MAX_NESTING_DEPTH`. */
const STACK_MB = 64;

/** How long the caller waits for one parse before calling it a defect (a 1 MB program parses in seconds). */
const REPLY_TIMEOUT_MS = 120_000;

/** What the worker sends back for one request. */
export type LargeStackReply =
  | { readonly kind: "parsed"; readonly program: Program; readonly warnings: Diagnostic[] }
  | { readonly kind: "compileError"; readonly diagnostic: Diagnostic }
  | { readonly kind: "tooDeep" }
  | { readonly kind: "failed"; readonly message: string };

/** What the main thread sends: one program to parse. */
export interface LargeStackRequest {
  readonly source: string;
  readonly file: string;
}

/** Data the worker starts with: where it replies and the counter it bumps after each reply. */
export interface LargeStackWorkerData {
  readonly port: MessagePort;
  readonly replies: Int32Array;
}

interface ParserThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly replies: Int32Array;
}

let thread: ParserThread | undefined;

/**
 * The worker's code. Under Node running the compiled package, the compiled `largeStackWorker.js`;
 * from the TypeScript sources (tsx, vitest), tsx's loader registered in the thread first. Any
 * failure to load is sent back as a reply, so the caller never waits for a thread that died.
 */
function bootstrap(): string {
  const here = import.meta.url;
  const entry = new URL(here.endsWith(".ts") ? "./largeStackWorker.ts" : "./largeStackWorker.js", here).href;
  const load = here.endsWith(".ts")
    ? `import(${JSON.stringify(tsxApi(here))}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`
    : `import(${JSON.stringify(entry)})`;
  return [
    `const { workerData } = require("node:worker_threads");`,
    `${load}.catch((e) => {`,
    `  workerData.port.postMessage({ kind: "failed", message: "the parser thread did not start: " + (e && e.stack || e) });`,
    `  Atomics.add(workerData.replies, 0, 1);`,
    `  Atomics.notify(workerData.replies, 0);`,
    `});`,
  ].join("\n");
}

/** tsx's ESM API (`tsx/esm/api`, the import condition), found from tsx's main entry (`dist/loader.mjs`). */
function tsxApi(from: string): string {
  return new URL("./esm/api/index.mjs", pathToFileURL(createRequire(from).resolve("tsx"))).href;
}

function parserThread(): ParserThread {
  if (thread) return thread;
  const { port1, port2 } = new MessageChannel();
  const replies = new Int32Array(new SharedArrayBuffer(4));
  const data: LargeStackWorkerData = { port: port2, replies };
  const worker = new Worker(bootstrap(), {
    eval: true,
    workerData: data,
    transferList: [port2],
    resourceLimits: { stackSizeMb: STACK_MB },
  });
  worker.unref();
  port1.unref();
  // a thread that ends (terminated, out of memory) is started again on the next deep program
  worker.once("exit", () => {
    if (thread?.worker === worker) thread = undefined;
  });
  thread = { worker, port: port1, replies };
  return thread;
}

/** Parses `source` on the large-stack thread, blocking until it answers. */
export function parseOnLargeStack(source: string, file: string): LargeStackReply {
  const t = parserThread();
  const before = Atomics.load(t.replies, 0);
  const request: LargeStackRequest = { source, file };
  t.port.postMessage(request);
  if (Atomics.wait(t.replies, 0, before, REPLY_TIMEOUT_MS) === "timed-out") {
    void t.worker.terminate();
    thread = undefined;
    return { kind: "failed", message: `the parser thread did not answer within ${REPLY_TIMEOUT_MS / 1000} s` };
  }
  let reply: LargeStackReply | undefined;
  try {
    reply = receiveMessageOnPort(t.port)?.message as LargeStackReply | undefined;
  } catch (e) {
    // copying the tree into this thread recurses once per level too: a tree too deep for this
    // thread's stack could not be compiled here anyway (`- - - … x` is not counted as brackets)
    if (e instanceof RangeError) return { kind: "tooDeep" };
    throw e;
  }
  if (!reply) return { kind: "failed", message: "the parser thread answered without a message" };
  if (reply.kind === "failed") {
    void t.worker.terminate();
    thread = undefined;
  }
  return reply;
}
