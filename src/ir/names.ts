/**
 * Stan names become JavaScript identifiers unchanged unless they would clash with a JS reserved
 * word or a global the generated code relies on; those get a `__` suffix (Stan reserves names
 * ending in `__`, so the result cannot collide with another user name).
 */
const RESERVED = new Set([
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
  "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
  "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected",
  "public", "await", "async", "arguments", "eval", "undefined", "NaN", "Infinity", "Math", "Number",
  "Float64Array", "Int32Array", "Array", "Object", "Error", "String", "Boolean", "JSON", "console",
  "globalThis", "model", "create", "of", "get", "set",
]);

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

export function jsIdentifier(stanName: string): string {
  if (!IDENT.test(stanName)) throw new Error(`internal error: '${stanName}' is not a Stan identifier`);
  if (RESERVED.has(stanName)) return `${stanName}__`;
  return stanName;
}

/** A JS string literal for any text (user text is never spliced into code unescaped). */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
