import { describe, expect, it } from "vitest";
import { writeJson } from "../../../src/runtime/io/jsonFile";

function written(value: unknown): { text: string; writes: number } {
  const pieces: string[] = [];
  writeJson({ write: (t) => pieces.push(t), close: () => undefined }, value);
  return { text: pieces.join(""), writes: pieces.length };
}

describe("writeJson", () => {
  it("writes what JSON.stringify writes", () => {
    const fit = {
      toJSON: () => ({ model: "m\"1", seed: 3, skipped: undefined, f: () => 1, columns: ["lp__", "b.1"], empty: [], nested: { a: [1, "x", null, undefined, NaN, -0, 1e-300] } }),
    };
    const values: unknown[] = [fit, [], {}, null, 1.5, "t\u2028", [[1, 2], [3]], Float64Array.from([1, 2]), { d: new Date(0) }, [undefined, () => 1]];
    for (const value of values) expect(written(value).text).toBe(JSON.stringify(value));
  });

  it("writes a document longer than one flush in pieces, never as one string", () => {
    const rows = Array.from({ length: 300 }, (_, i) => Array.from({ length: 1000 }, (_, j) => i + j / 7));
    const { text, writes } = written({ draws: rows });
    expect(text).toBe(JSON.stringify({ draws: rows }));
    expect(writes).toBeGreaterThan(3);
  });
});
