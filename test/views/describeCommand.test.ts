import { describe, expect, it } from "vitest";
import { haveSeedData, SEED_CSV } from "./lectureData";
import { runCli as run } from "./runCli";

describe("stan2ts describe", () => {
  it.skipIf(!haveSeedData)("prints the precis table and the group counts for the lecture data", async () => {
    const r = await run("describe", SEED_CSV, "--group", "record_id");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^ +mean +sd +5\.5% +94\.5% +histogram$/);
    expect(lines.find((l) => l.startsWith("N_A.lag"))).toMatch(/-0\.04575229 +0\.9833161 +-0\.87507181 +1\.9904675 ▇▃▂▁▁▁▁▁▁▁▁▁▁▁$/);
    expect(r.stdout.endsWith("record_id: 193 groups\nrows per group: median 74, min 8, max 99\n")).toBe(true);
  });

  it("names a missing file and a missing group column without a stack trace", async () => {
    const missing = await run("describe", "no-such-file.csv");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("Error: No such data file: 'no-such-file.csv'.\n");
    if (haveSeedData) {
      const badGroup = await run("describe", SEED_CSV, "--group", "person");
      expect(badGroup.status).toBe(1);
      expect(badGroup.stderr).toContain("have no column 'person'. Columns: record_id, day, day01,");
    }
    const usage = await run("describe");
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("describe needs a CSV file");
  });
});
