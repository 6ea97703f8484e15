/**
 * R's arithmetic where brms's numbers depend on its last bits: R sums in long double, so a plain
 * double sum can round differently (a weights() normalisation, a conditional_effects() condition);
 * and R's shortest text of a number. No imports: the compile path (printFit's interval labels)
 * loads this without the R front end or the views.
 */

/** Neumaier's compensated sum: the correctly rounded sum in all but pathological cases. */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** A number as R's `as.character` writes it (15 significant digits, no trailing zeros). */
export function rAsCharacter(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return String(Number(x.toPrecision(15)));
}
