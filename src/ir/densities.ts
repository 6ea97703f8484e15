/**
 * Expands a density (an entry's `density` rule, src/primitives/families/) into one fused loop: argument
 * checks with Stan's messages, then `acc += Σ terms(element i)`; terms that only read scalar
 * arguments are added once, times the number of elements. Under `propto` each term is guarded
 * by the arguments it depends on (dropped when they are all data, decided after activity analysis).
 */
import { fail } from "../common/diagnostics";
import type { Span } from "../common/span";
import type { ArgCheck, DensityRule, ExprBuilder } from "../primitives/primitive";
import { GLM_RULES, type Named } from "../primitives/registry";
import { type IrVar, type SExpr, bin, exprIsInt, forEachRead, num, read } from "./ir";
import type { LoweringContext } from "../primitives/primitive";
import { type ContainerValue, type Value, scalar, totalSize } from "./values";

/** Stan's wording for each argument check. */
const CHECK_TEXT: Record<ArgCheck, string> = {
  finite: "must be finite!",
  not_nan: "must not be nan!",
  positive: "must be positive!",
  positive_finite: "must be positive finite!",
  nonnegative: "must be nonnegative!",
  unit_interval: "must be in the interval [0, 1]",
  probability: "must be in the interval [0, 1]",
  angle: "must be in the interval [-3.14159, 3.14159]",
};

function numText(x: number): SExpr {
  if (x === -Infinity) return { k: "num", text: "-Infinity", isInt: false };
  if (x === Infinity) return { k: "num", text: "Infinity", isInt: false };
  return num(String(x), false);
}

function checkCond(kind: ArgCheck, x: SExpr): SExpr {
  switch (kind) {
    case "finite":
      return bin("&&", bin(">", x, numText(-Infinity)), bin("<", x, numText(Infinity)));
    case "not_nan":
      return bin("==", x, x);
    case "positive":
      return bin(">", x, num(0, true));
    case "positive_finite":
      return bin("&&", bin(">", x, num(0, true)), bin("<", x, numText(Infinity)));
    case "nonnegative":
      return bin(">=", x, num(0, true));
    case "unit_interval":
    case "probability":
      return bin("&&", bin(">=", x, num(0, true)), bin("<=", x, num(1, true)));
    case "angle":
      return bin("&&", bin(">=", x, numText(-Math.PI)), bin("<=", x, numText(Math.PI)));
  }
}

/** A literal argument that passes its check needs no code (`normal(0, 1)`). */
function literalPasses(kind: ArgCheck, x: SExpr): boolean {
  if (x.k !== "num") return false;
  const v = Number(x.text);
  switch (kind) {
    case "finite":
      return Number.isFinite(v);
    case "not_nan":
      return !Number.isNaN(v);
    case "positive":
      return v > 0;
    case "positive_finite":
      return v > 0 && Number.isFinite(v);
    case "nonnegative":
      return v >= 0;
    case "unit_interval":
    case "probability":
      return v >= 0 && v <= 1;
    case "angle":
      return v >= -Math.PI && v <= Math.PI;
  }
}

function sameSize(a: SExpr, b: SExpr): boolean {
  const k = (e: SExpr): string =>
    e.k === "num" ? e.text : e.k === "read" && e.at === undefined ? `v${e.v.id}` : e.k === "bin" ? `(${k(e.l)}${e.op}${k(e.r)})` : `?${Math.random()}`;
  return k(a) === k(b);
}

