/**
 * Runs the calls a script makes on its fit after brm() (`print(m1)`, `fixef(m1)`,
 * `write.csv(as_draws_df(m1), "d.csv")`, …) on the draws, in script order, and returns what R
 * would print; files are written through `writeFile`.
 */
import { fail } from "../../common/diagnostics";
import type { BrmsModel } from "../buildModel";
import type { PostFitCall } from "../evalScript";
import { parseRScript } from "../parseRScript";
import { deparseR, type RExpr } from "../rAst";
import { formatDrawsCsv } from "./drawsCsv";
import { printArrayList, printHypotheses, printSummaryMatrix, printVarCorr } from "./printSummaries";
import { coef, fixef, hypothesisSummary, posteriorSummary, ranef, varCorr, type PooledDraws } from "./summaries";

/** The fit's draws by brms name, per chain (post-warmup, equal lengths). */
export interface FitDraws {
  readonly variables: readonly string[];
  drawsByChain(name: string): readonly Float64Array[];
}

export interface PostFitContext {
  readonly draws: FitDraws;
  /** brms's `print(fit)` text (also `summary(fit)`). */
  printFit(): string;
  priorSummary(): string;
  /** Scalar sigma variables → the response name VarCorr's `residual__` rows carry. */
  readonly residualNames: ReadonlyMap<string, string>;
  writeFile(path: string, text: string): void;
}

function pooled(draws: FitDraws): PooledDraws {
  const cache = new Map<string, Float64Array>();
  return {
    variables: draws.variables,
    draws(name) {
      let x = cache.get(name);
      if (!x) {
        const chains = draws.drawsByChain(name);
        x = new Float64Array(chains.reduce((n, c) => n + c.length, 0));
        let offset = 0;
        for (const c of chains) {
          x.set(c, offset);
          offset += c.length;
        }
        cache.set(name, x);
      }
      return x;
    },
  };
}

/** Output of every call, each as R prints it (auto-printed at top level). */
export function runPostFit(calls: readonly PostFitCall[], context: PostFitContext): string {
  const fit = pooled(context.draws);
  let out = "";
  for (const call of calls) {
    switch (call.fn) {
      case "print":
      case "summary":
        out += context.printFit();
        break;
      case "prior_summary":
        out += context.priorSummary();
        break;
      case "fixef":
        out += printSummaryMatrix(fixef(fit));
        break;
      case "posterior_summary":
        out += printSummaryMatrix(posteriorSummary(fit));
        break;
      case "ranef":
      case "coef": {
        const groups = call.fn === "ranef" ? ranef(fit) : coef(fit);
        if (groups.size === 0) fail("Semantic error", call.span, `${call.fn}(${call.fitName}): the model has no group-level effects.`, ["Use fixef() for population-level effects."]);
        out += printArrayList(groups);
        break;
      }
      case "VarCorr": {
        const groups = varCorr(fit, context.residualNames);
        if (groups.size === 0) fail("Semantic error", call.span, `VarCorr(${call.fitName}): the model contains no covariance matrices.`);
        out += printVarCorr(groups);
        break;
      }
      case "hypothesis":
        out += printHypotheses([evaluateHypothesis(call, fit)]);
        break;
      case "as_draws_df":
        context.writeFile(call.file ?? "draws.csv", formatDrawsCsv(context.draws, call.writer));
        break;
    }
  }
  return out;
}

/** brms's reading of "left (= | < | >) right" for class b: draws of (left) − (right). */
function evaluateHypothesis(call: PostFitCall, fit: PooledDraws): ReturnType<typeof hypothesisSummary> {
  const span = call.argSpan ?? call.span;
  const text = (call.hypothesis ?? "").replace(/[ \t\r\n]/g, "");
  const signs = text.match(/[=<>]/g) ?? [];
  const sides = text.split(/[=<>]+/).filter((s) => s.length > 0);
  if (signs.length !== 1 || sides.length !== 2) fail("Semantic error", span, "Every hypothesis must be of the form 'left (= OR < OR >) right'.");
  const sign = signs[0] as "<" | ">" | "=";
  const parse = (side: string): RExpr => {
    const parsed = parseRScript(side, `${span.file} (hypothesis)`);
    if (parsed.statements.length !== 1) fail("Semantic error", span, `'${side}' is not an expression.`);
    return parsed.statements[0];
  };
  const left = parse(sides[0]);
  const right = parse(sides[1]);
  const n = fit.draws(fit.variables[0]).length;
  const value = (e: RExpr): Float64Array => {
    switch (e.kind) {
      case "Num":
        return new Float64Array(n).fill(e.value);
      case "Name": {
        const variable = `b_${e.name}`;
        if (!fit.variables.includes(variable)) {
          fail("Semantic error", span, `Some parameters cannot be found in the model: ${variable}`, [
            `hypothesis() tests population-level effects: ${fit.variables.filter((v) => v.startsWith("b_")).map((v) => v.slice(2)).join(", ")}.`,
          ]);
        }
        return fit.draws(variable);
      }
      case "Paren":
        return value(e.inner);
      case "Unary":
        if (e.op === "-") return value(e.operand).map((x) => -x);
        if (e.op === "+") return value(e.operand);
        break;
      case "Binary": {
        const a = value(e.left);
        const b = value(e.right);
        const op = e.op;
        if (op === "+") return a.map((x, i) => x + b[i]);
        if (op === "-") return a.map((x, i) => x - b[i]);
        if (op === "*") return a.map((x, i) => x * b[i]);
        if (op === "/") return a.map((x, i) => x / b[i]);
        if (op === "^") return a.map((x, i) => x ** b[i]);
        break;
      }
      default:
        break;
    }
    return fail("Semantic error", span, `'${deparseR(e)}' is not supported in a hypothesis; use population-level effects, numbers, + - * / ^ and parentheses.`);
  };
  const l = value(left);
  const contrast = sides[1] === "0" ? l : ((r) => l.map((x, i) => x - r[i]))(value(right));
  const name = `(${sides[0]})${sides[1] !== "0" ? `-(${sides[1]})` : ""} ${sign} 0`;
  return hypothesisSummary(name, sign, contrast);
}

/**
 * VarCorr's `residual__` entry: sigma per response (`sigma`, or `sigma_<resp>` in a multivariate
 * model) named by the response, listed by brms only for gaussian-type families whose sigma is
 * one parameter in every response.
 */
export function residualNamesOf(model: BrmsModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of model.responses) {
    if (!r.scalarDpars.some((d) => d.name === "sigma")) return new Map();
    out.set(model.multivariate ? `sigma_${r.resp}` : "sigma", r.resp);
  }
  return out;
}
