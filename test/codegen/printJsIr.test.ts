/**
 * The sweep IR's printer (src/codegen/printJsIr.ts): only the parentheses JavaScript's precedence
 * needs, and the values JavaScript computes from the printed text are the trees' own (each tree is
 * evaluated directly and through its printed text); statements one a line, short ones on one line.
 */
import { describe, expect, it } from "vitest";
import { type JsExpr, type JsStmt, jsBinary, jsCall, jsIndex, jsLit, jsName, jsNeg, jsNot } from "../../src/ir/jsIr";
import { printJsExpr, printJsStmts } from "../../src/codegen/printJsIr";
import { differentiate } from "../../src/ad/differentiate";
import { lowerStan } from "../../src/driver/compile";

const a = jsName("a");
const b = jsName("b");
const c = jsName("c");

/** The tree's value computed directly (the reference the printed text must reproduce). */
function evaluate(e: JsExpr, env: Record<string, number>): number | boolean {
  switch (e.k) {
    case "lit":
      return Number(e.text);
    case "name":
      return env[e.name];
    case "unary":
      return e.op === "-" ? -(evaluate(e.e, env) as number) : !evaluate(e.e, env);
    case "binary": {
      const l = evaluate(e.l, env) as number;
      const r = evaluate(e.r, env) as number;
      switch (e.op) {
        case "+": return l + r;
        case "-": return l - r;
        case "*": return l * r;
        case "/": return l / r;
        case "%": return l % r;
        case "<": return l < r;
        case "<=": return l <= r;
        case ">": return l > r;
        case ">=": return l >= r;
        case "===": return l === r;
        case "!==": return l !== r;
        case "&&": return (l as unknown as boolean) && (r as unknown as boolean);
        case "||": return (l as unknown as boolean) || (r as unknown as boolean);
      }
      throw new Error("unreachable");
    }
    case "cond":
      return evaluate(e.c, env) ? evaluate(e.t, env) : evaluate(e.f, env);
    default:
      throw new Error(`not evaluated here: ${e.k}`);
  }
}

function viaText(e: JsExpr, env: Record<string, number>): number | boolean {
  return new Function(...Object.keys(env), `return ${printJsExpr(e)};`)(...Object.values(env)) as number | boolean;
}

describe("expressions", () => {
  it("parenthesise only where precedence or associativity needs it", () => {
    expect(printJsExpr(jsBinary("-", a, jsBinary("-", b, c)))).toBe("a - (b - c)");
    expect(printJsExpr(jsBinary("-", jsBinary("-", a, b), c))).toBe("a - b - c");
    expect(printJsExpr(jsBinary("*", jsBinary("+", a, b), c))).toBe("(a + b) * c");
    expect(printJsExpr(jsBinary("/", jsBinary("*", a, b), c))).toBe("a * b / c");
    expect(printJsExpr(jsBinary("/", a, jsBinary("*", b, c)))).toBe("a / (b * c)");
    expect(printJsExpr({ k: "unary", op: "-", e: { k: "unary", op: "-", e: a } })).toBe("-(-a)");
    expect(printJsExpr({ k: "unary", op: "-", e: jsLit("-1") })).toBe("-(-1)");
    expect(printJsExpr(jsNot(jsBinary("<", a, b)))).toBe("!(a < b)");
    expect(printJsExpr(jsIndex(jsName("x"), jsBinary("-", a, jsLit("1"))))).toBe("x[a - 1]");
    expect(printJsExpr(jsCall("Math.pow", jsBinary("+", a, b), c))).toBe("Math.pow(a + b, c)");
    expect(printJsExpr({ k: "cond", c: { k: "cond", c: jsBinary("<", a, b), t: jsLit("1"), f: jsLit("0") }, t: a, f: b })).toBe(
      "(a < b ? 1 : 0) ? a : b",
    );
    expect(printJsExpr({ k: "quote", e: jsBinary("-", jsName("N"), jsLit("1")) })).toBe('"N - 1"');
    expect(printJsExpr({ k: "string", value: 'say "hi"\u2028' })).toBe('"say \\"hi\\"\\u2028"');
  });

  it("the printed text computes what the tree says, over random trees and values", () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const names = ["a", "b", "c"];
    const ops = ["+", "-", "*", "/", "%"] as const;
    const tree = (depth: number): JsExpr => {
      const r = random();
      if (depth === 0 || r < 0.2) return random() < 0.7 ? jsName(names[Math.floor(random() * 3)]) : jsLit(String(Math.round(random() * 20 - 10) / 4));
      if (r < 0.35) return jsNeg(tree(depth - 1));
      if (r < 0.45) return { k: "unary", op: "-", e: tree(depth - 1) };
      if (r < 0.55) return { k: "cond", c: jsBinary(random() < 0.5 ? "<" : "===", tree(depth - 1), tree(depth - 1)), t: tree(depth - 1), f: tree(depth - 1) };
      return jsBinary(ops[Math.floor(random() * ops.length)], tree(depth - 1), tree(depth - 1));
    };
    for (let i = 0; i < 2000; i++) {
      const e = tree(5);
      const env = { a: random() * 10 - 5, b: random() * 10 - 5, c: random() * 10 - 5 };
      expect(Object.is(viaText(e, env), evaluate(e, env)), printJsExpr(e)).toBe(true);
    }
  });
});

