import { describe, expect, it } from "vitest";
import { defineModel } from "../../../src/runtime/api";
import type { VariableInfo } from "../../../src/runtime/model";
import { compiled, param, testModel } from "../models/testModel";

const generated = (name: string): VariableInfo => ({ name, block: "generated quantities", dims: [], isInteger: false });

const model = defineModel(
  compiled("two_normals", () =>
    testModel({
      name: "two_normals",
      dim: 2,
      variables: [param("x", [2]), generated("y")],
      logDensityGradient(theta, grad) {
        grad[0] = -theta[0];
        grad[1] = -theta[1] / 4;
        return -0.5 * theta[0] ** 2 - theta[1] ** 2 / 8;
      },
      writeConstrained(theta, _rng, out) {
        out[0] = theta[0];
        out[1] = theta[1];
        out[2] = theta[0] + theta[1];
      },
    }),
  ),
);

const settings = { parallelism: "in-process" as const, chains: 2, warmup: 30, samples: 40, thin: 2, seed: 5 };

describe("streamed JSON output and the columns a fit keeps", () => {
  it("writes each chain's draws as they come, in toJSON()'s layout, while the fit keeps only the columns asked for", async () => {
    const full = await model.sample({}, settings);
    const texts = new Map<number, string>();
    const closed: number[] = [];
    const streamed = await model.sample({}, {
      ...settings,
      json: {
        open: (chain) => ({ write: (text) => texts.set(chain, (texts.get(chain) ?? "") + text), close: () => void closed.push(chain) }),
        fields: { brmsNames: { "x.1": "b_x" } },
      },
      keepColumn: (column) => column.endsWith("__") || column === "x.1",
    });
    expect(closed).toEqual([1, 2]);
    const expected = JSON.parse(JSON.stringify(full.toJSON())) as { chains: Record<string, unknown>[]; variables: string[] };
    for (const chain of [1, 2]) {
      const document = JSON.parse(texts.get(chain)!) as Record<string, unknown>;
      const { chains: _all, ...head } = expected;
      const timings = { warmupSeconds: expect.any(Number), samplingSeconds: expect.any(Number) };
      expect(document).toEqual({ ...head, variables: head.variables.map((v) => (v === "x[1]" ? "b_x" : v)), brmsNames: { "x.1": "b_x" }, chains: [{ ...expected.chains[chain - 1], ...timings }] });
    }
    // Same draws, bit for bit; the fit holds the sampler's columns and x.1 only.
    expect(streamed.columns).toEqual([...full.columns.filter((c) => c.endsWith("__")), "x.1"]);
    expect(Array.from(streamed.draws("x.1"))).toEqual(Array.from(full.draws("x.1")));
    expect(() => streamed.draws("y")).toThrow(/No column or variable named 'y'/);
  });
});
