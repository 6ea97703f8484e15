import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseStan } from "../../src/parse/parseStan";
import { CompileError, renderDiagnostic } from "../../src/common/diagnostics";
import type { Expr, Stmt } from "../../src/ast/ast";
import { sexpr, withoutSpans } from "./astShape";

const GOOD = fileURLToPath(new URL("../../fixtures/stan/good/", import.meta.url));

function expr(text: string): Expr {
  const { program } = parseStan(`model { x = ${text}; }`, "e.stan");
  const s = program.model!.stmts[0];
  if (s.kind !== "Assign") throw new Error("not an assignment");
  return s.rhs;
}

function modelStmts(body: string): readonly Stmt[] {
  return parseStan(`model { ${body} }`, "s.stan").program.model!.stmts;
}

function errorOf(src: string): string {
  try {
    parseStan(src, "bad.stan");
  } catch (e) {
    if (e instanceof CompileError)
      return renderDiagnostic(
        e.diagnostic,
        (e as CompileError & { sources: Map<string, string> }).sources,
      );
    throw e;
  }
  throw new Error("expected a syntax error");
}

describe("parseStan on the good fixtures", () => {
  const files = readdirSync(GOOD).filter((f) => f.endsWith(".stan"));
  it("finds fixtures", () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    it(`parses ${f}`, () => {
      const { program } = parseStan(readFileSync(GOOD + f, "utf8"), f);
      expect(program.file).toBe(f);
      expect(program.model ?? program.generatedQuantities ?? program.transformedData).toBeDefined();
    });
  }
});

describe("expression precedence and associativity", () => {
  const cases: [string, string][] = [
    ["a + b * c", "(+ a (* b c))"],
    ["a - b - c", "(- (- a b) c)"],
    ["-a ^ 2", "(-u (^ a 2))"],
    ["a ^ b ^ c", "(^ a (^ b c))"],
    ["a ^ -b", "(^ a (-u b))"],
    ["a * b .* c", "(* a (.* b c))"],
    ["a \\ b * c", "(* (\\ a b) c)"],
    ["-a .* b", "(.* (-u a) b)"],
    ["a || b && c == d < e + f", "(|| a (&& b (== c (< d (+ e f)))))"],
    ["a ? b : c ? d : e", "(? a b (? c d e))"],
    ["!a || b", "(|| (!u a) b)"],
    ["x' * y", "(* (' x) y)"],
    ["a[i]'", "(' (idx a i))"],
    ["a %/% b % c", "(% (%/% a b) c)"],
    ["(a + b) * c", "(* (paren (+ a b)) c)"],
    ["a .^ 2 ./ b", "(./ (.^ a 2) b)"],
    ["a <= b >= c", "(>= (<= a b) c)"],
    ["1.5e-3 * 2", "(* 1.5e-3 2)"],
  ];
  for (const [src, tree] of cases) it(src, () => expect(sexpr(expr(src))).toBe(tree));
});

describe("indexing, calls and literals", () => {
  it("parses every index form", () => {
    expect(sexpr(expr("a[i, , 2:K, :3, 4:, :]"))).toBe("(idx a i,all,2:K,:3,4:,all)");
    expect(sexpr(expr("a[i][j]"))).toBe("(idx (idx a i) j)");
    expect(sexpr(expr("a[idxs]"))).toBe("(idx a idxs)");
  });
  it("parses conditional-bar calls", () => {
    expect(sexpr(expr("normal_lpdf(y | mu, sigma)"))).toBe("(normal_lpdf| y mu sigma)");
    expect(sexpr(expr("std_normal_lpdf(y |)"))).toBe("(std_normal_lpdf| y)");
    expect(sexpr(expr("f()"))).toBe("(f )");
    expect(sexpr(expr("target()"))).toBe("(target )");
  });
  it("parses array and row-vector literals", () => {
    expect(sexpr(expr("{1, 2, 3}"))).toBe("{1 2 3}");
    expect(sexpr(expr("[[1, 2], [3, 4]]"))).toBe("[[1 2] [3 4]]");
  });
});

