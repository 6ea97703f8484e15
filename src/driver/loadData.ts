/**
 * Reading data for the CLI: Stan JSON (CmdStan's format) from a file or an http(s) URL, CSV files
 * fetched from a URL for brms scripts. Every problem is a `DataLoadError` whose message names the
 * source and, where it applies, the field, element (row, column) or line and column.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StanData } from "../runtime/model";

/** A data problem the user must fix; the CLI prints it without a stack trace and exits 1. */
export class DataLoadError extends Error {
  constructor(message: string) {
    super(message);
    // The CLI's error reporter prints StanDataError messages plainly (exit 1).
    this.name = "StanDataError";
  }
}

export const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

/** The text at a file path or http(s) URL. */
export async function readDataText(location: string): Promise<string> {
  if (isUrl(location)) {
    let response: Response;
    try {
      response = await fetch(location);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new DataLoadError(`Could not download the data from ${location}: ${cause?.code ?? cause?.message ?? (err as Error).message}.`);
    }
    if (!response.ok) throw new DataLoadError(`Could not download the data from ${location}: HTTP ${response.status} ${response.statusText}.`);
    return response.text();
  }
  try {
    return readFileSync(location, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (code ?? (err as Error).message);
    throw new DataLoadError(`Could not read the data file '${location}': ${why}.`);
  }
}

/** For a URL, downloads to a temporary file (keeping the extension) and returns its path; paths pass through. */
export async function localCopy(location: string, extension: string): Promise<string> {
  if (!isUrl(location)) return location;
  const text = await readDataText(location);
  const path = join(mkdtempSync(join(tmpdir(), "stan2ts-data-")), `data${extension}`);
  writeFileSync(path, text);
  return path;
}

/**
 * Text without a leading byte-order mark (U+FEFF). Editors on Windows save one; Stan programs,
 * JSON data and CSV files are all read with it removed, so it never matters which one had it.
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

const SPECIAL_NUMBERS: Record<string, number> = {
  nan: NaN,
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
};

/** Where a value sits, 1-based as Stan users count: `'Y', element 3`, `'X', row 3, column 2`. */
function where(field: string, path: readonly number[]): string {
  if (path.length === 0) return `'${field}'`;
  if (path.length === 1) return `'${field}', element ${path[0] + 1}`;
  if (path.length === 2) return `'${field}', row ${path[0] + 1}, column ${path[1] + 1}`;
  return `'${field}'${path.map((i) => `[${i + 1}]`).join("")}`;
}

/**
 * Deepest array nesting accepted in a data field. Stan data nest one level per dimension (arrays of
 * matrices rarely go past 4); the limit keeps a pathological file (3,000 nested brackets, even in
 * a field the program does not use) from overflowing the converter's stack.
 */
export const MAX_DATA_NESTING = 100;

/** Converts one field: numbers and CmdStan's "NaN"/"Inf" strings, nested rectangular arrays. */
function convertValue(value: unknown, field: string, path: number[], source: string): unknown {
  if (typeof value === "number") return value;
  if (path.length >= MAX_DATA_NESTING) {
    throw new DataLoadError(
      `${source}: data field '${field}' nests arrays more than ${MAX_DATA_NESTING} levels deep; Stan data have one level per dimension.`,
    );
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    const special = SPECIAL_NUMBERS[value.trim().toLowerCase()];
    if (special !== undefined) return special;
    throw new DataLoadError(`${source}: data field ${where(field, path)} is the text ${JSON.stringify(value)}, not a number.`);
  }
  if (Array.isArray(value)) {
    const out = value.map((element, i) => convertValue(element, field, [...path, i], source));
    // Stan arrays and matrices are rectangular: every element has the shape of the first.
    const shapeOf = (v: unknown): string => (Array.isArray(v) ? `${v.length}:${v.length > 0 ? shapeOf(v[0]) : ""}` : "scalar");
    if (out.length > 1) {
      const first = shapeOf(out[0]);
      for (let i = 1; i < out.length; i++) {
        if (shapeOf(out[i]) !== first) {
          const describe = (v: unknown) => (Array.isArray(v) ? `${v.length} elements` : "a single number");
          const label = (k: number) => (path.length === 0 ? `row ${k + 1}` : `element ${[...path, k].map((j) => `[${j + 1}]`).join("")}`);
          throw new DataLoadError(
            `${source}: data field '${field}' is not rectangular: ${label(i)} has ${describe(out[i])} but ${label(0)} has ${describe(out[0])}.`,
          );
        }
      }
    }
    return out;
  }
  if (value === null) throw new DataLoadError(`${source}: data field ${where(field, path)} is null, not a number (write "NaN" for a missing real).`);
  throw new DataLoadError(`${source}: data field ${where(field, path)} is an object; Stan JSON data holds numbers and arrays of numbers.`);
}

/**
 * Where JSON text first goes wrong, and why: V8's messages do not always carry a position, so a
 * small recursive-descent scan finds it (only called after JSON.parse has failed).
 */
export function jsonErrorAt(text: string): { offset: number; reason: string } {
  let i = 0;
  class Stop extends Error {
    constructor(readonly reason: string) {
      super(reason);
    }
  }
  const fail = (reason: string): never => {
    throw new Stop(reason);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const describe = () => (i >= text.length ? "the end of the text" : `'${text[i]}'`);
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted field name, found ${describe()}`);
        string();
        ws();
        if (text[i] !== ":") fail(`expected ':' after the field name, found ${describe()}`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`expected ',' or '}', found ${describe()}`);
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`expected ',' or ']', found ${describe()}`);
      }
    } else if (c === '"') string();
    else if (/[-0-9]/.test(c ?? "")) {
      const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) fail(`malformed number`);
      i += m![0].length;
    } else {
      const word = /^(true|false|null)/.exec(text.slice(i));
      if (!word) fail(`expected a value, found ${describe()}`);
      i += word![0].length;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      else if (text[i] === "\n") fail("line break inside a string");
      i++;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the data`);
    return { offset: text.length, reason: "invalid JSON" };
  } catch (e) {
    if (e instanceof Stop) return { offset: i, reason: e.reason };
    throw e;
  }
}

/** Parses Stan JSON text: syntax errors give line and column, bad values name field and element. */
export function parseStanJson(text: string, source: string): StanData {
  text = stripBom(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (parseError) {
    let located: { offset: number; reason: string };
    try {
      located = jsonErrorAt(text);
    } catch (scanError) {
      // The locating scan recurses once per bracket: text nested too deeply to scan gets V8's words.
      if (!(scanError instanceof RangeError)) throw scanError;
      throw new DataLoadError(`${source} is not valid JSON: ${(parseError as Error).message}.`);
    }
    const { line, column } = lineColumn(text, located.offset);
    throw new DataLoadError(`${source} is not valid JSON at line ${line}, column ${column}: ${located.reason}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new DataLoadError(`${source}: Stan JSON data must be an object of named fields, e.g. {"N": 3, "y": [1, 2, 3]}.`);
  }
  const data: StanData = {};
  for (const [field, value] of Object.entries(parsed)) {
    // A field named __proto__ would set the prototype instead: define it as an own property.
    Object.defineProperty(data, field, { value: convertValue(value, field, [], source), enumerable: true, writable: true, configurable: true });
  }
  return data;
}

/** Stan JSON from a file path or an http(s) URL. */
export async function loadStanJson(location: string): Promise<StanData> {
  return parseStanJson(await readDataText(location), location);
}
