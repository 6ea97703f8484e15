#!/usr/bin/env python3
"""Derives the constants and polynomial coefficients of src/runtime/math/elementary/trig*.ts.

Development tool only (python3 + mpmath from Debian's python3-mpmath); the product never runs it.
Run: python3 scripts/trigCoefficients.py

Each kernel polynomial is fitted by a discrete minimax (Remez exchange) in the variable z = x^2 on
the kernel's interval, minimising the error relative to the function value, then its coefficients
are rounded to doubles and the rounded polynomial's error is measured on a dense grid.
"""
import mpmath as mp

mp.mp.prec = 2000


def dbl(v):
    return float(v)


def fit(target, zmax, ncoef, weight):
    """Near-minimax p(z) = sum c_k z^k on [0, zmax] minimising max |weight(z) (p(z) - target(z))|."""
    n = ncoef
    # start from Chebyshev extrema, then Remez exchange on a dense grid
    nodes = [zmax * (1 - mp.cos(mp.pi * i / n)) / 2 for i in range(n + 1)]
    grid = [zmax * (1 - mp.cos(mp.pi * i / 3000)) / 2 for i in range(3001)]
    grid[0] = zmax * mp.mpf(10) ** -6
    coefs = None
    for _ in range(12):
        # solve sum c_k z_i^k + (-1)^i E / weight(z_i) = target(z_i)
        rows = []
        rhs = []
        for i, z in enumerate(nodes):
            zz = z if z != 0 else zmax * mp.mpf(10) ** -6
            rows.append([zz ** k for k in range(n)] + [(-1) ** i / weight(zz)])
            rhs.append(target(zz))
        sol = mp.lu_solve(mp.matrix(rows), mp.matrix(rhs))
        coefs = [sol[k] for k in range(n)]
        err = [weight(z) * (sum(c * z ** k for k, c in enumerate(coefs)) - target(z)) for z in grid]
        # pick n+1 alternating extrema
        ext = []
        i = 0
        while i < len(grid):
            j = i
            s = mp.sign(err[i])
            best = i
            while j < len(grid) and mp.sign(err[j]) == s:
                if abs(err[j]) > abs(err[best]):
                    best = j
                j += 1
            ext.append(best)
            i = j
        while len(ext) > n + 1:
            # drop the smaller end
            if abs(err[ext[0]]) < abs(err[ext[-1]]):
                ext.pop(0)
            else:
                ext.pop()
        if len(ext) < n + 1:
            break
        nodes = [grid[k] for k in ext]
    return coefs


def report(name, coefs, check, npts=20000):
    rounded = [dbl(c) for c in coefs]
    worst = mp.mpf(0)
    for e in check(rounded, npts):
        worst = max(worst, abs(e))
    print(f"// {name}: max relative error of the rounded polynomial 2^{float(mp.log(worst, 2)):.1f}")
    for k, c in enumerate(rounded):
        print(f"const {name}{k} = {c!r};")


PIO4 = mp.pi / 4
XMAX = PIO4 * mp.mpf("1.0001")  # the medium reduction may overshoot pi/4 by a hair


def sin_target(z):
    x = mp.sqrt(z)
    return (mp.sin(x) - x) / (x * z)


def sin_check(c, npts):
    for i in range(1, npts + 1):
        x = XMAX * i / npts
        z = x * x
        p = sum(mp.mpf(ck) * z ** k for k, ck in enumerate(c))
        yield (x + x * z * p - mp.sin(x)) / mp.sin(x)


def cos_target(z):
    x = mp.sqrt(z)
    return (mp.cos(x) - 1 + z / 2) / (z * z)


def cos_check(c, npts):
    for i in range(1, npts + 1):
        x = XMAX * i / npts
        z = x * x
        p = sum(mp.mpf(ck) * z ** k for k, ck in enumerate(c))
        yield (1 - z / 2 + z * z * p - mp.cos(x)) / mp.cos(x)


