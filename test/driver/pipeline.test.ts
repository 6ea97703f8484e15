/**
 * The compiler pipeline (src/driver/compile.ts): its passes in order, and `stan2ts compile
 * --dump-after=PASS`, which prints what each pass produced and writes nothing.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/driver/cli";
import { PASS_NAMES, PIPELINE } from "../../src/driver/compile";
import { GENERATED_HEADER } from "../../src/codegen/emitModule";
import { parseStan } from "../../src/parse/parseStan";

const GOOD = fileURLToPath(new URL("../../fixtures/stan/good/", import.meta.url));
/** Small, and its normal likelihood is rewritten by the sufficient-statistics pass. */
const FIXTURE = GOOD + "linear_regression.stan";

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void (out += a.join(" ") + "\n"));
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void (err += a.join(" ") + "\n"));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const EXPECTED_ORDER = [
  "parse",
  "typecheck",
  "sufficient-statistics",
  "lower",
  "structure-continue",
  "fuse-loops",
  "log-of-exp",
  "hoist-reciprocals",
  "hoist-data-calls",
  "drop-repeated-comments",
  "const-transformed-data",
  "differentiate",
  "fold-literals",
  "hoist-invariant-calls",
  "share-pure-calls",
  "emit",
  "format",
  "bundle",
];

describe("the pass list", () => {
  it("runs the passes in the documented order", () => {
    expect(PASS_NAMES).toEqual(EXPECTED_ORDER);
  });

  it("--dump-after=list prints them in that order, one line each with what the pass does", async () => {
    const r = await run(["compile", "--dump-after=list"]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines).toHaveLength(EXPECTED_ORDER.length);
    lines.forEach((line, i) => {
      const [, index, name, summary] = /^\s*(\d+)\. (\S+)\s+(.+)$/.exec(line) ?? [];
      expect([Number(index), name]).toEqual([i + 1, EXPECTED_ORDER[i]]);
      expect(summary.length).toBeGreaterThan(20);
    });
  });
});

