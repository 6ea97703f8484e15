/**
 * The sweep-IR optimisations of pure calls (issue 16): `hoist-invariant-calls`
 * (src/ir/hoistInvariantCalls.ts) and `share-pure-calls` (src/ir/sharePureCalls.ts). Sweep IR in,
 * sweep IR out (printed), what each must refuse to move or merge, and whole programs whose
 * gradients still agree with finite differences (that the draws do not change by a bit is
 * scripts/drawsFingerprint.ts's to show).
 */
import { describe, expect, it } from "vitest";
import { printJsStmts } from "../../src/codegen/printJsIr";
import { compileStan } from "../../src/driver/compile";
import { foldLiterals } from "../../src/ir/foldLiterals";
import { hoistInvariantCalls } from "../../src/ir/hoistInvariantCalls";
import { type JsExpr, type JsStmt, jsBinary, jsCall, jsIndex, jsLit, jsName } from "../../src/ir/jsIr";
import { sharePureCalls } from "../../src/ir/sharePureCalls";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";

const n = jsName;
const decl = (name: string, init: JsExpr): JsStmt => ({ k: "decl", kind: "const", name, init });
const addTo = (target: JsExpr, value: JsExpr): JsStmt => ({ k: "assign", target, op: "+=", value });
const set = (target: JsExpr, value: JsExpr): JsStmt => ({ k: "assign", target, op: "=", value });
const loop = (v: string, to: JsExpr, body: JsStmt[]): JsStmt => ({ k: "for", v, from: jsLit("0"), test: "<", to, step: "++", body });
const at = (array: string, i: string) => jsIndex(n(array), n(i));

function names(hint: string): () => string {
  let k = 0;
  return () => `${hint}${++k}__`;
}
const print = (stmts: readonly JsStmt[]) => printJsStmts(stmts);

describe("fold-literals", () => {
  it("folds integer literal arithmetic and pow(x, 1), so pow(x, 2)'s partial is 2 * x", () => {
    const partial = jsBinary("*", jsLit("2"), jsCall("pow", n("x"), jsBinary("-", jsLit("2"), jsLit("1"))));
    expect(print(foldLiterals([addTo(n("g"), partial), addTo(n("lp"), jsBinary("*", jsBinary("-", jsLit("2"), jsLit("1")), n("a")))]))).toEqual([
      "g += 2 * x;",
      "lp += 1 * a;",
    ]);
  });

  it("leaves what would not give the same bits: non-integers, -0, pow with another exponent", () => {
    const stmts = [
      addTo(n("a"), jsBinary("-", jsLit("0.1"), jsLit("1"))),
      addTo(n("a"), jsBinary("*", jsLit("0"), jsLit("-1"))),
      addTo(n("a"), jsCall("pow", n("x"), jsLit("0.5"))),
    ];
    expect(print(foldLiterals(stmts))).toEqual(["a += 0.1 - 1;", "a += 0 * -1;", "a += pow(x, 0.5);"]);
  });
});

describe("hoist-invariant-calls", () => {
  it("moves a pure call on a parameter out of the loop, once for all its occurrences", () => {
    const body = [
      addTo(n("lp"), jsBinary("-", jsCall("log", n("sigma")), at("y", "i"))),
      addTo(n("sigma_adj"), jsBinary("*", n("g"), jsCall("log", n("sigma")))),
    ];
    expect(print(hoistInvariantCalls([loop("i", n("N"), body)], names("inv")))).toEqual([
      "const inv1__ = log(sigma);",
      "for (let i = 0; i < N; i++) {",
      "lp += inv1__ - y[i];",
      "sigma_adj += g * inv1__;",
      "}",
    ]);
  });

  it("keeps calls whose arguments the loop changes: the loop variable, an assigned scalar, an array an impure call receives", () => {
    const body = [
      addTo(n("lp"), jsCall("exp", at("x", "i"))),
      set(n("s"), jsBinary("+", n("s"), jsLit("1"))),
      addTo(n("lp"), jsCall("log", n("s"))),
      { k: "effect", e: jsCall("normal_lpdf_vp", n("d1__"), n("mu")) } as JsStmt,
      addTo(n("lp"), jsCall("exp", jsIndex(n("d1__"), jsLit("0")))),
    ];
    const out = print(hoistInvariantCalls([loop("i", n("N"), body)], names("inv")));
    expect(out[0]).toBe("for (let i = 0; i < N; i++) {");
    expect(out.join("\n")).not.toContain("inv");
  });

  it("an inner loop's invariant leaves the outer loop too when the outer loop does not change it, and stays when it does", () => {
    const inner = loop("j", n("M"), [addTo(n("lp"), jsBinary("*", jsCall("log", n("tau")), jsCall("exp", at("b", "i"))))]);
    expect(print(hoistInvariantCalls([loop("i", n("N"), [inner])], names("inv")))).toEqual([
      "const inv1__ = log(tau);",
      "for (let i = 0; i < N; i++) {",
      "const inv2__ = exp(b[i]);",
      "for (let j = 0; j < M; j++) {",
      "lp += inv1__ * inv2__;",
      "}",
      "}",
    ]);
  });

  it("never moves an impure call or a tape pop", () => {
    const body = [addTo(n("lp"), jsCall("normal_lpdf", n("mu"), n("sigma"))), addTo(n("a"), jsCall("exp", { k: "pop" }))];
    expect(print(hoistInvariantCalls([loop("i", n("N"), body)], names("inv")))[0]).toBe("for (let i = 0; i < N; i++) {");
  });
});

