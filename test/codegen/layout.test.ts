/** The generated module's own layout (src/codegen/layout.ts) and linear-size code for nested calls. */
import { describe, expect, it } from "vitest";
import { layoutModule, layoutWork } from "../../src/codegen/layout";
import { compileStan } from "../../src/driver/compile";
import { nestedCallsProgram } from "../../bench/compilePrograms";
import { loadCompiled } from "../models/gradientCheck";

describe("layoutModule", () => {
  it("indents by bracket depth and puts each statement of a one-line block on its own line", () => {
    const text = ["function f(x: number): number {", "for (let i = 0; i < 3; i++) {", "if (!(x > 0)) { loc__ = 1; throw new Error(\"a; {b}\"); }", "x += i;", "}", "return x;", "}", ""].join("\n");
    expect(layoutModule(text)).toBe(
      [
        "function f(x: number): number {",
        "  for (let i = 0; i < 3; i++) {",
        "    if (!(x > 0)) {",
        "      loc__ = 1;",
        '      throw new Error("a; {b}");',
        "    }",
        "    x += i;",
        "  }",
        "  return x;",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("lays out a line nested 300 calls deep scanning it once, one call a level", () => {
    const depth = 300;
    const line = `y = ${"f(1, ".repeat(depth)}x${")".repeat(depth)};`;
    const before = layoutWork.scannedChars;
    const out = layoutModule(`{\n${line}\n}\n`).split("\n");
    // scanned once by the breaking, once more by one-line-block expansion (each level re-scanned cost depth / 2 times the line)
    expect(layoutWork.scannedChars - before).toBeLessThanOrEqual(2 * line.length + 10);
    // `y = f(` then per level `1,` and the next `f(` one deeper, the innermost `x,`, the closers
    expect(out[1]).toBe("  y = f(");
    expect(out[2]).toBe("    1,");
    expect(out[3]).toBe("    f(");
    expect(out[4]).toBe("      1,");
    expect(out).toContain(`${"  ".repeat(depth + 1)}x,`);
    expect(out.filter((l) => l.trim() === "),").length).toBe(depth - 1);
    expect(out.filter((l) => l.trim() === ");").length).toBe(1);
  });

  it("breaks a long call one argument a line with trailing commas, and a braceless if's statement onto the next line", () => {
    const message = `message__(${Array.from({ length: 6 }, (_, i) => `"part number ${i} of a long message"`).join(", ")})`;
    const out = layoutModule(`{\nif (!(x >= 0)) throw new StanDomainError(${message});\n}\n`).split("\n");
    expect(out.slice(0, 5)).toEqual([
      "{",
      "  if (!(x >= 0))",
      "    throw new StanDomainError(",
      "      message__(",
      '        "part number 0 of a long message",',
    ]);
    expect(out.slice(-5)).toEqual(['        "part number 5 of a long message",', "      ),", "    );", "}", ""]);
    expect(out.every((l) => l.length <= 120)).toBe(true);
  });

  it("keeps block comments and strings with brackets intact", () => {
    const text = '/**\n * a ( b\n */\nconst s = "}{)(";\nconst t = [1, 2];\n';
    expect(layoutModule(text)).toBe('/**\n * a ( b\n */\nconst s = "}{)(";\nconst t = [1, 2];\n');
  });
});

describe("nested calls", () => {
  it("emit code whose size grows linearly with the nesting depth", async () => {
    const size = async (depth: number) => (await compileStan(nestedCallsProgram(depth), "nested.stan")).code.length;
    const [s20, s40, s80] = [await size(20), await size(40), await size(80)];
    // equal steps in depth add equal amounts of text (a quadratic blow-up would double the step)
    const step1 = (s40 - s20) / 20;
    const step2 = (s80 - s40) / 40;
    expect(step2).toBeLessThan(step1 * 1.2);
    expect(step2).toBeLessThan(400);
  });

  it("differentiate correctly", async () => {
    const model = await loadCompiled(nestedCallsProgram(30), "nested.stan");
    const inst = model.create({});
    const theta = new Float64Array([0.3]);
    const grad = new Float64Array(1);
    const lp = inst.logDensityGradient(theta, grad);
    const h = 1e-6;
    const fd = (inst.logDensity(new Float64Array([0.3 + h])) - inst.logDensity(new Float64Array([0.3 - h]))) / (2 * h);
    expect(Number.isFinite(lp)).toBe(true);
    expect(grad[0]).toBeCloseTo(fd, 6);
  });
});
