import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseStan } from "../../src/parse/parseStan";
import { printExpr, printProgram } from "../../src/ast/printer";
import type { Expr } from "../../src/ast/ast";
import { withoutSpans } from "../parse/astShape";

const GOOD = fileURLToPath(new URL("../../fixtures/stan/good/", import.meta.url));
const span = {
  file: "t",
  start: { line: 0, column: 0, offset: 0 },
  end: { line: 0, column: 0, offset: 0 },
};
const v = (name: string): Expr => ({ kind: "Variable", meta: { span }, name });
const bin = (op: "+" | "*" | "-" | "^", left: Expr, right: Expr): Expr => ({
  kind: "BinaryOp",
  meta: { span },
  op,
  left,
  right,
});

describe("printProgram round trip", () => {
  for (const f of readdirSync(GOOD).filter((n) => n.endsWith(".stan"))) {
    it(`${f}: parse(print(parse(x))) equals parse(x)`, () => {
      const first = parseStan(readFileSync(GOOD + f, "utf8"), f).program;
      const printed = printProgram(first);
      const second = parseStan(printed, f);
      expect(withoutSpans(second.program)).toEqual(withoutSpans(first));
      expect(second.warnings.filter((w) => w.message.includes("deprecated"))).toEqual([]);
      // printing is a fixed point
      expect(printProgram(second.program)).toBe(printed);
    });
  }
});

describe("printer output", () => {
  it("rewrites legacy arrays and canonicalises layout", () => {
    const src =
      'data{int<lower=1>J[N];vector[K] y[N,2];}\nparameters{real<lower=0,upper=1> p;}\nmodel{for(i in 1:N)y[i]~normal(0,1) T[,2];if(p>0){p~beta(1,1);}else if(p<0)print("neg",p);}';
    expect(printProgram(parseStan(src, "x.stan").program)).toBe(
      [
        "data {",
        "  array[N] int<lower=1> J;",
        "  array[N, 2] vector[K] y;",
        "}",
        "parameters {",
        "  real<lower=0, upper=1> p;",
        "}",
        "model {",
        "  for (i in 1:N)",
        "    y[i] ~ normal(0, 1) T[, 2];",
        "  if (p > 0) {",
        "    p ~ beta(1, 1);",
        "  } else if (p < 0)",
        '    print("neg", p);',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("prints functions, conditional calls and empty blocks", () => {
    const src =
      "functions { real f_lpdf(real y, data array[] real mu) { return normal_lpdf(y| mu[1], 1); } void g(); }\nmodel { }";
    expect(printProgram(parseStan(src, "x.stan").program)).toBe(
      [
        "functions {",
        "  real f_lpdf(real y, data array[] real mu) {",
        "    return normal_lpdf(y | mu[1], 1);",
        "  }",
        "  void g();",
        "}",
        "model {",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("adds parentheses a tree without Paren nodes needs", () => {
    expect(printExpr(bin("*", bin("+", v("a"), v("b")), v("c")))).toBe("(a + b) * c");
    expect(printExpr(bin("-", v("a"), bin("-", v("b"), v("c"))))).toBe("a - (b - c)");
    expect(printExpr(bin("^", bin("^", v("a"), v("b")), v("c")))).toBe("(a ^ b) ^ c");
    expect(
      printExpr({ kind: "PrefixOp", meta: { span }, op: "-", operand: bin("+", v("a"), v("b")) }),
    ).toBe("-(a + b)");
    expect(
      printExpr({ kind: "Transpose", meta: { span }, operand: bin("*", v("a"), v("b")) }),
    ).toBe("(a * b)'");
  });

  it("keeps parentheses as written", () => {
    const { program } = parseStan("model { x = (a + b) * ((c)); }", "x.stan");
    expect(printProgram(program)).toContain("x = (a + b) * ((c));");
  });
});