export function expandDensity(l: LoweringContext, rule: Named<DensityRule>, args: readonly Value[], sp: Span, propto: boolean, displayName?: string): Value {
  const fn = displayName ?? rule.name;
  if (args.length !== rule.argNames.length) {
    return fail("Semantic error", sp, `${fn} takes ${rule.argNames.length} argument${rule.argNames.length === 1 ? "" : "s"}, found ${args.length}.`);
  }
  for (const i of rule.intArgs ?? []) {
    const a = args[i];
    const isInt = a.kind === "s" ? exprIsInt(a.e) : a.elem === "int";
    if (!isInt) fail("Semantic error", sp, `${fn}: the ${rule.argNames[i].toLowerCase()} must be an integer.`);
  }
  const containers = args.filter((a): a is ContainerValue => a.kind === "c");
  const n = containers.length > 0 ? totalSize(containers[0].dims) : num(1, true);
  // every container argument must have the same number of elements
  for (let k = 1; k < containers.length; k++) {
    const other = totalSize(containers[k].dims);
    if (sameSize(n, other)) continue;
    l.emit({ k: "check", cond: bin("==", n, other), message: [`${fn}: size of arguments (`, n, ", ", other, ") must match in size"], data: true, loc: l.currentLoc });
  }
  const b: ExprBuilder<SExpr> = {
    num: numText,
    add: (x, y) => bin("+", x, y),
    sub: (x, y) => bin("-", x, y),
    mul: (x, y) => bin("*", x, y),
    div: (x, y) => bin("/", x, y),
    neg: (x) => ({ k: "neg", e: x, isInt: false }),
    call: (f, ...a) => l.scalarCall(f, a, sp),
    ifElse: (c, t, f) => ({ k: "cond", c, t, f, isInt: false }),
    cmp: (op, x, y) => bin(op, x, y),
    or: (x, y) => bin("||", x, y),
  };
  const argAt = (i: SExpr) => args.map((a) => (a.kind === "s" ? a.e : a.at(i)));
  const guard = (deps: readonly number[], e: SExpr, at: readonly SExpr[]): SExpr => (propto ? { k: "guard", deps: deps.map((d) => at[d]), e } : e);
  // checks on scalar arguments, once
  const checkOne = (i: number, kind: ArgCheck, x: SExpr, index?: SExpr) =>
    literalPasses(kind, x) ||
    l.emit({
      k: "check",
      cond: checkCond(kind, x),
      message: index === undefined ? [`${fn}: ${rule.argNames[i]} is `, x, `, but ${CHECK_TEXT[kind]}`] : [`${fn}: ${rule.argNames[i]}[`, bin("+", index, num(1, true)), "] is ", x, `, but ${CHECK_TEXT[kind]}`],
      data: false,
      loc: l.currentLoc,
    });
  for (const [i, kind] of rule.checks) {
    const a = args[i];
    if (a.kind === "s") checkOne(i, kind, a.e);
  }
  // A term is per element when it reads a container argument (whether or not it *depends* on it
  // for propto: log n! reads the variate but is a constant). Probe with a marker per container.
  const marker: IrVar = { id: -1, js: "marker__", stanName: "marker__", elem: "real", base: "real", arrayDims: 0, dims: [], role: "temp", active: false };
  const probeArgs = args.map((a) => (a.kind === "s" ? a.e : read(marker)));
  const readsContainer = (t: DensityRule["terms"][number]) => {
    let found = false;
    forEachRead(t.f(b, probeArgs), (v) => (found ||= v === marker));
    return found;
  };
  const elementTerms = rule.terms.filter(readsContainer);
  const scalarTerms = rule.terms.filter((t) => !readsContainer(t));
  let total: SExpr | undefined;
  if (containers.length > 0) {
    const acc = l.scalarTemp("real", "lp");
    l.emit({ k: "assign", lhs: { v: acc }, op: "=", rhs: num(0, true) });
    l.loop(n, (i) => {
      const at = argAt(i);
      let sum: SExpr | undefined;
      for (const t of elementTerms) {
        const e = guard(t.deps, t.f(b, at), at);
        sum = sum ? bin("+", sum, e) : e;
      }
      if (sum) l.emit({ k: "assign", lhs: { v: acc }, op: "+=", rhs: sum });
    });
    // Element checks run only when the sum is not finite (an invalid argument always makes it
    // NaN or infinite), so the hot loop carries none; they then find and report the element.
    const elementChecks = rule.checks.filter(([k]) => args[k].kind === "c");
    if (elementChecks.length > 0) {
      const finite = bin("&&", bin(">", read(acc), numText(-Infinity)), bin("<", read(acc), numText(Infinity)));
      const diagnose = l.collect(() =>
        l.loop(n, (i) => {
          const at = argAt(i);
          for (const [k, kind] of elementChecks) checkOne(k, kind, at[k], i);
        }),
      );
      l.emit({ k: "if", cond: { k: "not", e: finite }, then: diagnose, otherwise: [] });
    }
    total = read(acc);
  }
  const at0 = args.map((a) => (a.kind === "s" ? a.e : num(0, true)));
  for (const t of scalarTerms) {
    const e = guard(t.deps, t.f(b, at0), at0);
    const scaled = containers.length > 0 ? bin("*", n, e) : e;
    total = total ? bin("+", total, scaled) : scaled;
  }
  return scalar(total ?? num(0, false));
}

/** GLM densities: the linear predictor alpha + X·beta (one product loop), then the density. */
export function expandGlm(l: LoweringContext, name: string, args: readonly Value[], sp: Span, propto: boolean, rules: ReadonlyMap<string, Named<DensityRule>>): Value | undefined {
  const base = name.replace(/_lup([dm])f$/, "_lp$1f");
  const glm = GLM_RULES.get(base);
  if (!glm) return undefined;
  const rule = rules.get(glm.of);
  if (!rule) throw new Error(`internal error: ${base} expands to ${glm.of}, which has no density rule`);
  // the density's arguments after the variate: the location, then any further parameters
  const expected = 2 + rule.argNames.length;
  if (args.length !== expected) return fail("Semantic error", sp, `${base} takes ${expected} arguments, found ${args.length}.`);
  const [y, X, alpha, beta] = args;
  if (X.kind !== "c" || beta.kind !== "c") return fail("Semantic error", sp, `${base}: X must be a matrix and beta a vector.`);
  const xb = l.binary("*", X, beta, sp);
  const eta = l.binary("+", alpha, xb, sp);
  return expandDensity(l, rule, [y, eta, ...args.slice(4)], sp, propto, base);
}
