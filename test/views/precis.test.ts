import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/brms/dataFrame";
import { loadDataFrame } from "../../src/views/loadDataFrame";
import { formatGroupSizes, formatPrecis, groupSizes, precis, type PrecisRow } from "../../src/views/precis";
import { haveSeedData, lecturePrecis, SEED_CSV } from "./lectureData";

/** Does `value` print as `shown` at the precision the lecture shows it (fixed or scientific)? */
function printsAs(value: number, shown: string): string {
  const sci = /^(-?\d)\.(\d+)e([-+]\d+)$/.exec(shown);
  if (sci) {
    const [mantissa, exponent] = value.toExponential(sci[2].length).split("e");
    return `${mantissa}e${exponent[0]}${exponent.slice(1).padStart(2, "0")}`;
  }
  const decimals = shown.includes(".") ? shown.split(".")[1].length : 0;
  return value.toFixed(decimals);
}

describe("precis table layout", () => {
  it("reproduces the lecture's printed table byte for byte from its own numbers", () => {
    // Feeding the lecture's values back through R's formatting rules must give the same text:
    // this checks fixed/scientific choice, common decimals, widths and alignment.
    const { text, rows } = lecturePrecis();
    const table = {
      probs: [(1 - 0.89) / 2, 1 - (1 - 0.89) / 2] as [number, number],
      rows: rows.map((r): PrecisRow => ({
        name: r.name,
        mean: Number(r.cells[0]),
        sd: Number(r.cells[1]),
        lower: Number(r.cells[2]),
        upper: Number(r.cells[3]),
        histogram: r.histogram,
      })),
    };
    expect(formatPrecis(table)).toBe(text);
  });

  it("shows text columns as NaN/NA with a blank histogram, as precis does", () => {
    const frame = parseCsv("g,x\na,1\nb,2\nb,NA\n", "t.csv");
    const out = formatPrecis(precis(frame));
    expect(out).toBe(
      [
        "  mean        sd  5.5% 94.5%  histogram",
        "g  NaN        NA    NA    NA           ",
        "x  1.5 0.7071068 1.055 1.945 ▇▁▁▁▁▁▁▁▁▇",
        "",
      ].join("\n"),
    );
  });
});

describe.skipIf(!haveSeedData)("describe on the lecture data (../shared/data/williams-seed.csv)", () => {
  const frame = haveSeedData ? loadDataFrame(SEED_CSV) : undefined;

  it("matches every number and histogram of the lecture's precis table for the columns present", () => {
    const ours = new Map(precis(frame!).rows.map((r) => [r.name, r]));
    const lecture = lecturePrecis().rows.filter((r) => r.name !== "...1");
    expect(lecture.length).toBe(9);
    for (const row of lecture) {
      const mine = ours.get(row.name);
      expect(mine, row.name).toBeDefined();
      const values = [mine!.mean, mine!.sd, mine!.lower, mine!.upper] as number[];
      values.forEach((v, j) => expect(printsAs(v, row.cells[j]), `${row.name} column ${j}`).toBe(row.cells[j]));
      expect(mine!.histogram, `${row.name} histogram`).toBe(row.histogram);
    }
  });

  it("prints rows with the lecture's values (P_A.std)", () => {
    const line = formatPrecis(precis(frame!))
      .split("\n")
      .find((l) => l.startsWith("P_A.std"));
    expect(line).toMatch(/^P_A\.std +0\.01438236 +1\.0241384 +-1\.68129708 +1\.7514660 +▁▁▃▇▇▃▁▁$/);
  });

  it("counts 193 people with a median of 74 days (min 8, max 99)", () => {
    const sizes = groupSizes(frame!, "record_id");
    expect([sizes.groups, sizes.median, sizes.min, sizes.max]).toEqual([193, 74, 8, 99]);
    expect(formatGroupSizes(sizes)).toBe("record_id: 193 groups\nrows per group: median 74, min 8, max 99\n");
  });
});

describe("group sizes", () => {
  it("averages the middle two counts for an even number of groups and ignores missing labels", () => {
    const frame = parseCsv("id,x\n1,0\n1,0\n2,0\n3,0\n3,0\n3,0\n4,0\nNA,0\n", "t.csv");
    const sizes = groupSizes(frame, "id");
    expect([sizes.groups, sizes.median, sizes.min, sizes.max]).toEqual([4, 1.5, 1, 3]);
  });

  it("names the missing column and the columns that exist", () => {
    const frame = parseCsv("id,x\n1,0\n", "t.csv");
    expect(() => groupSizes(frame, "person")).toThrow("The data in 't.csv' have no column 'person'. Columns: id, x.");
  });
});
