/**
 * R's arithmetic where brms's numbers depend on its last bits: R sums in long double, so a plain
 * double sum can round differently (a weights() normalisation, a conditional_effects() condition).
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