describe("share-pure-calls", () => {
  it("binds a call repeated in a later statement (through a constant holding its argument) and reuses a constant that is the call", () => {
    const eta = jsBinary("+", n("alpha"), at("x", "i"));
    const stmts = [
      addTo(n("lp"), jsBinary("-", jsBinary("*", at("y", "i"), eta), jsCall("exp", eta))),
      {
        k: "block",
        body: [decl("x3__", eta), decl("y4__", jsCall("exp", n("x3__"))), addTo(n("alpha_adj"), jsBinary("*", n("g"), n("y4__")))],
      } as JsStmt,
    ];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual([
      "const shared1__ = exp(alpha + x[i]);",
      "lp += y[i] * (alpha + x[i]) - shared1__;",
      "{",
      "const x3__ = alpha + x[i];",
      "const y4__ = shared1__;",
      "alpha_adj += g * y4__;",
      "}",
    ]);
  });

  it("a constant that is the call's first evaluation is its binding", () => {
    const stmts = [decl("e1__", jsCall("exp", n("a"))), addTo(n("lp"), jsCall("exp", n("a")))];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual(["const e1__ = exp(a);", "lp += e1__;"]);
  });

  it("does not share across an assignment to an argument, and binds no call that runs only conditionally", () => {
    const stmts = [
      addTo(n("lp"), jsCall("log", n("s"))),
      set(n("s"), jsLit("2")),
      addTo(n("lp"), jsCall("log", n("s"))),
      addTo(n("lp"), { k: "cond", c: jsBinary("<", n("a"), jsLit("0")), t: jsCall("exp", n("a")), f: jsLit("0") }),
      addTo(n("lp"), jsCall("exp", n("a"))),
    ];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual([
      "lp += log(s);",
      "s = 2;",
      "lp += log(s);",
      "lp += a < 0 ? exp(a) : 0;",
      "lp += exp(a);",
    ]);
  });

  it("binds a call that both arms of a ?: evaluate (it runs whichever arm does), and the later statements read it", () => {
    const e = jsCall("exp", n("x"));
    const value = { k: "cond", c: jsBinary("<", n("x"), jsLit("0")), t: jsBinary("-", n("x"), jsCall("log1p", e)), f: jsCall("log1p", e) } as JsExpr;
    const stmts = [addTo(n("lp"), value), addTo(n("g"), jsBinary("/", e, jsBinary("+", jsLit("1"), e)))];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual([
      "const shared1__ = exp(x);",
      "const shared2__ = log1p(shared1__);",
      "lp += x < 0 ? x - shared2__ : shared2__;",
      "g += shared1__ / (1 + shared1__);",
    ]);
  });

  it("a loop body starts without the bindings of names the loop changes", () => {
    const stmts = [
      addTo(n("lp"), jsCall("exp", n("a"))),
      loop("i", n("N"), [addTo(n("lp"), jsCall("exp", n("a"))), set(n("a"), at("x", "i"))]),
      addTo(n("lp"), jsCall("exp", n("a"))),
    ];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual([
      "lp += exp(a);",
      "for (let i = 0; i < N; i++) {",
      "lp += exp(a);",
      "a = x[i];",
      "}",
      "lp += exp(a);",
    ]);
  });

  it("does not bind an array element's call before a statement whose impure call could write the array", () => {
    const read = jsCall("exp", jsIndex(n("d1__"), jsLit("0")));
    const stmts = [
      addTo(n("lp"), jsBinary("+", jsCall("kernel_vp", n("d1__")), read)),
      addTo(n("lp"), read),
    ];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual(["lp += kernel_vp(d1__) + exp(d1__[0]);", "lp += exp(d1__[0]);"]);
  });

  it("without the impure call the same two statements share the element's call", () => {
    const read = jsCall("exp", jsIndex(n("d1__"), jsLit("0")));
    const stmts = [addTo(n("lp"), jsBinary("+", n("c"), read)), addTo(n("lp"), read)];
    expect(print(sharePureCalls(stmts, names("shared")))).toEqual(["const shared1__ = exp(d1__[0]);", "lp += c + shared1__;", "lp += shared1__;"]);
  });
});

