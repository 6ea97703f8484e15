/**
 * Numbers printed the way a C++ ostream prints a double with its default float format, i.e. C's
 * `%.{P}g` as glibc renders it. CmdStan writes every CSV value this way (sampler-spec §6.7), so a
 * byte-for-byte comparable file needs it:
 *   - P significant digits (default 6; P = 0 means 1), trailing zeros and a bare "." removed;
 *   - scientific when the rounded decimal exponent X satisfies X < −4 or X ≥ P, with an exponent
 *     of at least two digits (`1e-05`, `1.23457e+06`);
 *   - `inf`, `-inf`, `nan`, and `-0` for negative zero;
 *   - exact decimal ties round to even (glibc), where JS `toPrecision` rounds them up.
 */
import { log10, pow } from "../math/elementary";

const DEFAULT_SIG_FIGS = 6;

export function formatG(x: number, sigFigs: number = DEFAULT_SIG_FIGS): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const precision = sigFigs < 1 ? 1 : sigFigs > 100 ? 100 : Math.floor(sigFigs);
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  // Small integers are by far the most common non-fractional values (treedepth__, n_leapfrog__,
  // divergent__, integer generated quantities); they print as themselves.
  if (Number.isSafeInteger(x) && Math.abs(x) < POW10[precision]) return String(x);

  const negative = x < 0;
  const magnitude = negative ? -x : x;
  let rounded = magnitude.toPrecision(precision);
  let isToPrecisionOutput = true;
  // A halfway case needs magnitude = D·10^s exactly with D of P+1 digits and s ≥ X − P, which
  // makes magnitude·2^(P+1−X) an integer (X: decimal exponent, off by at most one after
  // rounding). Checking that first keeps the exact test off the common path.
  const approxExponent = Math.floor(log10(magnitude));
  const shift = precision + 2 - approxExponent;
  if (shift <= 0 || Number.isInteger(magnitude * pow(2, shift))) {
    const tieFix = roundTieToEven(magnitude, precision);
    if (tieFix !== undefined) {
      rounded = tieFix;
      isToPrecisionOutput = false;
    }
  }
  const body = renderFromToPrecision(rounded, precision, isToPrecisionOutput);
  return negative ? "-" + body : body;
}

// parsed from decimal text: correctly rounded on every engine, as `10 ** k` is not required to be
const POW10: number[] = Array.from({ length: 101 }, (_, k) => Number(`1e${k}`));

/**
 * `toPrecision` output → digits and decimal exponent → C `%g` text. `toPrecision` switches to
 * exponential notation at different thresholds than C, so the digits are re-laid out.
 */
function renderFromToPrecision(
  text: string,
  precision: number,
  isToPrecisionOutput: boolean,
): string {
  // Without an exponent, toPrecision has X < P; for X ≥ −4 its layout is already C's once the
  // trailing zeros go.
  if (isToPrecisionOutput && text.indexOf("e") < 0 && !text.startsWith("0.0000")) {
    if (text.indexOf(".") < 0) return text;
    let end = text.length;
    while (text.charCodeAt(end - 1) === 48) end--;
    if (text.charCodeAt(end - 1) === 46) end--;
    return text.slice(0, end);
  }
  let digits: string;
  let exponent: number;
  const e = text.indexOf("e");
  if (e >= 0) {
    const mantissa = text.slice(0, e);
    exponent = Number(text.slice(e + 1));
    digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  } else {
    const point = text.indexOf(".");
    if (text.startsWith("0.")) {
      let firstNonZero = 2;
      while (text.charCodeAt(firstNonZero) === 48) firstNonZero++;
      exponent = -(firstNonZero - 1);
      digits = text.slice(firstNonZero);
    } else {
      exponent = (point < 0 ? text.length : point) - 1;
      digits = point < 0 ? text : text.slice(0, point) + text.slice(point + 1);
    }
  }
  digits = stripTrailingZeros(digits);

  if (exponent < -4 || exponent >= precision) {
    const fraction = digits.length > 1 ? "." + digits.slice(1) : "";
    const absExp = exponent < 0 ? -exponent : exponent;
    return digits[0] + fraction + (exponent < 0 ? "e-" : "e+") + (absExp < 10 ? "0" : "") + absExp;
  }
  if (exponent < 0) return "0." + "0".repeat(-exponent - 1) + digits;
  if (digits.length <= exponent + 1) return digits + "0".repeat(exponent + 1 - digits.length);
  return digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
}

function stripTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  return end === digits.length ? digits : digits.slice(0, end);
}

/**
 * If `magnitude` lies exactly halfway between two P-digit decimals, returns the even neighbour in
 * `toPrecision`-like text; otherwise undefined. An exact tie needs the value to be a (P+1)-digit
 * decimal ending in 5, which is rare, so the exact BigInt check runs only for those candidates.
 */
function roundTieToEven(magnitude: number, precision: number): string | undefined {
  const longer = magnitude.toPrecision(precision + 1);
  const e = longer.indexOf("e");
  const mantissa = e >= 0 ? longer.slice(0, e) : longer;
  if (mantissa.charCodeAt(mantissa.length - 1) !== 53 /* '5' */) return undefined;
  if (Number(longer) !== magnitude || !isExactly(magnitude, longer)) return undefined;
  // The lower neighbour is the same text with the final 5 replaced by 0; keep it when the digit
  // before the 5 is even (an odd one rounds up, which is what toPrecision already did).
  let before = mantissa.length - 2;
  if (mantissa.charCodeAt(before) === 46 /* '.' */) before--;
  if ((mantissa.charCodeAt(before) - 48) % 2 === 1) return undefined;
  const lower = mantissa.slice(0, -1) + "0";
  return e >= 0 ? lower + longer.slice(e) : lower;
}

/** Whether the double equals the decimal string exactly (not merely as its nearest double). */
export function isExactly(value: number, decimal: string): boolean {
  const [mantissaText, expText] = decimal.split("e");
  const decimalExponent = expText === undefined ? 0 : Number(expText);
  const point = mantissaText.indexOf(".");
  const fractionDigits = point < 0 ? 0 : mantissaText.length - point - 1;
  const decimalNumerator = BigInt(mantissaText.replace(".", ""));
  const scale = decimalExponent - fractionDigits; // decimal = numerator · 10^scale

  // value = significand · 2^binaryExponent exactly.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let significand = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let binaryExponent: number;
  if (biased === 0) binaryExponent = -1074;
  else {
    significand |= 1n << 52n;
    binaryExponent = biased - 1075;
  }
  // Compare significand·2^b with numerator·10^s by moving negative powers to the other side.
  let left = significand;
  let right = decimalNumerator;
  if (binaryExponent >= 0) left <<= BigInt(binaryExponent);
  else right <<= BigInt(-binaryExponent);
  if (scale >= 0) right *= 10n ** BigInt(scale);
  else left *= 10n ** BigInt(-scale);
  return left === right;
}
