/**
 * A non-linear formula's value per draw, as brms 2.18's predictions evaluate it after the fit:
 * in R, over the nlpars' linear predictors and the covariates (mu's inverse link is the
 * caller's). The expression passed nonlinear.ts's check, so it holds numbers, names, arithmetic,
 * comparisons and Stan scalar functions; brms evaluates those with R's functions or its own R
 * versions (`step(x)` is 1 only for x > 0 there, `cbrt(x)` is x^(1/3)), and the Stan functions
 * neither R nor brms defines (Phi_approx, tgamma, erf, erfc, ceil, fmin, fmax, fdim) stop brms's
 * log_lik, posterior_predict and conditional_effects ("could not find function"), so they are
 * refused here too (functionsRLacks). Values use the runtime's deterministic functions, the same
 * bits on every engine.
 */
import { acos, acosh, asin, asinh, atan, atan2, atanh, cos, cosh, exp, expm1, hypot, log, log10, log1p, log2, pow, sin, sinh, tan, tanh } from "../../runtime/math/elementary";
import { Phi, digamma, inv_cloglog, inv_logit, lbeta, lgamma, log1m, log1m_exp, log1m_inv_logit, log1p_exp, log_inv_logit, logit } from "../../runtime/math/special";
import type { RExpr } from "../rAst";

const UNARY: Readonly<Record<string, (x: number) => number>> = {
  exp,
  log,
  log1p,
  expm1,
  log2,
  log10,
  exp2: (x) => pow(2, x),
  sqrt: Math.sqrt,
  // brms's R cbrt is x^(1/3): NaN below 0
  cbrt: (x) => pow(x, 1 / 3),
  square: (x) => x * x,
  inv: (x) => 1 / x,
  inv_sqrt: (x) => 1 / Math.sqrt(x),
  inv_square: (x) => 1 / (x * x),
  inv_logit,
  logit,
  log_inv_logit,
  log1m_inv_logit,
  inv_cloglog,
  log1m,
  log1m_exp,
  log1p_exp,
  Phi,
  lgamma,
  digamma,
  sin,
  cos,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  tanh,
  asinh,
  acosh,
  atanh,
  fabs: Math.abs,
  abs: Math.abs,
  floor: Math.floor,
  // R's round() (brms evaluates the formula in R) rounds half to even
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  trunc: Math.trunc,
  // brms's R step(): ifelse(x > 0, 1, 0) (Stan's step(0) is 1)
  step: (x) => (x > 0 ? 1 : 0),
};

const BINARY: Readonly<Record<string, (x: number, y: number) => number>> = {
  pow,
  hypot,
  atan2,
  lbeta,
};

const OPERATORS: Readonly<Record<string, (x: number, y: number) => number>> = {
  "+": (x, y) => x + y,
  "-": (x, y) => x - y,
  "*": (x, y) => x * y,
  "/": (x, y) => x / y,
  "^": pow,
  "==": (x, y) => Number(x === y),
  "!=": (x, y) => Number(x !== y),
  "<": (x, y) => Number(x < y),
  "<=": (x, y) => Number(x <= y),
  ">": (x, y) => Number(x > y),
  ">=": (x, y) => Number(x >= y),
  "&&": (x, y) => Number(x !== 0 && y !== 0),
  "||": (x, y) => Number(x !== 0 || y !== 0),
};

/** The functions an expression calls that R (with brms) does not define, first occurrence first. */
export function functionsRLacks(expr: RExpr, out: string[] = []): string[] {
  switch (expr.kind) {
    case "Paren":
      return functionsRLacks(expr.inner, out);
    case "Unary":
      return functionsRLacks(expr.operand, out);
    case "Binary":
      functionsRLacks(expr.left, out);
      return functionsRLacks(expr.right, out);
    case "Call": {
      const name = (expr.fn as Extract<RExpr, { kind: "Name" }>).name;
      const known = expr.args.length === 1 ? UNARY[name] : expr.args.length === 2 ? BINARY[name] : undefined;
      if (!known && !out.includes(name)) out.push(name);
      for (const a of expr.args) functionsRLacks(a.value, out);
      return out;
    }
    default:
      return out;
  }
}

/** The value a name stands for: an nlpar's linear predictor per draw, or a covariate's value in this row. */
export type NonlinearName = Float64Array | number;

/** The expression's value for each of `draws` draws. */
export function evaluateNonlinear(expr: RExpr, valueOf: (name: string) => NonlinearName, draws: number): Float64Array {
  const at = (e: RExpr): NonlinearName => {
    switch (e.kind) {
      case "Num":
        return e.value;
      case "Name":
        return valueOf(e.name);
      case "Paren":
        return at(e.inner);
      case "Unary": {
        const x = at(e.operand);
        const f = e.op === "-" ? (v: number) => -v : e.op === "!" ? (v: number) => Number(v === 0) : (v: number) => v;
        return typeof x === "number" ? f(x) : x.map(f);
      }
      case "Binary":
        return combine(OPERATORS[e.op], at(e.left), at(e.right), draws);
      case "Call": {
        const name = (e.fn as Extract<RExpr, { kind: "Name" }>).name;
        const args = e.args.map((a) => at(a.value));
        if (args.length === 1 && UNARY[name]) {
          const x = args[0];
          return typeof x === "number" ? UNARY[name](x) : x.map(UNARY[name]);
        }
        if (args.length === 2 && BINARY[name]) return combine(BINARY[name], args[0], args[1], draws);
        throw new Error(`internal error: the non-linear function '${name}' with ${args.length} arguments passed the check`);
      }
      default:
        throw new Error(`internal error: a non-linear expression of kind ${e.kind} passed the check`);
    }
  };
  const value = at(expr);
  return typeof value === "number" ? new Float64Array(draws).fill(value) : value;
}

function combine(f: ((x: number, y: number) => number) | undefined, x: NonlinearName, y: NonlinearName, draws: number): NonlinearName {
  if (!f) throw new Error("internal error: an operator of a non-linear expression passed the check without a meaning");
  if (typeof x === "number" && typeof y === "number") return f(x, y);
  const out = new Float64Array(draws);
  for (let s = 0; s < draws; s++) out[s] = f(typeof x === "number" ? x : x[s], typeof y === "number" ? y : y[s]);
  return out;
}
