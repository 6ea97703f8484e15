#!/usr/bin/env python3
"""Writes referenceValues.json: mpmath values (200-bit arithmetic) at fixed arguments, against which
reference.test.ts checks the double-double reference of the accuracy tests.

    python3 test/runtime/elementary/referenceValues.py   (Debian's python3-mpmath 1.3.0)

Each entry: [arguments..., hi, lo] with hi the nearest double of the exact value and lo the nearest
double of the remainder.
"""
import json, os
from mpmath import mp, mpf, exp, expm1, log, log1p, sqrt, cbrt, sinh, cosh, tanh, asinh, acosh, atanh, power

mp.prec = 200

def pair(v):
    hi = float(v)
    return [hi, float(v - mpf(hi))]

ARGS = {
    "exp": [-700.5, -20.25, -1.0, -0.3, -1e-10, 1e-5, 0.5, 1.0, 2.5, 10.0, 100.125, 700.0],
    "expm1": [-30.0, -2.0, -0.4, -1e-3, -1e-12, 3e-20, 1e-8, 0.01, 0.3, 0.49, 1.5, 40.0],
    "log": [1e-300, 1e-10, 0.1, 0.7, 0.999, 1.0000001, 1.5, 2.0, 10.0, 1e10, 1e300, 5e-324],
    "log1p": [-0.999, -0.5, -0.01, -1e-9, 1e-15, 1e-6, 0.3, 0.7, 1.0, 3.0, 1e5, 1e200],
    "log2": [1e-200, 0.3, 0.9999, 1.001, 3.0, 1e100],
    "log10": [1e-200, 0.3, 0.9999, 1.001, 3.0, 1e100],
    "cbrt": [1e-300, 2e-5, 0.3, 2.0, 3.0, 1e10, 1e300, -7.5],
    "sinh": [-30.0, -2.0, -0.9, -1e-3, 1e-9, 0.3, 0.99, 1.0, 1.5, 20.0, 50.0],
    "cosh": [-30.0, -2.0, -0.9, -1e-3, 1e-9, 0.3, 0.99, 1.5, 20.0, 50.0],
    "tanh": [-5.0, -0.9, -1e-3, 1e-9, 0.3, 0.99, 1.0, 1.5, 10.0],
    "asinh": [-1e100, -5.0, -0.9, -1e-3, 1e-9, 0.3, 1.5, 1.999, 2.0, 3.0, 1e10],
    "acosh": [1.0000000001, 1.001, 1.3, 1.999, 2.0, 10.0, 1e10, 1e200],
    "atanh": [-0.999, -0.5, -1e-3, 1e-9, 0.3, 0.75, 0.9999999],
}
FUNCS = {"exp": exp, "expm1": expm1, "log": log, "log1p": log1p, "log2": lambda x: log(x, 2),
         "log10": lambda x: log(x, 10), "cbrt": lambda x: cbrt(x) if x >= 0 else -cbrt(-x), "sinh": sinh, "cosh": cosh, "tanh": tanh,
         "asinh": asinh, "acosh": acosh, "atanh": atanh}
out = {name: [[x] + pair(FUNCS[name](mpf(x))) for x in xs] for name, xs in ARGS.items()}
out["pow"] = [[x, y] + pair(power(mpf(x), mpf(y))) for x, y in
              [(2.5, 3.25), (0.7, -40.5), (1.0000001, 1e6), (10.0, -300.0), (3.0, 0.5), (1e-5, 20.5), (123.456, 7.0)]]
out["hypot"] = [[x, y] + pair(sqrt(mpf(x) ** 2 + mpf(y) ** 2)) for x, y in
                [(3.0, 4.0), (1.0, 1e-10), (1e200, 3e199), (1e-200, 2e-201), (0.1, 0.2), (5e-310, 1e-309)]]
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "referenceValues.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