describe("statements", () => {
  it("one a line; a compact if or loop on one line; a tape push grows the tape first", () => {
    const stmts: JsStmt[] = [
      { k: "comment", text: "m.stan:3  y ~ normal(mu, 1); */ process.exit(1)\r\nnext" },
      { k: "decl", kind: "const", name: "g1__", init: jsName("mu_adj__") },
      { k: "if", cond: jsNot(jsBinary(">", a, jsLit("0"))), then: [{ k: "assign", target: jsName("loc__"), op: "=", value: jsLit("2") }, { k: "throw", e: { k: "new", ctor: "Error", args: [] } }], otherwise: [], compact: true },
      { k: "for", v: "k", from: jsLit("0"), test: "<", to: jsName("n"), step: "++", body: [{ k: "assign", target: jsIndex(jsName("x"), jsName("k")), op: "+=", value: jsLit("1") }], compact: true },
      { k: "for", v: "i", from: jsName("N"), test: ">=", to: jsBinary("+", jsName("j"), jsLit("1")), step: "--", body: [{ k: "push", value: a }] },
      { k: "if", cond: jsBinary("!==", { k: "pop" }, jsLit("0")), then: [{ k: "jump", kind: "break" }], otherwise: [{ k: "increment", name: "t" }] },
    ];
    expect(printJsStmts(stmts)).toEqual([
      "// m.stan:3  y ~ normal(mu, 1); * / process.exit(1) next",
      "const g1__ = mu_adj__;",
      "if (!(a > 0)) { loc__ = 2; throw new Error(); }",
      "for (let k = 0; k < n; k++) x[k] += 1;",
      "for (let i = N; i >= j + 1; i--) {",
      "if (tp__ === tape__.length) tape__ = growTape__(tape__);",
      "tape__[tp__++] = a;",
      "}",
      "if (tape__[--tp__] !== 0) {",
      "break;",
      "} else {",
      "t++;",
      "}",
    ]);
  });
});

describe("reverse mode builds the adjoint as IR", () => {
  it("the adjoint sweep of a program is statements over adjoint names, not text", () => {
    const ir = lowerStan("parameters { real mu; real<lower=0> s; }\nmodel { mu ~ normal(0, s); s ~ exponential(1); }\n", "tiny.stan");
    const sweeps = differentiate(ir);
    const assigned: string[] = [];
    const visit = (ss: readonly JsStmt[]) => {
      for (const s of ss) {
        if (s.k === "assign" && s.target.k === "name") assigned.push(s.target.name);
        if (s.k === "block" || s.k === "for" || s.k === "while") visit(s.body);
        if (s.k === "if") {
          visit(s.then);
          visit(s.otherwise);
        }
      }
    };
    visit(sweeps.gradient.adjoint);
    expect(assigned).toContain("mu_adj__");
    expect(assigned).toContain("s_adj__");
    expect(sweeps.gradient.adjoint.some((s) => s.k === "comment" && s.text.startsWith("adjoint of tiny.stan:2"))).toBe(true);
  });
});