ASIN_XMAX = mp.mpf("0.5")


def asin_target(z):
    x = mp.sqrt(z)
    return (mp.asin(x) - x) / (x * z)


def asin_check(c, npts):
    for i in range(1, npts + 1):
        x = ASIN_XMAX * i / npts
        z = x * x
        p = sum(mp.mpf(ck) * z ** k for k, ck in enumerate(c))
        yield (x + x * z * p - mp.asin(x)) / mp.asin(x)


ATAN_XMAX = mp.mpf(7) / 16


def atan_target(z):
    x = mp.sqrt(z)
    return (mp.atan(x) - x) / (x * z)


def atan_check(c, npts):
    for i in range(1, npts + 1):
        x = ATAN_XMAX * i / npts
        z = x * x
        p = sum(mp.mpf(ck) * z ** k for k, ck in enumerate(c))
        yield (x + x * z * p - mp.atan(x)) / mp.atan(x)


def main():
    import sys
    mp.mp.prec = 200
    which = sys.argv[1:] or ["sin", "cos", "asin", "atan", "const"]
    if "sin" in which:
        report("SIN_", fit(sin_target, XMAX ** 2, int(sys.argv[2]) if len(sys.argv) > 2 else 6, lambda z: z), sin_check)
    if "cos" in which:
        report("COS_", fit(cos_target, XMAX ** 2, int(sys.argv[2]) if len(sys.argv) > 2 else 6, lambda z: z * z), cos_check)
    if "asin" in which:
        report("ASIN_", fit(asin_target, ASIN_XMAX ** 2, int(sys.argv[2]) if len(sys.argv) > 2 else 12, lambda z: z), asin_check)
    if "atan" in which:
        report("ATAN_", fit(atan_target, ATAN_XMAX ** 2, int(sys.argv[2]) if len(sys.argv) > 2 else 11, lambda z: z), atan_check)
    if "const" in which:
        constants()


def trunc_bits(v, bits):
    """v truncated to `bits` significant bits."""
    e = mp.floor(mp.log(abs(v), 2))
    scale = mp.mpf(2) ** (bits - 1 - e)
    return mp.floor(v * scale) / scale


def constants():
    mp.mp.prec = 2000
    pio2 = mp.pi / 2
    print(f"const INV_PIO2 = {dbl(2 / mp.pi)!r};")
    rest = pio2
    for k in (1, 2, 3):
        piece = trunc_bits(rest, 33)
        rest = rest - piece
        print(f"const PIO2_{k} = {dbl(piece)!r}; // {piece == dbl(piece)}")
        print(f"const PIO2_{k}T = {dbl(rest)!r};")
    hi = dbl(pio2)
    print(f"const PIO2_HI = {hi!r};\nconst PIO2_LO = {dbl(pio2 - hi)!r};")
    hi = dbl(mp.pi)
    print(f"const PI_HI = {hi!r};\nconst PI_LO = {dbl(mp.pi - hi)!r};")
    print(f"const PIO4_ROUNDED = {dbl(mp.pi / 4)!r};")
    print(f"const THREE_PIO4_ROUNDED = {dbl(3 * mp.pi / 4)!r};")
    for name, v in (("HALF", mp.atan(mp.mpf(0.5))), ("ONE", mp.atan(1)), ("THREE_HALVES", mp.atan(mp.mpf(1.5))), ("INF", pio2)):
        hi = dbl(v)
        print(f"ATAN_{name}: hi {hi!r} lo {dbl(v - hi)!r}")
    # 2/pi in 24-bit digits after the binary point
    f = 2 / mp.pi
    digits = []
    for _ in range(56):
        f *= 2 ** 24
        d = int(mp.floor(f))
        digits.append(d)
        f -= d
    print("TWO_OVER_PI_DIGITS = [" + ", ".join(f"0x{d:06x}" for d in digits) + "]")


if __name__ == "__main__":
    main()
