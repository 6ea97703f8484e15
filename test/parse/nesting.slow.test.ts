/**
 * Every construct that nests, nested to `MAX_NESTING_DEPTH`, compiles: the passes after parsing
 * run on Node's default stack and must survive the deepest program the parser accepts (issue #17
 * item 4). Slow tier: eight compiles of deep programs (the fast checks are in nesting.test.ts).
 */
import { describe, expect, it } from "vitest";
import { compileStan } from "../../src/driver/compile";
import { MAX_NESTING_DEPTH } from "../../src/parse/parseStan";

const model = (body: string) => `parameters {\n  real<lower=0> x;\n}\nmodel {\n${body}\n  x ~ exponential(1);\n}\n`;

/** One nesting shape per construct that recurses in the parser and the later passes, `d` levels deep inside `model { }`. */
const SHAPES: Record<string, (d: number) => string> = {
  calls: (d) => model(`  target += ${"log1p(".repeat(d)}x${")".repeat(d)};`),
  indices: (d) =>
    `data {\n  array[3] int<lower=1, upper=3> k;\n}\nparameters {\n  vector[3] v;\n}\nmodel {\n  v ~ normal(0, 1);\n  target += v[${"k[".repeat(d - 1)}1${"]".repeat(d - 1)}];\n}\n`,
  parentheses: (d) => model(`  target += ${"(".repeat(d)}x${" + 1)".repeat(d)};`),
  arrays: (d) => model(`  array[${Array(d).fill("1").join(", ")}] real a = ${"{".repeat(d)}x${"}".repeat(d)};\n  target += -x;`),
  blocks: (d) => model(`${"{\n".repeat(d)}  target += -x;\n${"}\n".repeat(d)}`),
  whiles: (d) => model(`  int i = 0;\n${"while (i < 1) {\n".repeat(d)}  i += 1;\n${"}\n".repeat(d)}  target += -x;`),
  ifs: (d) => model(`${"if (x > 0) {\n".repeat(d)}  target += -x;\n${"}\n".repeat(d)}`),
  fors: (d) => model(`${Array.from({ length: d }, (_, k) => `for (i${k} in 1:1) {\n`).join("")}  target += -x;\n${"}\n".repeat(d)}`),
};

describe("every nesting shape at the limit", () => {
  for (const [shape, program] of Object.entries(SHAPES)) {
    it(`${shape} nested to the limit compile`, async () => {
      // `model {` is one level
      const compiled = await compileStan(program(MAX_NESTING_DEPTH - 1), `${shape}.stan`);
      expect(compiled.code).toContain("logDensity");
    });
  }
});
