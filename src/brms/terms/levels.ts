/**
 * Level order of text factors and grouping factors. R's factor() sorts with the C library's
 * strcoll, so under the locales brms users run (en_US.UTF-8, C.UTF-8 in R ≥ 4.1 on most systems)
 * text sorts letter-first, case second: `a B b_2 c D Z`, not byte order (`B D Z a b_2 c`).
 * Intl.Collator("en-US") (ICU) gives that order for letters, digits and case. It can differ from
 * glibc where punctuation or spaces decide the order (glibc ignores them at the first level, ICU
 * does not), e.g. `a b` against `ab`; such level names are rare in teaching data.
 */
const collator = new Intl.Collator("en-US");

/** R's sort() of character values under an en_US locale. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Distinct values of a column, in R's factor level order, and each row's 1-based level. */
export function factorLevels(values: readonly string[]): { levels: string[]; index: Int32Array } {
  const levels = [...new Set(values)].sort(compareText);
  const position = new Map(levels.map((v, i) => [v, i + 1]));
  return { levels, index: Int32Array.from(values, (v) => position.get(v)!) };
}

/** Distinct numbers in numeric order, labelled as R prints them (as.character of a double). */
export function numericLevels(values: Float64Array): { levels: string[]; index: Int32Array } {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const position = new Map(distinct.map((v, i) => [v, i + 1]));
  return { levels: distinct.map(formatLevel), index: Int32Array.from(values, (v) => position.get(v)!) };
}

export function formatLevel(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(15)));
}
