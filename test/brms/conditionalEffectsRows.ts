/**
 * One check of a conditional_effects plot's rows against brms's own (a `ce_<effect>.csv` written by
 * the fixtures' R scripts: value, group, estimate, lower, upper), shared by the post-fit fit tests.
 */
import { expect } from "vitest";

export type EffectRow = { x: number | string; group?: string; estimate: number; lower: number; upper: number };

/** Same number of rows; each of brms's rows found by value (and group) with estimate, lower and upper to 1e-9. */
export function expectEffectRowsLikeBrms(rows: readonly EffectRow[], expected: readonly Record<string, string>[]): void {
  expect(rows).toHaveLength(expected.length);
  for (const r of expected) {
    // brms orders an interaction's rows by x, then the second variable; match by value
    // a factor's rows are its levels, matched by name
    const sameValue = (x: number | string) => String(x) === r.value || Math.abs(Number(x) - Number(r.value)) < 1e-9 * Math.max(1, Math.abs(Number(r.value)));
    const row = rows.find((g) => sameValue(g.x) && (r.group === undefined || g.group === r.group));
    expect(row, `${r.value} ${r.group ?? ""}`).toBeDefined();
    for (const [got, want] of [[row!.estimate, r.estimate], [row!.lower, r.lower], [row!.upper, r.upper]] as const) {
      expect(Math.abs(got - Number(want))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(Number(want))));
    }
  }
}
