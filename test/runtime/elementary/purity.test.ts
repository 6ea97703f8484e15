/**
 * The deterministic elementary functions may use only operations every engine computes the same
 * way: +, −, ×, ÷ and the exactly specified Math.sqrt, Math.abs, Math.floor, Math.trunc (and bit
 * access). Any other Math function or the ** operator (engines implement pow differently) would
 * bring back engine-dependent last bits; this test reads the sources (comments removed) to keep
 * them out, and checks that the folder imports nothing from outside itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const FOLDER = fileURLToPath(new URL("../../../src/runtime/math/elementary/", import.meta.url));
const ALLOWED_MATH = new Set(["sqrt", "abs", "floor", "trunc"]);

function codeOf(file: string): string {
  return readFileSync(join(FOLDER, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
}

describe("src/runtime/math/elementary uses only exactly specified arithmetic", () => {
  const files = readdirSync(FOLDER).filter((f) => f.endsWith(".ts"));
  it("has the expected files", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "bits.ts",
        "exp.ts",
        "log.ts",
        "pow.ts",
        "cbrt.ts",
        "hypot.ts",
        "hyperbolic.ts",
        "tables.ts",
        "index.ts",
      ]),
    );
  });
  for (const file of files) {
    it(file, () => {
      const code = codeOf(file);
      const mathCalls = [...code.matchAll(/Math\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
      expect(mathCalls.filter((name) => !ALLOWED_MATH.has(name))).toEqual([]);
      expect(code.includes("**")).toBe(false);
      const imports = [...code.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      expect(imports.filter((spec) => !spec.startsWith("./"))).toEqual([]);
    });
  }
});
