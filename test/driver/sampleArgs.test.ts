import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/driver/command";
import { parseSampleArgs, resolveSettings } from "../../src/driver/commands/sample";

describe("stan2ts sample arguments", () => {
  it("reads every flag, with --name value and --name=value", () => {
    const args = parseSampleArgs([
      "m.stan", "--data", "d.json", "--chains", "3", "--cores=1", "--warmup", "200", "--samples", "300", "--seed", "14",
      "--adapt-delta", "0.95", "--max-treedepth", "12", "--metric", "dense", "--thin", "2", "--init", "0.5", "-o", "out", "--quiet",
    ]);
    expect(args).toEqual({
      file: "m.stan", data: "d.json", chains: 3, cores: 1, warmup: 200, samples: 300, seed: 14, adaptDelta: 0.95,
      maxTreedepth: 12, metric: "dense", thin: 2, init: "0.5", outputDir: "out", json: false, quiet: true,
    });
  });

  it("rejects bad values naming the flag", () => {
    const usage = (argv: string[]) => {
      try {
        parseSampleArgs(argv);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error("expected a UsageError");
    };
    expect(usage(["m.stan", "--chains", "0"])).toBe("--chains must be a positive integer, got '0'.");
    expect(usage(["m.stan", "--adapt-delta", "1"])).toBe("--adapt-delta must be strictly between 0 and 1, got '1'.");
    expect(usage(["m.stan", "--metric", "unit"])).toBe("--metric must be 'diag' or 'dense', got 'unit'.");
    expect(usage(["m.stan", "--seed", "-3"])).toMatch(/--seed needs a value|--seed must be/);
    expect(usage(["m.stan", "--frob"])).toMatch(/unknown option '--frob'/);
    expect(usage(["m.stan", "--iter", "10", "--samples", "5"])).toBe("give --iter or --samples, not both.");
    expect(usage([])).toMatch(/one model file/);
  });

  it("gives --iter rstan's meaning (samples = iter - warmup) and CmdStan's defaults otherwise", () => {
    expect(resolveSettings(parseSampleArgs(["m.stan"]), {}, 3)).toMatchObject({ chains: 4, cores: 3, warmup: 1000, samples: 1000, thin: 1 });
    expect(resolveSettings(parseSampleArgs(["m.stan", "--iter", "3000", "--warmup", "1000"]))).toMatchObject({ warmup: 1000, samples: 2000 });
    expect(resolveSettings(parseSampleArgs(["m.stan", "--iter", "400"]))).toMatchObject({ warmup: 200, samples: 200 });
    expect(() => resolveSettings(parseSampleArgs(["m.stan", "--iter", "400", "--warmup", "400"]))).toThrow(/smaller than iter/);
  });

  it("uses every available core by default, as the API does, at most one per chain", () => {
    expect(resolveSettings(parseSampleArgs(["m.stan"])).cores).toBe(Math.min(4, availableParallelism()));
    expect(resolveSettings(parseSampleArgs(["m.stan", "--chains", "2"]), {}, 16).cores).toBe(2);
    expect(resolveSettings(parseSampleArgs(["m.stan", "--chains", "8"]), {}, 16).cores).toBe(8);
    expect(resolveSettings(parseSampleArgs(["m.stan", "--cores", "1"]), {}, 16).cores).toBe(1);
  });

  it("takes brm()'s settings from an R script unless a flag overrides them", () => {
    const script = { iter: 3000, warmup: 1000, chains: 4, cores: 4, seed: 14 };
    expect(resolveSettings(parseSampleArgs(["m.R"]), script)).toMatchObject({ chains: 4, cores: 4, warmup: 1000, samples: 2000, seed: 14 });
    expect(resolveSettings(parseSampleArgs(["m.R", "--iter", "300", "--warmup", "100", "--chains", "2", "--seed", "3"]), script, 16)).toMatchObject({
      chains: 2, cores: 2, warmup: 100, samples: 200, seed: 3,
    });
    expect(resolveSettings(parseSampleArgs(["m.R", "--samples", "50"]), script)).toMatchObject({ warmup: 1000, samples: 50 });
  });
});