// A program with a loop-invariant log of a parameter (normal with a scalar scale in a loop), a
// call shared by a density's value and its partial (poisson_log), log_sum_exp of two with a
// parameter's log (neg_binomial_2_log) and pow(x, 2): the shapes the passes rewrite.
const STAN = `data { int N; vector[N] x; array[N] int k; int J; vector[J] y; }
parameters { real a; real b; real<lower=0> sigma; real<lower=0> phi; }
model {
  for (j in 1:J) y[j] ~ normal(a + b * j, sigma);
  k ~ poisson_log(a + b * x);
  k ~ neg_binomial_2_log(a - b * x, phi);
  target += log_mix(inv_logit(a), normal_lpdf(b | 0, sigma), normal_lpdf(b | 1, phi));
  sigma ~ exponential(1);
  phi ~ gamma(2, 0.5);
  target += -0.5 * pow(a - b, 2);
}`;
const DATA = { N: 6, x: [0.5, -1, 2, 0.3, 1.1, -0.4], k: [1, 0, 4, 2, 3, 0], J: 4, y: [0.2, 0.1, -0.4, 1.3] };

// bernoulli_logit and a parameter with both bounds: log_inv_logit, log1m_inv_logit and inv_logit
// are formulas over one exp(−|x|), which the value, both arms and the partials share.
const LOGISTIC = `data { int N; vector[N] x; array[N] int<lower=0, upper=1> y; }
parameters { real a; real b; real<lower=-1, upper=2> c; }
model {
  y ~ bernoulli_logit(a + b * x);
  target += log_inv_logit(c) + log1m_inv_logit(b - c);
  a ~ normal(0, 1);
}`;
const LOGISTIC_DATA = { N: 5, x: [0.5, -1, 2, 0.3, -40], y: [1, 0, 1, 1, 0] };

describe("the logistic functions as formulas over one exp(−|x|)", () => {
  it("share one exp and one log1p between bernoulli_logit's value, both its arms and its partial", async () => {
    const code = (await compileStan(LOGISTIC, "logistic.stan", {})).code.replace(/^const STAN_CODE__ =.*$/m, "");
    const loop = code.slice(code.indexOf("// ---- forward sweep"), code.indexOf("// ---- reverse sweep"));
    expect(loop).toMatch(/const (shared\d+__) = exp\(-Math\.abs\(a \+ b \* x\[i\d+__\]\)\);\s+const shared\d+__ = log1p\(\1\);/);
    // the runtime helpers are no longer called (only Stan-line comments name them)
    const mathImport = /import \{([^}]*)\} from "[^"]*runtime\/math\/index"/.exec(code)?.[1] ?? "";
    expect(mathImport).not.toMatch(/inv_logit/);
  });

  it("keep the gradient exact (finite differences at random points, and far out where exp(−|x|) underflows)", async () => {
    const inst = (await loadCompiled(LOGISTIC, "logistic.stan")).create(LOGISTIC_DATA);
    const u = seededUniform(9);
    for (let t = 0; t < 6; t++) {
      const r = coordinateCheck(inst, randomPoint(inst.dim, u, 2));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });
});

describe("the passes on a whole program", () => {
  it("hoist the parameters' logs out of the loops and bind the calls the value and its partials share", async () => {
    const code = (await compileStan(STAN, "calls.stan", {})).code.replace(/^const STAN_CODE__ =.*$/m, "");
    expect(code).toMatch(/const inv\d+__ = log\(sigma\);/);
    expect(code).toMatch(/const inv\d+__ = digamma\(phi\);/);
    expect(code).toMatch(/const shared\d+__ = exp\(a \+ b \* x\[i\d+__\]\);/);
    expect(code).toMatch(/const shared\d+__ = log_sum_exp2\(/);
    // fold-literals: pow(x, 2)'s partial 2 * pow(x, 2 - 1) is 2 * x
    expect(code).toMatch(/2 \* x\d+__/);
    expect(code).not.toMatch(/pow\([^()]*, 2 - 1\)|pow\([^()]*, 1\)/);
  });

  it("keep the gradient exact (finite differences at random points)", async () => {
    const inst = (await loadCompiled(STAN, "calls.stan")).create(DATA);
    const u = seededUniform(5);
    for (let t = 0; t < 6; t++) {
      const r = coordinateCheck(inst, randomPoint(inst.dim, u));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });
});
