import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/driver/cli";
import { parseStan } from "../../src/parse/parseStan";

const GOOD = fileURLToPath(new URL("../../fixtures/stan/good/", import.meta.url));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...a: unknown[]) => void (out += a.join(" ") + "\n"));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((...a: unknown[]) => void (err += a.join(" ") + "\n"));
  const write = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

function tempStan(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "stan2ts-")), "model.stan");
  writeFileSync(file, text);
  return file;
}

afterEach(() => vi.restoreAllMocks());

describe("stan2ts check", () => {
  it("summarises a valid program and exits 0", async () => {
    const r = await run(["check", GOOD + "eight_schools_noncentered.stan"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("eight_schools_noncentered.stan: OK");
    expect(r.out).toMatch(/blocks: data, parameters, transformed parameters, model/);
    expect(r.out).toMatch(/\n {2}tau +real<lower=0>\n/);
  });

  it("prints the located error and exits 1", async () => {
    const file = tempStan("parameters {\n  real mu;\n}\nmodel {\n  mu ~ normal(0, sigma);\n}\n");
    const r = await run(["check", file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`Semantic error in '${file}', line 5, column 18 to column 23:`);
    expect(r.err).toContain("   5:    mu ~ normal(0, sigma);\n" + " ".repeat(24) + "^\n");
    expect(r.err).toContain("Identifier 'sigma' not in scope.");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("refuses a missing file with a usage error", async () => {
    const r = await run(["check", "/nonexistent/x.stan"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("cannot read '/nonexistent/x.stan': no such file.");
  });
});

describe("stan2ts format", () => {
  it("prints canonical Stan that re-parses without warnings", async () => {
    const file = tempStan(
      "data { int N; real y[N]; }\nparameters { real mu; }\nmodel { y ~ normal(mu, 1); }\n",
    );
    const r = await run(["format", file]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      "data {\n  int N;\n  array[N] real y;\n}\nparameters {\n  real mu;\n}\nmodel {\n  y ~ normal(mu, 1);\n}\n",
    );
    expect(r.err).toContain("deprecated");
    expect(parseStan(r.out, "again.stan").warnings).toEqual([]);
  });

  it("exits 1 on a syntax error", async () => {
    const r = await run(["format", tempStan("model { x = ; }")]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Expected an expression but found ';'.");
  });
});
