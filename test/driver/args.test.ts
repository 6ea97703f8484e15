import { afterEach, describe, expect, it, vi } from "vitest";
import { closest, editDistance } from "../../src/driver/args";
import { main } from "../../src/driver/cli";
import { UsageError } from "../../src/driver/command";
import { COMMANDS } from "../../src/driver/commands/index";
import { parseDescribeArgs } from "../../src/driver/commands/describe";
import { parsePlotArgs } from "../../src/driver/commands/plot";
import { parseReportArgs } from "../../src/driver/commands/report";
import { parseSampleArgs, SAMPLE_HELP, SAMPLE_OPTIONS } from "../../src/driver/commands/sample";
import { parseBrmsArgs } from "../../src/driver/commands/stancode";

/** The UsageError message `parse` throws (fails the test when it does not throw one). */
function usage(parse: () => unknown): string {
  try {
    parse();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("the CmdStan spellings of stan2ts sample", () => {
  // One row per alias: the CmdStan words, and what they must set.
  const aliases: [string[], Record<string, unknown>][] = [
    [["num_samples=300"], { samples: 300 }],
    [["num_warmup=200"], { warmup: 200 }],
    [["num_chains=3"], { chains: 3 }],
    [["thin=2"], { thin: 2 }],
    [["adapt", "delta=0.95"], { adaptDelta: 0.95 }],
    [["data", "file=d.json"], { data: "d.json" }],
    [["output", "dir=out"], { outputDir: "out" }],
    [["output", "file=out/run.csv"], { outputDir: "out", outputBase: "run" }],
    [["random", "seed=4"], { seed: 4 }],
    [["init=0.5"], { init: "0.5" }],
    [["init=inits.json"], { init: "inits.json" }],
    [["algorithm=hmc", "engine=nuts", "max_depth=12"], { maxTreedepth: 12 }],
    [["metric=dense_e"], { metric: "dense" }],
    [["metric=diag_e"], { metric: "diag" }],
  ];
  for (const [words, expected] of aliases) {
    it(`${words.join(" ")}`, () => {
      expect(parseSampleArgs(["m.stan", ...words])).toEqual({ file: "m.stan", json: false, quiet: false, ...expected });
    });
  }

  it("reads a whole CmdStan command line, keywords as separate words, in any order around the file", () => {
    const argv = [
      "sample", "num_samples=1000", "num_warmup=500", "thin=1", "adapt", "engaged=1", "delta=0.9", "algorithm=hmc", "engine=nuts",
      "max_depth=11", "data", "file=d.json", "init=0", "random", "seed=12", "output", "file=o/m.csv", "m.stan",
    ];
    expect(parseSampleArgs(argv)).toEqual({
      file: "m.stan", samples: 1000, warmup: 500, thin: 1, adaptDelta: 0.9, maxTreedepth: 11, data: "d.json", init: "0", seed: 12,
      outputDir: "o", outputBase: "m", json: false, quiet: false,
    });
    // `output file=` names the CSVs inside --output-dir when both are given
    expect(parseSampleArgs(["m.stan", "-o", "runs", "output", "file=fit.csv"])).toMatchObject({ outputDir: "runs", outputBase: "fit" });
  });

  it("takes CmdStan's and cmdstanr's names as long options too, with - or _", () => {
    expect(parseSampleArgs(["m.stan", "--num_samples", "10", "--num-warmup=20", "--iter_warmup", "30", "--adapt_delta=0.9", "--max_depth", "9"])).toMatchObject({
      samples: 10, warmup: 30, adaptDelta: 0.9, maxTreedepth: 9,
    });
    expect(parseSampleArgs(["m.stan", "--iter-sampling", "40"])).toMatchObject({ samples: 40 });
  });

  it("checks CmdStan values like the options', naming the spelling used", () => {
    expect(usage(() => parseSampleArgs(["m.stan", "num_samples=0"]))).toBe("num_samples must be a positive integer, got '0'.");
    expect(usage(() => parseSampleArgs(["m.stan", "adapt", "delta=1.5"]))).toBe("adapt delta must be strictly between 0 and 1, got '1.5'.");
    expect(usage(() => parseSampleArgs(["m.stan", "metric=unit_e"]))).toBe("metric must be 'diag' or 'dense', got 'unit_e'.");
    expect(usage(() => parseSampleArgs(["m.stan", "--iter", "10", "num_samples=5"]))).toBe("give --iter or num_samples, not both.");
  });

  it("says what is wrong with a CmdStan word: a slip, a missing keyword, a keyword without its argument", () => {
    expect(usage(() => parseSampleArgs(["m.stan", "num_sample=100"]))).toMatch(/^unknown CmdStan argument 'num_sample=100' for sample; did you mean 'num_samples=…'\?/);
    expect(usage(() => parseSampleArgs(["m.stan", "file=d.json"]))).toBe("'file=d.json' is a CmdStan argument that belongs after its keyword: data file=… or output file=….");
    expect(usage(() => parseSampleArgs(["m.stan", "delta=0.9"]))).toMatch(/belongs after its keyword: adapt delta=…/);
    expect(usage(() => parseSampleArgs(["m.stan", "data"]))).toBe("CmdStan keyword 'data' needs its argument: data file=….");
  });
});

describe("one parser for every command", () => {
  it("reads --opt=value and --opt value alike in every command", () => {
    expect(parseDescribeArgs(["d.csv", "--group=id"])).toEqual(parseDescribeArgs(["d.csv", "--group", "id"]));
    expect(parseReportArgs(["dir", "--output=r.html", "--max-parameters=5"])).toEqual({ dir: "dir", output: "r.html", maxPlottedParameters: 5 });
    expect(parseBrmsArgs(["m.R", "--data=d.csv"], "stancode")).toEqual({ script: "m.R", dataPath: "d.csv" });
    expect(parsePlotArgs(["d.csv", "--hist-per-group=id", "--xlab=days", "--output=p.svg"])).toEqual({
      kind: "hist-per-group", dataPath: "d.csv", group: "id", xTitle: "days", output: "p.svg",
    });
    expect(parseSampleArgs(["m.stan", "--data=d.json", "-o", "out", "--quiet"])).toEqual({ file: "m.stan", data: "d.json", outputDir: "out", json: false, quiet: true });
  });

  it("suggests the nearest option for a slip, in every command", () => {
    expect(usage(() => parseSampleArgs(["m.stan", "--sampels", "100"]))).toBe("unknown option '--sampels' for sample; did you mean --samples? See stan2ts sample --help.");
    expect(usage(() => parseSampleArgs(["m.stan", "--adapt", "0.9"]))).toMatch(/did you mean --adapt-delta\?/);
    expect(usage(() => parseSampleArgs(["m.stan", "--num_sample", "10"]))).toMatch(/did you mean --num-samples\?/);
    expect(usage(() => parseSampleArgs(["m.stan", "--frob"]))).toBe("unknown option '--frob' for sample. See stan2ts sample --help.");
    expect(usage(() => parseDescribeArgs(["d.csv", "--gruop", "id"]))).toMatch(/did you mean --group\?/);
    expect(usage(() => parseReportArgs(["dir", "--max-parameter", "3"]))).toMatch(/did you mean --max-parameters\?/);
    expect(usage(() => parsePlotArgs(["d.csv", "--spagetti"]))).toMatch(/did you mean --spaghetti\?/);
    expect(usage(() => parseBrmsArgs(["m.R", "--dat", "x.csv"], "standata"))).toMatch(/unknown option '--dat' for standata; did you mean --data\?/);
  });

  it("rejects a missing value, a value given to a switch and a switch's value-looking neighbour", () => {
    expect(usage(() => parseSampleArgs(["m.stan", "--data"]))).toBe("--data needs a value (--data PATH|URL).");
    expect(usage(() => parseSampleArgs(["m.stan", "--data", "--chains", "2"]))).toBe("--data needs a value (--data PATH|URL).");
    expect(usage(() => parseSampleArgs(["m.stan", "--quiet=yes"]))).toBe("--quiet takes no value (got '--quiet=yes').");
    expect(usage(() => parseSampleArgs(["m.stan", "--json"]))).toMatch(/--json writes into the output folder/);
  });

  it("treats words after -- as files, and groups short switches", () => {
    expect(usage(() => parseSampleArgs(["m.stan", "--", "--weird"]))).toMatch(/one model file/);
    expect(parseSampleArgs(["-qo", "out", "m.stan"])).toMatchObject({ quiet: true, outputDir: "out" });
  });

  it("measures slips by edit distance, a swap of neighbours counting once", () => {
    expect(editDistance("samples", "sampels")).toBe(1);
    expect(editDistance("chains", "cores")).toBe(4);
    expect(closest("--chians", ["--chains", "--cores"])).toBe("--chains");
    expect(closest("--xyz", ["--chains", "--cores"])).toBeUndefined();
  });

  it("lists every visible option in the generated help", () => {
    for (const option of SAMPLE_OPTIONS) {
      if (option.hidden) continue;
      expect(SAMPLE_HELP).toMatch(new RegExp(`^  --${option.name}\\b`, "m"));
      for (const path of option.cmdstan ?? []) expect(SAMPLE_HELP).toContain(`${path}=`);
    }
  });
});

describe("usage errors through the CLI", () => {
  afterEach(() => vi.restoreAllMocks());

  it("exit 2 with the message for every command given an unknown option; did-you-mean for commands", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((text: unknown) => void errors.push(String(text)));
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    const commandsWithFiles = COMMANDS.filter((c) => c.name !== "demo");
    for (const command of commandsWithFiles) {
      errors.length = 0;
      expect(await main([command.name, "x", "--definitely-not-an-option"])).toBe(2);
      expect(errors.join("\n")).toContain(`stan2ts: unknown option '--definitely-not-an-option' for ${command.name}`);
    }
    errors.length = 0;
    expect(await main(["smaple", "m.stan"])).toBe(2);
    expect(errors[0]).toMatch(/^stan2ts: unknown command 'smaple'; did you mean 'sample'\?/);
  });
});
