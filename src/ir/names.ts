/**
 * Everything from the user that reaches the generated module passes through this file: Stan
 * names become JavaScript identifiers (`jsIdentifier`), text becomes string literals
 * (`jsString`) or comment text (`jsCommentText`), literals are re-printed from their value
 * (`jsIntLiteral`, `jsRealLiteral`).
 *
 * A Stan name stays as written unless the generated code could read it as something else: a
 * reserved word, a global the code relies on, a name the module itself declares, or one of the
 * runtime helpers it may import (`square`, `cholesky_factor_corr_constrain`, …). Those get a `__`
 * suffix; Stan reserves names ending in `__`, so the result cannot equal another user name, and
 * the compiler's own names (`lp__`, `mu_adj__`) are built so that they do not either.
 */
import * as runtimeMath from "../runtime/math/index";
import * as runtimeTransforms from "../runtime/math/transforms";

/** JavaScript's reserved words in strict mode (ES modules), plus the contextual words a reader would trip over. */
const RESERVED_WORDS = [
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
  "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
  "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected",
  "public", "await", "async", "arguments", "eval", "of", "get", "set",
];

/** ECMAScript's global names and the usual host globals (Node and browsers). */
const GLOBALS = [
  "globalThis", "Infinity", "NaN", "undefined", "isFinite", "isNaN", "parseFloat", "parseInt", "decodeURI",
  "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape", "AggregateError", "Array",
  "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "Error",
  "EvalError", "FinalizationRegistry", "Float16Array", "Float32Array", "Float64Array", "Function", "Int8Array",
  "Int16Array", "Int32Array", "Intl", "Iterator", "JSON", "Map", "Math", "Number", "Object", "Promise", "Proxy",
  "RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol",
  "SyntaxError", "TypeError", "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "URIError",
  "WeakMap", "WeakRef", "WeakSet", "console", "process", "require", "module", "exports", "window", "self", "document", "navigator",
  "performance", "crypto", "queueMicrotask", "setTimeout", "clearTimeout", "setInterval", "clearInterval",
  "setImmediate", "structuredClone", "fetch", "Buffer", "URL", "TextEncoder", "TextDecoder", "Worker",
  "postMessage", "onmessage", "importScripts", "location", "alert",
];

/**
 * Names the generated module declares or imports besides the runtime's math: the module's
 * exports and functions (src/codegen/emitModule.ts), `create`'s parameter and locals, and the
 * names imported from src/runtime/model.
 */
const MODULE_NAMES = [
  "model", "create", "data", "variables", "outputLength", "unconstrainedNames", "logDensity",
  "logDensityGradient", "logDensityGradientInto", "writeConstrained", "unconstrain",
  "StanDataError", "StanDomainError", "CompiledModel", "ModelInstance", "Rng", "StanData", "VariableInfo",
];

/** Every name a Stan name must not become; the runtime's exports are read, so a new helper is covered. */
const TAKEN = new Set([
  ...RESERVED_WORDS,
  ...GLOBALS,
  ...MODULE_NAMES,
  ...Object.keys(runtimeMath),
  ...Object.keys(runtimeTransforms),
]);

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

export function jsIdentifier(stanName: string): string {
  if (!IDENT.test(stanName)) throw new Error(`internal error: '${stanName}' is not a Stan identifier`);
  if (TAKEN.has(stanName)) return `${stanName}__`;
  return stanName;
}

/** Whether a Stan name is renamed in the generated code (it would clash there). */
export function isMangled(stanName: string): boolean {
  return TAKEN.has(stanName);
}

/** A JS string literal for any text (user text is never spliced into code unescaped). */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * Text that can sit inside a `//` or `/* … *\/` comment and stay a comment: every JavaScript line
 * terminator (LF, CR, U+2028, U+2029) becomes a space and `*\/` becomes `* /`. Stan source and
 * file names reach comments only through here.
 */
export function jsCommentText(text: string): string {
  return text.replace(/[\n\r\u2028\u2029]+/g, " ").replace(/\*\//g, "* /");
}

/** An int literal's digits as JavaScript reads them (`010` would be octal, `08` a syntax error). */
export function jsIntLiteral(text: string): string {
  return String(Number(text));
}

/**
 * A real literal for JavaScript: the text as written when JavaScript reads it as the same decimal
 * (`0.2`, `1e-3`, `2.0`); otherwise re-printed from its value (`00000.0` → `0`, `.5` → `0.5`,
 * `1e999` → `Infinity`, which the printer turns into the module's constant).
 */
export function jsRealLiteral(text: string): string {
  const value = Number(text);
  if (/^(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?$/.test(text) && Number.isFinite(value)) return text;
  return String(value);
}
