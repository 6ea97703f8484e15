/**
 * A non-linear formula's value per draw, as brms 2.18's predictions evaluate it after the fit
 * (the expression over the nlpars' linear predictors and the covariates, then mu's inverse link
 * by the caller). The expression passed nonlinear.ts's check, so it holds numbers, names,
 * arithmetic, comparisons and the Stan scalar functions brms users write; each is computed with
 * the runtime's deterministic functions, so the values are the same bits on every engine.
 */
import { acos, acosh, asin, asinh, atan, atan2, atanh, cbrt, cos, cosh, exp, expm1, hypot, log, log10, log1p, log2, pow, sin, sinh, tan, tanh } from "../../runtime/math/elementary";
import { Phi, Phi_approx, digamma, erf, erfc, inv_cloglog, inv_logit, lbeta, lgamma, log1m, log1m_exp, log1m_inv_logit, log1p_exp, log_inv_logit, logit, tgamma } from "../../runtime/math/special";
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
  cbrt,
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
  Phi_approx,
  lgamma,
  tgamma,
  digamma,
  erf,
  erfc,
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
  ceil: Math.ceil,
  // R's round() (brms evaluates the formula in R) rounds half to even
  round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  trunc: Math.trunc,
  step: (x) => (x < 0 ? 0 : 1),
};

const BINARY: Readonly<Record<string, (x: number, y: number) => number>> = {
  pow,
  fmin: Math.min,
  fmax: Math.max,
  fdim: (x, y) => (x > y ? x - y : 0),
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
