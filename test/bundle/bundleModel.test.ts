import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { bundleModel } from "../../src/bundle/index";
import type { SampleableModel } from "../../src/runtime/api";
import { m1Subsample, ROOT, tempDir } from "./helpers";

let bundlePath: string;
let model: SampleableModel;
const data = m1Subsample(4);
const small = { chains: 2, warmup: 120, samples: 80, seed: 14 };

beforeAll(async () => {
  bundlePath = join(tempDir("bundle"), "m1.js");
  await bundleModel(join(ROOT, "generated/m1.ts"), bundlePath);
  ({ model } = (await import(pathToFileURL(bundlePath).href)) as { model: SampleableModel });
}, 60_000);

describe("model bundle", () => {
  it("is one self-contained ESM file: no static imports at all, Node built-ins only behind a Node check", () => {
    const text = readFileSync(bundlePath, "utf8");
    expect(text).not.toMatch(/^\s*import\s[^(]/m);
    expect(text).not.toMatch(/\brequire\(/);
    const dynamic = [...text.matchAll(/await import\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(dynamic.length).toBeGreaterThan(0);
    for (const specifier of dynamic) expect(specifier).toMatch(/^node:/);
    expect(text).toContain("export {");
  });

  it("exports a CompiledModel that also samples itself", () => {
    expect(model.name).toBe("m1");
    expect(model.stanCode).toContain("normal_id_glm_lpdf");
    const instance = model.create(data);
    expect(instance.dim).toBe(1 + 1 + 1 + 2 + 2 * 4 + 1);
  });

  it("samples on 2 worker threads; same seed gives identical draws with cores 1 and 2", async () => {
    const two = await model.sample(data, { ...small, cores: 2 });
    const one = await model.sample(data, { ...small, cores: 1 });
    expect(two.drawsPerChain).toEqual([80, 80]);
    expect(Array.from(one.draws("b[1]"))).toEqual(Array.from(two.draws("b[1]")));
    expect(Array.from(one.draws("lp__"))).toEqual(Array.from(two.draws("lp__")));
    // whole variable, draw-major
    expect(two.draws("sd_1").length).toBe(2 * 160);

    const summary = two.summary();
    const lines = summary.split("\n");
    expect(lines[0]).toBe("Inference for Stan model: m1");
    expect(lines[1]).toBe("2 chains: each with iter=80; warmup=120; thin=1; 160 iterations saved.");
    expect(summary).toMatch(/^\s+Mean\s+MCSE\s+StdDev\s+MAD\s+5%\s+50%\s+95%\s+ESS_bulk\s+ESS_tail\s+R_hat$/m);
    for (const row of ["lp__", "b[1]", "Intercept", "sigma", "sd_1[2]", "L_1[2,1]", "b_Intercept", "cor_1[1]"]) {
      expect(summary).toMatch(new RegExp(`^${row.replace(/[[\]]/g, "\\$&")}\\s`, "m"));
    }

    const table = two.summaryTable();
    const sigma = table.find((r) => r.name === "sigma")!;
    expect(sigma.column).toBe("sigma");
    expect(sigma.q2_5).toBeLessThan(sigma.mean);
    expect(sigma.mean).toBeLessThan(sigma.q97_5);
    expect(sigma.essBulk).toBeGreaterThan(0);

    const diagnostics = two.diagnostics();
    expect(diagnostics.transitions).toBe(160);
    expect(diagnostics.ebfmi).toHaveLength(2);
    expect(diagnostics.maxRhat).toBeGreaterThan(0.9);

    const json = JSON.parse(JSON.stringify(two)) as { chains: { draws: number[][] }[]; columns: string[]; seed: number };
    expect(json.seed).toBe(14);
    expect(json.chains[0].draws).toHaveLength(80);
    expect(json.chains[0].draws[0]).toHaveLength(json.columns.length);
  }, 60_000);

  it("reports bad data naming the field before any worker starts", async () => {
    await expect(model.sample({ ...data, N: 3 }, small)).rejects.toThrow(/Y/);
  });
});
