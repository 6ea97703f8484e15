import { describe, expect, it } from "vitest";
import { formatRNumbers } from "../../src/views/formatRNumbers";
import { rAsCharacter, rRound } from "../../src/brms/rArithmetic";
import { histogramCounts, histospark, prettyBreaks } from "../../src/views/histospark";

describe("R number formatting (print of a numeric vector, digits = 7)", () => {
  // Expected strings are what R 4.x prints for format(x).
  it.each([
    [[1, 10, 100], ["  1", " 10", "100"]],
    [[0.1, 123456], ["     0.1", "123456.0"]],
    [[123456789012], ["123456789012"]],
    [[1234567890123], ["1.234568e+12"]],
    [[1e-20], ["1e-20"]],
    [[1e-120, 1], ["1e-120", " 1e+00"]],
    [[null, 1.5], [" NA", "1.5"]],
    [[NaN, -Infinity, 2], [" NaN", "-Inf", "   2"]],
    [[0.1 + 0.2], ["0.3"]],
    [[99999.99999], ["1e+05"]],
    [[-0.5, 0.25], ["-0.50", " 0.25"]],
  ])("format(%j)", (values, expected) => {
    expect(formatRNumbers(values as (number | null)[])).toEqual(expected);
  });

  it("writes numbers as as.character does", () => {
    expect(rAsCharacter(((1 - 0.89) / 2) * 100)).toBe("5.5");
    expect(rAsCharacter((1 - (1 - 0.89) / 2) * 100)).toBe("94.5");
    expect(rAsCharacter(74)).toBe("74");
  });

  it("rounds as R 4's round() does: the nearer candidate, exact ties to the even digit", () => {
    // Rscript -e 'print(sapply(c(0.625, 0.125, 2.675, 0.15, 0.25, 0.35, -0.625, 1.005, 0.375, 12.345, 0.0050000001), round, 2), digits = 17)'
    const twoDigits = [0.625, 0.125, 2.675, 0.15, 0.25, 0.35, -0.625, 1.005, 0.375, 12.345, 0.0050000001].map((x) => rRound(x, 2));
    expect(twoDigits).toEqual([0.62, 0.12, 2.67, 0.15, 0.25, 0.35, -0.62, 1, 0.38, 12.35, 0.01]);
    // Rscript -e 'print(sapply(c(0.15, 0.25, 0.35, 0.45, -2.25), round, 1), digits = 17)'
    expect([0.15, 0.25, 0.35, 0.45, -2.25].map((x) => rRound(x, 1))).toEqual([0.1, 0.2, 0.3, 0.4, -2.2]);
  });
});

describe("pretty and hist, as histospark uses them", () => {
  it("finds R's pretty break points", () => {
    expect(prettyBreaks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(prettyBreaks(8, 99, 10, 1)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(prettyBreaks(-1.2, 3.7, 10, 1)).toEqual([-1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
  });

  it("counts values on a break in the bin to its left, and the minimum in the first bin", () => {
    // hist(c(1, 2, 2, 3, 3, 3), breaks = 10)$counts in R
    expect(histogramCounts([1, 2, 2, 3, 3, 3], 10)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 0, 3]);
  });

  it("maps counts to five bar heights in right-closed fifths", () => {
    // counts 1,0,0,0,2,0,0,0,0,3 → ratios 1/3, 0, 2/3, 1 → levels 2, 1, 4, 5
    expect(histospark([1, 2, 2, 3, 3, 3])).toBe("▂▁▁▁▅▁▁▁▁▇");
    expect(histospark([NaN, NaN])).toBe(" ".repeat(10));
  });
});
