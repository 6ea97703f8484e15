import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildFromScriptFile, stanDataToJson } from "../../src/brms/index";
import { main } from "../../src/driver/cli";
import { brm, buildFrom, errorOf, smallCsv } from "./helpers";

describe("model frame", () => {
  it("drops rows with a missing value in a used column, with brms's warning", () => {
    const csv = "g,y,x,unused\n1,0.5,1,\n1,NA,2,3\n2,0.1,,4\n2,0.3,4,5\n3,0.2,5,\n";
    const { model, standata } = buildFrom(brm("y ~ x + (1 | g)"), csv);
    expect(model.rows.length).toBe(3);
    expect(model.warnings.warnings[0].message).toBe("Rows containing NAs were excluded from the model.");
    expect(model.warnings.warnings[0].notes?.[0]).toBe("2 of 5 rows dropped; the first is row 2 (missing 'y').");
    expect((standata.get("N") as { value: number }).value).toBe(3);
  });

  it("names missing and non-numeric columns", () => {
    expect(errorOf(brm("y ~ q + (1 | record_id)"))).toMatch(/Data error in 'model.R', line 3, column 16:[\s\S]*The variable 'q' is not a column of the data/);
    expect(errorOf(brm("name ~ x"))).toMatch(/Column 'name' must be numeric, but row 1 holds 'p 0'/);
    expect(errorOf(brm("y | trials(name) ~ x", "").replace("gaussian", "binomial"))).toMatch(/Column 'name' must be numeric[\s\S]*not responses or trials/);
  });

  it("orders numeric levels numerically and text levels as R does under en_US", () => {
    const { model, standata, outputNames } = buildFrom(brm("y ~ x + (1 | record_id) + (1 | name)"));
    expect(model.ids[0].levels).toEqual(["1", "3", "7", "8", "10", "12", "25", "40"]);
    const J1 = standata.get("J_1");
    if (J1?.kind !== "int[]") throw new Error("J_1");
    expect(Array.from(J1.value.slice(0, 7))).toEqual([2, 2, 2, 2, 2, 2, 5]); // ids 3 (x6), then 10
    expect(model.ids[1].levels).toEqual(["p 0", "p 1", "p 2"]);
    expect(outputNames.map((n) => n.brms)).toContain("r_name[p.0,Intercept]");
    expect(outputNames.find((n) => n.brms === "r_record_id[40,Intercept]")?.stan).toBe("r_1_1.8");
  });

  it("evaluates mutate() arithmetic and reports bad expressions", () => {
    const script = (expr: string) => `d <- read_csv("x.csv")\nd <- d %>% mutate(t = ${expr})\nfit <- brm(y ~ t, data = d)\n`;
    const { standata } = buildFrom(script("(day - 2) / max((day - 2)) + log(exp(1)) * 0 + mean(x) - mean(x) + sd(x)^0 - 1"));
    const X = standata.get("X");
    if (X?.kind !== "matrix") throw new Error("X");
    expect(X.value[1]).toBe(0);
    expect(X.value[3]).toBeCloseTo(0.2, 12);
    expect(errorOf(script("dya - 2"))).toMatch(/line 2, column 23 to column 26:[\s\S]*The data have no column 'dya'/);
    expect(errorOf(script("cumsum(day)"))).toMatch(/'cumsum\(day\)' is not supported in mutate\(\)/);
  });

  it("writes CmdStan JSON with ints as ints and matrices as rows", () => {
    const { standata } = buildFrom(brm("y ~ x + (1 | record_id)"));
    const json = stanDataToJson(standata);
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(parsed.N).toBe(48);
    expect(json).toContain('"N": 48,');
    expect((parsed.X as number[][])[0]).toHaveLength(2);
    expect((parsed.J_1 as number[]).every(Number.isInteger)).toBe(true);
    expect(parsed.prior_only).toBe(0);
  });
});

describe("reading data from the script", () => {
  let url = "";
  const server = createServer((req, res) => {
    if (req.url === "/d.csv") {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end(smallCsv());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("fetches http(s) URLs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brms-url-"));
    writeFileSync(join(dir, "m.R"), `d <- read_csv("${url}/d.csv")\nfit <- brm(y ~ x, data = d)\n`);
    expect((await buildFromScriptFile(join(dir, "m.R"))).model.rows.length).toBe(48);
    writeFileSync(join(dir, "bad.R"), `d <- read_csv("${url}/missing.csv")\nfit <- brm(y ~ x, data = d)\n`);
    await expect(buildFromScriptFile(join(dir, "bad.R"))).rejects.toThrow(/HTTP 404/);
  });

  it("resolves relative paths against the script's folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brms-rel-"));
    writeFileSync(join(dir, "small.csv"), smallCsv());
    writeFileSync(join(dir, "m.R"), `d <- read_csv("small.csv")\nfit <- brm(y ~ x, data = d)\n`);
    expect((await buildFromScriptFile(join(dir, "m.R"))).model.rows.length).toBe(48);
    writeFileSync(join(dir, "m2.R"), `d <- read_csv("nope.csv")\nfit <- brm(y ~ x, data = d)\n`);
    await expect(buildFromScriptFile(join(dir, "m2.R"))).rejects.toThrow(/Could not read the data file '.*nope.csv': ENOENT/);
  });
});

describe("CLI", () => {
  it("stancode prints the program; errors are rendered with the script line, exit 1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "brms-cli-"));
    writeFileSync(join(dir, "small.csv"), smallCsv());
    writeFileSync(join(dir, "ok.R"), `d <- read_csv("small.csv")\nfit <- brm(y ~ x, data = d, file = "m")\n`);
    writeFileSync(join(dir, "bad.R"), `d <- read_csv("small.csv")\nfit <- brm(y ~ x + (1 | g h), data = d)\n`);
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(console, "error").mockImplementation((...args) => void err.push(args.join(" ")));
    try {
      expect(await main(["stancode", join(dir, "ok.R")])).toBe(0);
      // brms 2.18's make_stancode(y ~ x, data = d) has this line (no mu vector without group terms).
      expect(out.join("")).toContain("target += normal_id_glm_lpdf(Y | Xc, Intercept, b, sigma);");
      expect(err.join("\n")).toContain("Note: brm(file = ...) does not change the model or the draws; stan2ts ignores it.");
      expect(await main(["standata", join(dir, "ok.R")])).toBe(0);
      expect(await main(["stancode", join(dir, "bad.R")])).toBe(1);
      expect(err.join("\n")).toMatch(/Syntax error in '.*bad.R', line 2, column 27:[\s\S]*2:  fit <- brm[\s\S]*Unexpected 'h' in the R script.\n  Expecting '\)' but found 'h'/);
      expect(await main(["standata"])).toBe(2);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
