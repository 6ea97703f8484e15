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

/**
 * R ≥ 4.0's `round(x, digits)` for digits ≥ 1: of the two candidates with `digits` decimals around x,
 * the nearer in double arithmetic; on an exact tie the one with an even last digit (round(0.625, 2) is
 * 0.62, which toFixed makes 0.63). A number already finer than 15 significant digits allow stays.
 */
export function rRound(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  // R's fround: log10(2) * (0.5 + logb(x)) + digits > DBL_DIG leaves x as it is
  if (Math.log10(2) * (0.5 + Math.floor(Math.log2(a))) + digits > 15) return x;
  const pow10 = 10 ** digits;
  const low = Math.floor(a * pow10);
  const down = low / pow10;
  const up = Math.ceil(a * pow10) / pow10;
  const dUp = up - a;
  const dDown = a - down;
  return sign * (dUp < dDown || (dUp === dDown && low % 2 === 1) ? up : down);
}
