/** `stan2ts summary`: a finished run's table from its CSV files, its options, and its errors. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseSummaryArgs } from "../../src/driver/commands/summary";
import { runCli } from "../views/runCli";
import { writeSyntheticFit } from "../views/syntheticFit";

const RUN = join(__dirname, "..", "runtime", "io", "data", "summary");
const chainFile = (k: number) => join(RUN, `eight_schools_centered_${k}.csv`);
const scratch = mkdtempSync(join(tmpdir(), "stan2ts-summary-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const row = (table: string, name: string) =>
  table.split("\n").find((line) => line.startsWith(`${name} `))?.trim().split(/\s+/);

describe("stan2ts summary", () => {
  it("summarises an output directory, and the same files named one by one", async () => {
    const fromDir = await runCli("summary", RUN);
    expect(fromDir.status).toBe(0);
    expect(fromDir.stdout).toMatch(/^Inference for Stan model: eight_schools_centered_model\n4 chains: each with iter=200; warmup=200; thin=1; 800 iterations saved\./);
    expect(row(fromDir.stdout, "theta[2]")).toEqual(["theta[2]", "5.20", "0.233", "4.86", "3.78", "-1.96", "5.09", "13.3", "339", "376", "1.013"]);
    expect(row(fromDir.stdout, "stepsize__")).toEqual(["stepsize__", "0.229", "0.0413", "0.0257", "0.190", "0.214", "0.297"]);
    const fromFiles = await runCli("summary", ...[1, 2, 3, 4].map(chainFile));
    expect(fromFiles.stdout).toBe(fromDir.stdout);
  });

  it("takes --sig-figs, --percentiles (either spelling, = or a space) and writes --csv-file", async () => {
    const csvFile = join(scratch, "summary.csv");
    const r = await runCli("summary", RUN, "--sig-figs=2", "-p", "2.5,97.5", "--csv-file", csvFile);
    expect(r.status).toBe(0);
    expect(row(r.stdout, "theta[2]")).toEqual(["theta[2]", "5.2", "0.23", "4.9", "3.8", "-4.5", "15", "339", "376", "1.013"]);
    const csv = readFileSync(csvFile, "utf8").trim().split("\n");
    expect(csv[0]).toBe('"name","Mean","MCSE","StdDev","MAD","2.5%","97.5%","ESS_bulk","ESS_tail","R_hat"');
    const theta2 = csv.find((line) => line.startsWith('"theta[2]"'))!.split(",");
    expect(Number(theta2[1])).toBeCloseTo(5.2033478291249997, 12);
    expect(Number(theta2[9])).toBeCloseTo(1.0133819964960924, 12);
    expect(csv.find((line) => line.startsWith('"stepsize__"'))).toMatch(/,,,$/);
    expect(parseSummaryArgs(["d", "--sig_figs", "4", "--csv_filename=x.csv"])).toEqual({ inputs: ["d"], sigFigs: 4, percentiles: undefined, csvFile: "x.csv" });
  });

  it("names a brms run's variables as brms does", async () => {
    const dir = join(scratch, "brms");
    writeSyntheticFit(dir, { brms: true });
    const r = await runCli("summary", dir);
    expect(r.status).toBe(0);
    const names = r.stdout.split("\n").map((line) => line.split(" ")[0]);
    for (const name of ["b_day01", "sd_record_id__Intercept", "r_record_id[3,Intercept]", "cor_record_id__Intercept__sigma_Intercept", "lp__"]) {
      expect(names).toContain(name);
    }
    // Internal columns of the Stan program (z_) and Stan-style names stay out.
    expect(r.stdout).not.toMatch(/^(z_1|b\[1\]|sd_1)/m);
  });

  it("rejects bad input with a located message", async () => {
    expect((await runCli("summary")).status).toBe(2);
    const unknown = await runCli("summary", RUN, "--sigfigs", "2");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--sigfigs' for summary; did you mean --sig-figs\?/);
    expect((await runCli("summary", RUN, "--percentiles", "50,5")).stderr).toMatch(/must increase/);
    expect((await runCli("summary", RUN, "--sig-figs", "0")).stderr).toMatch(/from 1 to 15/);
    const missing = await runCli("summary", join(scratch, "nowhere"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No such file or directory/);
    const notCsv = join(scratch, "notes.txt");
    writeFileSync(notCsv, "hello\n1,2\n");
    const bad = await runCli("summary", notCsv);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/notes\.txt' is not a readable CmdStan CSV/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
