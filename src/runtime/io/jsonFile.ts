/**
 * Writes a value as JSON to a file piece by piece (Node only, like fileSink.ts). The text is the
 * one `JSON.stringify(value)` gives (objects, arrays, `toJSON`, omitted `undefined`), but it is
 * never held as one string: a long fit's draws (m2, 4 chains × 4000 draws × 4800 columns, is
 * ~1.5 GB of text) exceed the longest string V8 can make.
 */
import type { FileSink } from "./fileSink";

/** Buffered pieces are flushed once they reach this many characters. */
const FLUSH_CHARS = 1 << 20;

export function writeJson(sink: FileSink, value: unknown): void {
  let buffer: string[] = [];
  let buffered = 0;
  const emit = (text: string): void => {
    buffer.push(text);
    buffered += text.length;
    if (buffered >= FLUSH_CHARS) flush();
  };
  const flush = (): void => {
    if (buffer.length > 0) sink.write(buffer.join(""));
    buffer = [];
    buffered = 0;
  };
  writeValue(value, emit, false);
  flush();
}

/** `inArray`: JSON.stringify writes `null` for an array element it would omit from an object. */
function writeValue(value: unknown, emit: (text: string) => void, inArray: boolean): void {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== "object") {
    const text = JSON.stringify(value);
    // undefined, functions and symbols: omitted in objects (the caller skips them), null in arrays.
    emit(text === undefined ? (inArray ? "null" : "") : text);
    return;
  }
  if (Array.isArray(value)) {
    // A row of draws: small enough to stringify whole, and much faster than element by element.
    if (value.every((x) => typeof x === "number")) {
      emit(JSON.stringify(value));
      return;
    }
    emit("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(",");
      writeValue(value[i], emit, true);
    }
    emit("]");
    return;
  }
  emit("{");
  let first = true;
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined || typeof entry === "function" || typeof entry === "symbol") continue;
    if (!first) emit(",");
    first = false;
    emit(JSON.stringify(key) + ":");
    writeValue(entry, emit, false);
  }
  emit("}");
}
