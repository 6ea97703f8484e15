/**
 * A Stan built-in that stan2ts registers but cannot compile yet (`unsupported` in its entry) is
 * rejected by the type checker at the call, with a located message naming it: whatever `check`
 * accepts compiles. The entries are read from the registry, so the test follows the library as
 * functions are added.
 */
import { describe, expect, it } from "vitest";
import { parseStan } from "../../src/parse/parseStan";
import { checkProgram } from "../../src/typecheck/checkProgram";
import { CompileError, DiagnosticSink } from "../../src/common/diagnostics";
import { allPrimitives, type Primitive } from "../../src/primitives/registry";
import type { StanType } from "../../src/ast/ast";

function stanType(t: StanType): string {
  const base = t.base === "matrix" ? "matrix[2, 2]" : t.base === "vector" || t.base === "row_vector" ? `${t.base}[2]` : t.base;
  return t.arrayDims === 0 ? base : `array[${new Array(t.arrayDims).fill("2").join(", ")}] ${base}`;
}

/** A program calling `fn`'s first signature on data arguments, in the block where it is allowed. */
function callingProgram(fn: Primitive): string {
  const sig = fn.signatures[0];
  const decls = sig.args.map((a, i) => `  ${stanType(a)} x${i};`).join("\n");
  const args = sig.args.map((_, i) => `x${i}`);
  const density = /_(lu?p[dm]f|l?c?cdf|cdf)$/.test(fn.name);
  const call = density && args.length > 0 ? `${fn.name}(${args[0]}${args.length > 1 ? ` | ${args.slice(1).join(", ")}` : ""})` : `${fn.name}(${args.join(", ")})`;
  const block = fn.name.endsWith("_rng") ? "generated quantities" : fn.name.endsWith("_lupdf") || fn.name.endsWith("_lupmf") ? "model" : "transformed data";
  const ret = sig.returnType;
  const use = ret.base === "void" ? `  ${call};` : `  ${stanType(ret)} r = ${call};`;
  return `data {\n${decls}\n}\n${block} {\n${block === "model" ? `  target += ${call};` : use}\n}\n`;
}

function checkError(source: string): string | undefined {
  try {
    checkProgram(parseStan(source, "u.stan").program, new DiagnosticSink());
    return undefined;
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostic.message;
    throw e;
  }
}

describe("functions stan2ts cannot compile yet", () => {
  const unsupported = allPrimitives().filter((p) => p.unsupported !== undefined && p.signatures.length > 0);

  it("are rejected at the call, naming the function and why", () => {
    for (const fn of unsupported) {
      const message = checkError(callingProgram(fn));
      expect(message, fn.name).toBe(`stan2ts cannot compile the Stan function '${fn.name}' yet: ${fn.unsupported}.`);
    }
  });

  it("a supported function on the same kind of program is accepted (the programs themselves are valid)", () => {
    const supported = allPrimitives().filter((p) => p.unsupported === undefined && p.signatures.length > 0 && /^(normal_lpdf|exp|rep_vector|normal_rng)$/.test(p.name));
    expect(supported.length).toBe(4);
    for (const fn of supported) expect(checkError(callingProgram(fn)), fn.name).toBeUndefined();
  });
});
