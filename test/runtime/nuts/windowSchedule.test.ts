import { describe, expect, it } from "vitest";
import { metricUpdateIterations, WindowSchedule } from "../../../src/runtime/adaptation/windowSchedule";

// Sampler spec §3.4, reproduced there with a harness compiled from Stan's windowed_adaptation.hpp.
const SPEC_TABLE: Array<[number, number[], number[]]> = [
  [1000, [99, 149, 249, 449, 949], [25, 50, 100, 200, 500]],
  [2000, [99, 149, 249, 449, 849, 1949], [25, 50, 100, 200, 400, 1100]],
  [500, [99, 149, 249, 449], [25, 50, 100, 200]],
  [200, [99, 149], [25, 50]],
  [150, [99], [25]],
];

describe("windowed adaptation schedule", () => {
  it.each(SPEC_TABLE)("N = %i updates after %j with window sizes %j", (n, updates, sizes) => {
    expect(metricUpdateIterations(n)).toEqual({ updates, windowSamples: sizes });
  });

  it("never updates the metric for N < 20", () => {
    const schedule = new WindowSchedule(19);
    expect(schedule.messages[0]).toMatch(/No variance estimation/);
    expect(metricUpdateIterations(19).updates).toEqual([]);
  });

  it("uses one 15%/75%/10% window for short warmups (intended behaviour)", () => {
    expect(metricUpdateIterations(100)).toEqual({ updates: [89], windowSamples: [75] });
    expect(metricUpdateIterations(149)).toEqual({ updates: [134], windowSamples: [149 - 22 - 14] });
    expect(new WindowSchedule(100).messages.join("\n")).toMatch(/init_buffer = 15[\s\S]*adapt_window = 75[\s\S]*term_buffer = 10/);
  });

  it("reproduces Stan's wrap-around (no update at all) in stan compatibility mode", () => {
    expect(metricUpdateIterations(100, undefined, "stan").updates).toEqual([]);
    expect(metricUpdateIterations(149, undefined, "stan").updates).toEqual([]);
    expect(metricUpdateIterations(150, undefined, "stan").updates).toEqual([99]);
  });

  it("with term_buffer = 0 closes the last window at N − 1 (Stan issue #3023 setting)", () => {
    const { updates } = metricUpdateIterations(1000, { initBuffer: 75, termBuffer: 0, window: 25 });
    expect(updates.at(-1)).toBe(999);
  });
});
