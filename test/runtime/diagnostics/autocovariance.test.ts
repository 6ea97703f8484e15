import { describe, expect, it } from "vitest";
import { MeanAutocovariance } from "../../../src/runtime/diagnostics/autocovariance";

/** Deterministic AR(1) columns (centred), so the test cannot depend on luck. */
function centredColumns(cols: number, rows: number, phi: number): Float64Array {
  const data = new Float64Array(cols * rows);
  let state = 12345;
  const uniform = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  for (let c = 0; c < cols; c++) {
    let x = 0;
    let mean = 0;
    for (let i = 0; i < rows; i++) {
      x = phi * x + (uniform() - 0.5);
      data[c * rows + i] = x;
      mean += x;
    }
    mean /= rows;
    for (let i = 0; i < rows; i++) data[c * rows + i] -= mean;
  }
  return data;
}

function directMeanAcov(data: Float64Array, cols: number, rows: number, lag: number): number {
  let total = 0;
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i + lag < rows; i++) total += data[c * rows + i] * data[c * rows + i + lag];
  }
  return total / rows / cols;
}

describe("MeanAutocovariance", () => {
  it("FFT lags (beyond the direct limit) equal direct sums to ~1e-12 of acov_0, odd column count", () => {
    const cols = 5;
    const rows = 700;
    const data = centredColumns(cols, rows, 0.97);
    const acov = new MeanAutocovariance();
    acov.reset(data, cols, rows);
    const zero = directMeanAcov(data, cols, rows, 0);
    // Asking for a far lag first forces the FFT path for every lag.
    for (const lag of [600, 0, 1, 2, 47, 48, 49, 300, 699]) {
      expect(Math.abs(acov.at(lag) - directMeanAcov(data, cols, rows, lag)) / zero).toBeLessThan(
        1e-12,
      );
    }
  });

  it("direct lags (first block of eight, then blocks of four) equal plain sums at every lag", () => {
    const acov = new MeanAutocovariance();
    const data = centredColumns(3, 60, 0.8);
    acov.reset(data, 3, 60);
    const zero = directMeanAcov(data, 3, 60, 0);
    for (let lag = 0; lag < 60; lag++) {
      expect(Math.abs(acov.at(lag) - directMeanAcov(data, 3, 60, lag)) / zero).toBeLessThan(1e-14);
    }
    const short = centredColumns(2, 6, 0.3); // too short for the eight-lag pass
    acov.reset(short, 2, 6);
    for (let lag = 0; lag < 6; lag++) {
      expect(acov.at(lag)).toBeCloseTo(directMeanAcov(short, 2, 6, lag), 15);
    }
  });

  it("direct lags equal plain sums and the buffers are reused across resets", () => {
    const acov = new MeanAutocovariance();
    const a = centredColumns(2, 50, 0.5);
    acov.reset(a, 2, 50);
    expect(acov.at(3)).toBeCloseTo(directMeanAcov(a, 2, 50, 3), 14);
    const b = centredColumns(3, 20, -0.4);
    acov.reset(b, 3, 20);
    expect(acov.at(0)).toBeCloseTo(directMeanAcov(b, 3, 20, 0), 14);
    expect(acov.at(5)).toBeCloseTo(directMeanAcov(b, 3, 20, 5), 14);
  });
});
