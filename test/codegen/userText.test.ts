/**
 * User text that reaches the generated module stays inert (issue #15, item 1): Stan source in
 * comments and file names, whatever line terminators or comment ends they hold, and numeric
 * literals, which are re-printed from their value.
 */
import { afterEach, describe, expect, it } from "vitest";
import { compileStan } from "../../src/driver/compile";
import { jsCommentText, jsRealLiteral } from "../../src/ir/names";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import { loadCompiled } from "../models/gradientCheck";

/** Every JavaScript line terminator, and the pairs a file may hold. */
const TERMINATORS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\n\r"];

const MARKER = "stan2tsInjected";
const injected = () => (globalThis as Record<string, unknown>)[MARKER];

afterEach(() => {
  delete (globalThis as Record<string, unknown>)[MARKER];
});

/** Loads the module, evaluates everything it defines and draws a few times: nothing may set the marker. */
async function runEverything(source: string, file: string): Promise<void> {
  const model = await loadCompiled(source, file);
  const instance = model.create({ y: 1 });
  const theta = new Float64Array(instance.dim).fill(0.3);
  expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
  instance.logDensityGradient(theta, new Float64Array(instance.dim));
  sampleInProcess(instance, { chains: 1, warmup: 3, samples: 3, seed: 5 });
}

describe("comments carrying Stan source", () => {
  for (const t of TERMINATORS) {
    const shown = JSON.stringify(t);
    it(`a ${shown} inside a block comment of a statement stays in the comment`, async () => {
      // comments inside a statement and after it on its line: the generated comment quotes both
      const source = `data { real y /* ${t}globalThis.${MARKER} = 6; */; }\nparameters { real mu; }\nmodel {\n  mu ~ normal(0, /* end${t}globalThis.${MARKER} = 7; // */ 1); /* b${t}globalThis.${MARKER} = 8; */\n  target += -0.5 * mu /* *${t}/ globalThis.${MARKER} = 8; /* */ * mu;\n}\ngenerated quantities {\n  real g = mu; /* ${t} globalThis.${MARKER} = 9; */\n}\n`;
      const { code } = await compileStan(source, "comments.stan");
      // each generated comment is one line: the injected statement never starts a line of code
      for (const line of code.split(/\r\n|[\n\r\u2028\u2029]/)) expect(line.trimStart().startsWith("globalThis")).toBe(false);
      await runEverything(source, "comments.stan");
      expect(injected()).toBeUndefined();
    });
  }

  it("`*/` in the source cannot close a block comment of the module", () => {
    expect(jsCommentText("a */ b")).toBe("a * / b");
    expect(jsCommentText("a\r\nb\u2028c\u2029d\re")).toBe("a b c d e");
    expect(jsCommentText("x **/ y */*/")).not.toContain("*/");
  });
});

describe("file names", () => {
  // comments quote a file's base name (after the last / or \\), so a hostile name has no slash
  const hostileFiles = [
    ...TERMINATORS.map((t) => `model${t}globalThis.${MARKER} = 1; x.stan`),
    `dir/model${"\u2028"}globalThis.${MARKER} = 3; x.stan`,
  ];
  for (const file of hostileFiles) {
    it(`the file name ${JSON.stringify(file)} stays in comments and strings`, async () => {
      const source = "data { real y; }\nparameters { real mu; }\nmodel {\n  mu ~ normal(0, 1);\n}\n";
      const { code } = await compileStan(source, file);
      for (const line of code.split(/\r\n|[\n\r\u2028\u2029]/)) expect(line.trimStart().startsWith("globalThis")).toBe(false);
      const model = await loadCompiled(source, file);
      const instance = model.create({ y: 1 });
      expect(Number.isFinite(instance.logDensity(new Float64Array([0.1])))).toBe(true);
      expect(injected()).toBeUndefined();
    });
  }
});

describe("numeric literals", () => {
  it("leading zeros, underscores and huge exponents compile to their values", async () => {
    const source = `parameters { real mu; }
model {
  mu ~ normal(010, 1);
}
generated quantities {
  int a = 010;
  int b = 08;
  int c = 0009 + 1_000;
  real d = 00000.0;
  real e = 0010.50;
  real f = .5;
  real g = 1e999;
  real h = 08e1;
  real i = 1_0.2_5;
}
`;
    const model = await loadCompiled(source, "literals.stan");
    const instance = model.create({});
    const fit = sampleInProcess(instance, { chains: 1, warmup: 20, samples: 5, seed: 3 });
    const row = fit.chains[0].rows[0];
    const value = (name: string) => row[fit.columnNames.indexOf(name)];
    expect([value("a"), value("b"), value("c"), value("d"), value("e"), value("f"), value("g"), value("h"), value("i")]).toEqual([
      10, 8, 1009, 0, 10.5, 0.5, Infinity, 80, 10.25,
    ]);
    // the location is 10, not octal 8: the draws of mu sit near 10
    expect(Math.abs(value("mu") - 10)).toBeLessThan(5);
  });

  it("a real literal JavaScript reads as written keeps its text; others are re-printed", () => {
    expect(jsRealLiteral("0.2")).toBe("0.2");
    expect(jsRealLiteral("2.0")).toBe("2.0");
    expect(jsRealLiteral("1e-3")).toBe("1e-3");
    expect(jsRealLiteral("00000.0")).toBe("0");
    expect(jsRealLiteral("0010.50")).toBe("10.5");
    expect(jsRealLiteral("1e999")).toBe("Infinity");
  });
});