describe("compile --dump-after=PASS", () => {
  const outDir = join(mkdtempSync(join(tmpdir(), "stan2ts-dump-")), "out");
  const dumps = new Map<string, string>();

  beforeAll(async () => {
    for (const name of EXPECTED_ORDER) {
      // both spellings of the flag
      const args = name.length % 2 === 0 ? [`--dump-after=${name}`] : ["--dump-after", name];
      const r = await run(["compile", FIXTURE, "-o", outDir, ...args]);
      expect(r.code, `${name}: ${r.err}`).toBe(0);
      dumps.set(name, r.out);
    }
  }, 120_000);

  it("writes no files", () => {
    expect(existsSync(outDir)).toBe(false);
  });

  it("prints Stan after the AST passes, and the rewrite shows after sufficient-statistics", () => {
    for (const name of PIPELINE.filter((p) => p.prints === "Stan").map((p) => p.name)) {
      const text = dumps.get(name) ?? "";
      expect(text, name).toMatch(/^data \{/m);
      expect(() => parseStan(text, `${name}.stan`), name).not.toThrow();
    }
    expect(dumps.get("typecheck")).not.toContain("ss1_");
    expect(dumps.get("sufficient-statistics")).toContain("ss1_");
  });

  it("prints the IR after lower and each IR pass, with declarations, statements and Stan lines", () => {
    const irPasses = PIPELINE.filter((p) => p.prints === "IR").map((p) => p.name);
    expect(irPasses[0]).toBe("lower");
    expect(irPasses).toHaveLength(8);
    for (const name of irPasses) {
      const text = dumps.get(name) ?? "";
      expect(text, name).toMatch(/^\/\/ IR of linear_regression/);
      for (const block of ["data {", "parameters {", "model {", "variables {"]) expect(text, name).toContain(`\n${block}\n`);
      expect(text, name).toMatch(/\n {2}vector\[N\] y: Float64Array\(N\), data;/);
      expect(text, name).toMatch(/\n\s+for \(\w+ in \S+:[^)]+\) \{ {2}\/\/ \d+/);
      expect(text, name).toMatch(/target \+= .+; {2}\/\/ \d+/);
    }
    // the passes are visible: a reciprocal appears, repeated Stan-line comments go
    expect(dumps.get("log-of-exp")).not.toMatch(/\binv_\w+__/);
    expect(dumps.get("hoist-reciprocals")).toMatch(/\binv_\w+__/);
    const comments = (name: string) => (dumps.get(name) ?? "").split("\n").filter((l) => /^\s*\/\/ \d+/.test(l)).length;
    expect(comments("drop-repeated-comments")).toBeLessThan(comments("hoist-data-calls"));
  });

  it("prints the sweep IR after differentiate: each function's code, the forward and adjoint sweeps apart, before the module is assembled", () => {
    const sweeps = dumps.get("differentiate") ?? "";
    const headings = sweeps.split("\n").filter((l) => l.startsWith("// ==== "));
    expect(headings).toEqual([
      "// ==== transformed data",
      "// ==== logDensity",
      "// ==== logDensityGradientInto: forward sweep",
      "// ==== logDensityGradientInto: adjoint sweep",
      "// ==== writeConstrained: parameters",
      "// ==== writeConstrained: transformed parameters and generated quantities",
      "// ==== unconstrain: alpha",
      "// ==== unconstrain: beta",
      "// ==== unconstrain: sigma",
    ]);
    const adjoint = sweeps.slice(sweeps.indexOf("// ==== logDensityGradientInto: adjoint sweep"), sweeps.indexOf("// ==== writeConstrained"));
    expect(adjoint).toMatch(/\/\/ adjoint of linear_regression\.stan:\d+ {2}y ~ normal/);
    expect(adjoint).toMatch(/_adj__ \+= /);
    // the module around the sweeps is code generation's: not in this dump
    expect(sweeps).not.toContain("export const model");
    // the sweep-IR passes after it print the same functions
    for (const pass of ["fold-literals", "hoist-invariant-calls", "share-pure-calls"]) {
      expect((dumps.get(pass) ?? "").split("\n").filter((l) => l.startsWith("// ==== ")), pass).toEqual(headings);
    }
    expect(sweeps).not.toContain(GENERATED_HEADER);
  });

  it("prints the module text before formatting after emit, and the formatted module after format", () => {
    const emitted = dumps.get("emit") ?? "";
    const formatted = dumps.get("format") ?? "";
    expect(emitted.startsWith(GENERATED_HEADER)).toBe(true);
    expect(formatted.startsWith(GENERATED_HEADER)).toBe(true);
    expect(formatted).toContain("export const model");
    expect(formatted).not.toBe(emitted);
  });

  it("prints the bundle after bundle", () => {
    const bundled = dumps.get("bundle") ?? "";
    expect(bundled).toMatch(/^\/\/ stan2ts model bundle/);
    expect(bundled).toMatch(/export \{[^}]*as default/);
  });

  it("the formatted dump is the module `compile` writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stan2ts-compile-"));
    const r = await run(["compile", FIXTURE, "-o", dir]);
    expect(r.code).toBe(0);
    const dumped = await run(["compile", FIXTURE, "-o", dir, "--dump-after=format"]);
    expect(dumped.out).toBe(readFileSync(join(dir, "linear_regression.ts"), "utf8"));
  });

  it("an unknown pass exits 1, naming the closest pass and listing them all", async () => {
    const r = await run(["compile", FIXTURE, "--dump-after=fuse-loop"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("there is no pass 'fuse-loop'. Did you mean 'fuse-loops'?");
    for (const name of EXPECTED_ORDER) expect(r.err).toContain(name);
  });

  it("--dump-after without a pass name is a usage error", async () => {
    const r = await run(["compile", FIXTURE, "--dump-after"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--dump-after needs a pass name");
  });

  it("a program with an error stops at the pass that finds it, with the located message", async () => {
    const r = await run(["compile", GOOD + "../bad/sem_assign_data.stan", "--dump-after=lower"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Semantic error in .*sem_assign_data\.stan., line 5, column 3/);
  });
});
