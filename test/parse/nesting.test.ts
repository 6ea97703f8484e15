/**
 * Deeply nested programs (issue #15 item 4, issue #17 item 4): nesting beyond what Chevrotain's
 * recursive descent can parse on Node's default stack is parsed on a thread with a larger one
 * (src/parse/largeStack.ts), the later passes survive `MAX_NESTING_DEPTH`, and deeper programs
 * get a located syntax error; nesting that no bracket count sees is a user error, never an
 * internal one. Every nesting shape compiled at the limit: nesting.slow.test.ts.
 */
import { describe, expect, it } from "vitest";
import { nestedCallsProgram } from "../../bench/compilePrograms";
import { printProgram } from "../../src/ast/printer";
import { CompileError } from "../../src/common/diagnostics";
import { compileStan } from "../../src/driver/compile";
import { MAX_NESTING_DEPTH, parseInThisThread, parseStan } from "../../src/parse/parseStan";

const model = (body: string) => `parameters {\n  real<lower=0> x;\n}\nmodel {\n${body}\n  x ~ exponential(1);\n}\n`;

function compileError(run: () => unknown): CompileError {
  try {
    run();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a compile error");
}

describe("deep nesting", () => {
  it("200 nested calls compile (parsed on the large-stack thread)", async () => {
    const compiled = await compileStan(nestedCallsProgram(200), "nested.stan");
    expect(compiled.code).toContain("log1p");
    // the call chain is differentiated level by level
    expect(compiled.code.split("log1p(").length - 1).toBeGreaterThanOrEqual(200);
  });

  it("the tree parsed on the large-stack thread equals the one parsed here", () => {
    const source = nestedCallsProgram(100);
    expect(printProgram(parseStan(source, "nested.stan").program)).toBe(printProgram(parseInThisThread(source, "nested.stan").program));
  });

  it("syntax errors and warnings found on the large-stack thread reach the caller", () => {
    const error = compileError(() => parseStan(nestedCallsProgram(200).replace("x)", "x +)"), "nested.stan"));
    expect(error.diagnostic.kind).toBe("Syntax error");
    expect(error.diagnostic.span?.start.line).toBe(5);
    // the legacy array declaration is warned about by the AST builder, which runs on that thread
    const warned = parseStan(model(`  real y[1];\n  target += ${"log1p(".repeat(200)}x${")".repeat(200)};`), "nested.stan");
    expect(warned.warnings.map((w) => w.message)).toEqual(["Declaration of arrays by placing brackets after a variable name is deprecated; write 'array[1] real y' instead."]);
  });

  it("a 2,000-term sum compiles (a tree 2,000 deep: the type checker walks its left spine with a loop)", async () => {
    const terms = Array.from({ length: 2000 }, (_, k) => `x * ${k + 1}.0`).join(" + ");
    const compiled = await compileStan(model(`  target += -(${terms}) * 1e-7;`), "sum.stan");
    expect(compiled.code).toContain("logDensity");
  });

  it("one level past the limit is a syntax error at the bracket that goes past it", () => {
    const source = nestedCallsProgram(MAX_NESTING_DEPTH);
    const error = compileError(() => parseStan(source, "deep.stan"));
    expect(error.diagnostic.message).toBe(`Brackets are nested ${MAX_NESTING_DEPTH + 1} deep here; stan2ts parses programs nested up to ${MAX_NESTING_DEPTH} deep.`);
    const offset = source.indexOf("target += ") + "target += ".length + "log1p(".length * MAX_NESTING_DEPTH - 1;
    expect(error.diagnostic.span?.start.offset).toBe(offset);
    expect(error.diagnostic.span?.start.line).toBe(5);
  });

  it("10,000 nested calls are refused with the located message", () => {
    const error = compileError(() => parseStan(nestedCallsProgram(10_000), "deep.stan"));
    expect(error.diagnostic.message).toBe(`Brackets are nested ${MAX_NESTING_DEPTH + 1} deep here (10,001 at the deepest); stan2ts parses programs nested up to ${MAX_NESTING_DEPTH} deep.`);
    // at the first bracket past the limit (`model {` is the first level)
    expect(error.diagnostic.span?.start.line).toBe(5);
    expect(error.diagnostic.span?.start.column).toBe("  target += ".length + "log1p(".length * MAX_NESTING_DEPTH);
  });

  it("nesting without brackets too deep for any stack is a user error", () => {
    const error = compileError(() => parseStan(model(`  target += ${"- ".repeat(5000)}x;`), "deep.stan"));
    expect(error.diagnostic.message).toBe("The program is nested too deeply to parse.");
  });

  it("an else-if chain of 3,000 links is a user error, not an internal one", async () => {
    const chain = ["  if (x < 0) target += -x;", ...Array.from({ length: 3000 }, (_, k) => `  else if (x < ${k + 1}) target += -${k + 1} * x;`), "  else target += -x;"];
    let outcome: unknown;
    try {
      await compileStan(model(chain.join("\n")), "chain.stan");
      outcome = "compiled";
    } catch (e) {
      outcome = e;
    }
    expect(outcome).toBeInstanceOf(CompileError);
    expect((outcome as CompileError).diagnostic.message).toMatch(/^The program is nested too deeply to (parse|compile)\.$/);
  });
});