describe("statements", () => {
  it("parses tilde with truncation", () => {
    const [s] = modelStmts("y ~ normal(mu, sigma) T[0, ];");
    expect(s.kind).toBe("Tilde");
    if (s.kind !== "Tilde") return;
    expect(s.distribution).toBe("normal");
    expect(s.args.map(sexpr)).toEqual(["mu", "sigma"]);
    expect(s.truncation?.lower && sexpr(s.truncation.lower)).toBe("0");
    expect(s.truncation?.upper).toBeUndefined();
  });
  it("parses compound assignment to sliced left-hand sides", () => {
    const [s] = modelStmts("mu[2:N] .*= x;");
    expect(s.kind === "Assign" && s.op).toBe(".*=");
    expect(s.kind === "Assign" && sexpr(s.lhs)).toBe("(idx mu 2:N)");
  });
  it("distinguishes range and foreach loops", () => {
    const [a, b] = modelStmts("for (i in 1:N) x += i; for (v in vs) { print(v); }");
    expect(a.kind).toBe("For");
    expect(b.kind).toBe("ForEach");
  });
  it("parses control flow, print/reject/fatal_error and profile", () => {
    const stmts = modelStmts(
      'while (1) { if (a) break; else continue; } print("x=", x); reject("bad"); fatal_error("worse"); profile("lik") { target += 1; } f(x); jacobian += 1;',
    );
    expect(stmts.map((s) => s.kind)).toEqual([
      "While",
      "Print",
      "Reject",
      "FatalError",
      "Profile",
      "CallStmt",
      "JacobianPlus",
    ]);
    const p = stmts[4];
    expect(p.kind === "Profile" && p.name).toBe("lik");
  });
  it("lets soft keywords name variables", () => {
    const { program } = parseStan(
      "data { real lower; real upper; real offset; real T; } model { T ~ normal(lower, upper); }",
      "s.stan",
    );
    expect(program.data?.stmts.length).toBe(4);
  });
});

describe("declarations", () => {
  it("builds sized types, constraints and modern arrays", () => {
    const { program } = parseStan(
      "parameters { array[J, 2] vector<lower=-1, upper=u>[K] z; real<offset=mu, multiplier=tau> t; cholesky_factor_cov[4, 3] L; simplex[K] s; }",
      "d.stan",
    );
    const [z, t, L, s] = program.parameters!.stmts;
    expect(withoutSpans(z)).toMatchObject({
      kind: "VarDecl",
      name: "z",
      declType: { typeName: "vector", base: "vector", transform: { kind: "lowerUpper" } },
    });
    expect(z.kind === "VarDecl" && z.declType.arrayDims.length).toBe(2);
    expect(t.kind === "VarDecl" && t.declType.transform.kind).toBe("offsetMultiplier");
    expect(L.kind === "VarDecl" && L.declType.sizes.length).toBe(2);
    expect(s.kind === "VarDecl" && s.declType.transform).toEqual({ kind: "simplex" });
  });

  it("declares several variables of one type in one statement", () => {
    const { program, warnings } = parseStan(
      "data { int N, K; } transformed data { real<lower=0> a = 1, b, c[N] = rep_array(0.0, N); }",
      "m.stan",
    );
    expect(program.data!.stmts.map((s) => s.kind === "VarDecl" && s.name)).toEqual(["N", "K"]);
    const [a, b, c] = program.transformedData!.stmts;
    expect(a.kind === "VarDecl" && a.init && sexpr(a.init)).toBe("1");
    expect(b.kind === "VarDecl" && b.init).toBeUndefined();
    expect(b.kind === "VarDecl" && b.declType.transform.kind).toBe("lower");
    expect(c.kind === "VarDecl" && c.declType.arrayDims.length).toBe(1);
    expect(warnings.map((w) => w.message)).toEqual([
      "Declaration of arrays by placing brackets after a variable name is deprecated; write 'array[N] real<lower=0> c' instead.",
    ]);
  });

  it("accepts legacy arrays with a warning that shows the modern spelling", () => {
    const { program, warnings } = parseStan(
      "data { int<lower=1> J_1[N]; vector[K] Y[N, M]; }",
      "l.stan",
    );
    expect(warnings.map((w) => w.message)).toEqual([
      "Declaration of arrays by placing brackets after a variable name is deprecated; write 'array[N] int<lower=1> J_1' instead.",
      "Declaration of arrays by placing brackets after a variable name is deprecated; write 'array[N, M] vector[K] Y' instead.",
    ]);
    const y = program.data!.stmts[1];
    expect(y.kind === "VarDecl" && y.declType.arrayDims.length).toBe(2);
    expect(y.kind === "VarDecl" && y.legacyArraySyntax).toBe(true);
  });

  it("parses function definitions and forward declarations", () => {
    const { program, warnings } = parseStan(
      "functions { real f(real x); real f(real x) { return x; } void g_lp(data array[,] real y, vector v) { } vector h(real[] a) { return [1]'; } }",
      "f.stan",
    );
    const defs = program.functions!.defs;
    expect(defs.map((d) => [d.name, d.body === undefined])).toEqual([
      ["f", true],
      ["f", false],
      ["g_lp", false],
      ["h", false],
    ]);
    expect(defs[2].params[0]).toMatchObject({
      name: "y",
      dataOnly: true,
      type: { base: "real", arrayDims: 2 },
    });
    expect(defs[3].params[0].type).toEqual({ base: "real", arrayDims: 1 });
    expect(warnings).toHaveLength(1);
  });

  it("warns about # comments", () => {
    const { warnings } = parseStan("model {\n  # old comment\n}", "h.stan");
    expect(warnings[0]).toMatchObject({ kind: "Warning", span: { start: { line: 2, column: 3 } } });
  });
});

describe("syntax errors", () => {
  it("reports the first error with expected and found, located", () => {
    expect(errorOf("model {\n  y ~ normal(0, 1)\n}\n")).toBe(
      [
        "Syntax error in 'bad.stan', line 3, column 1:",
        "   -------------------------------------------------",
        "   1:  model {",
        "   2:    y ~ normal(0, 1)",
        "   3:  }",
        "       ^",
        "   4:  ",
        "   -------------------------------------------------",
        "Expected ';' but found '}'.",
      ].join("\n"),
    );
  });
  it("rejects complex types and #include clearly", () => {
    expect(errorOf("data { complex z; }")).toContain(
      "Complex numbers are not supported by stan2ts ('complex').",
    );
    expect(errorOf('#include "a.stan"\nmodel {}')).toContain(
      "'#include' is not supported by stan2ts.",
    );
  });
  it("hints at misspelt types and untyped function arguments", () => {
    expect(errorOf("data { int N; vectr[N] y; }")).toContain(
      "Expected ';' but found 'y'.\n  'vectr' is not a Stan type; did you mean 'vector'?",
    );
    expect(errorOf("data { foo bar; }")).toContain(
      "Expected ';' but found 'bar'.\n  'foo' is not a Stan type.",
    );
    expect(errorOf("functions { real f(x) { return x; } }")).toContain(
      "Expected ')' but found 'x'.\n  Function arguments need a type, e.g. 'real x' or 'array[] real x'.",
    );
  });
  it("rejects tuples clearly", () => {
    expect(errorOf("data { tuple(real, int) x; }")).toContain(
      "Tuple types are not supported by stan2ts",
    );
    expect(errorOf("functions { real f(tuple(real, real) x) { return 1; } }")).toContain(
      "Tuple types are not supported",
    );
  });
  it("reports blocks out of order", () => {
    expect(errorOf("model { } data { }")).toContain(
      "in this order) but found reserved word 'data'.",
    );
  });
  it("reports unexpected end of input", () => {
    expect(errorOf("model { x = 1;")).toContain("Expected '}' but found end of input.");
  });
  it("reports unterminated comments and strings", () => {
    expect(errorOf("model {\n  /* never closed\n}")).toContain("line 2, column 3:");
    expect(errorOf("model {\n  /* never closed\n}")).toContain(
      "This comment is never closed: '/*' needs a matching '*/'.",
    );
    expect(errorOf('model { print("oops); }')).toContain("This string is never closed");
  });
  it("reports an invalid character", () => {
    expect(errorOf("model { x = @; }")).toContain("Invalid character '@' in the program.");
  });
});
