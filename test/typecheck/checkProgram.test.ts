import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkStan } from "../../src/driver/compile";
import { CompileError } from "../../src/common/diagnostics";
import { syntheticSpan } from "../../src/common/span";
import { parseStan } from "../../src/parse/parseStan";
import { checkProgram } from "../../src/typecheck/checkProgram";
import type { Expr, Stmt, Typed, TypedProgram } from "../../src/ast/ast";

const GOOD = fileURLToPath(new URL("../../fixtures/stan/good/", import.meta.url));

function check(src: string): TypedProgram {
  return checkStan(src, "t.stan").program;
}

function semanticError(src: string): string {
  try {
    checkStan(src, "t.stan");
  } catch (e) {
    if (e instanceof CompileError)
      return [e.diagnostic.message, ...(e.diagnostic.notes ?? [])].join("\n");
    throw e;
  }
  throw new Error("expected a compile error");
}

/** Every expression in a statement list, depth first. */
function* exprsOf(stmts: readonly Stmt<Typed>[]): Generator<Expr<Typed>> {
  function* inExpr(e: Expr<Typed>): Generator<Expr<Typed>> {
    yield e;
    switch (e.kind) {
      case "FunctionCall":
        for (const a of e.args) yield* inExpr(a);
        break;
      case "BinaryOp":
        yield* inExpr(e.left);
        yield* inExpr(e.right);
        break;
      case "PrefixOp":
      case "Transpose":
        yield* inExpr(e.operand);
        break;
      case "Paren":
        yield* inExpr(e.inner);
        break;
      case "Indexed":
        yield* inExpr(e.target);
        for (const i of e.indices) if (i.kind === "Single") yield* inExpr(i.expr);
        break;
      case "TernaryIf":
        yield* inExpr(e.condition);
        yield* inExpr(e.then);
        yield* inExpr(e.otherwise);
        break;
      case "ArrayLiteral":
      case "RowVectorLiteral":
        for (const x of e.elements) yield* inExpr(x);
        break;
      default:
        break;
    }
  }
  for (const s of stmts) {
    switch (s.kind) {
      case "Assign":
        yield* inExpr(s.lhs);
        yield* inExpr(s.rhs);
        break;
      case "VarDecl":
        if (s.init) yield* inExpr(s.init);
        break;
      case "TargetPlus":
        yield* inExpr(s.expr);
        break;
      case "Tilde":
        yield* inExpr(s.lhs);
        for (const a of s.args) yield* inExpr(a);
        break;
      case "Block":
      case "Profile":
        yield* exprsOf(s.stmts);
        break;
      case "IfElse":
        yield* inExpr(s.condition);
        yield* exprsOf([s.then, ...(s.otherwise ? [s.otherwise] : [])]);
        break;
      case "For":
        yield* exprsOf([s.body]);
        break;
      case "ForEach":
        yield* inExpr(s.collection);
        yield* exprsOf([s.body]);
        break;
      case "While":
        yield* exprsOf([s.body]);
        break;
      default:
        break;
    }
  }
}

describe("checkProgram on the good fixtures", () => {
  for (const f of readdirSync(GOOD).filter((n) => n.endsWith(".stan"))) {
    it(`type-checks ${f} and types every expression`, () => {
      const { program } = checkStan(readFileSync(GOOD + f, "utf8"), f);
      for (const block of [
        program.transformedData,
        program.transformedParameters,
        program.model,
        program.generatedQuantities,
      ]) {
        for (const e of exprsOf(block?.stmts ?? [])) {
          expect(e.meta.type).toBeDefined();
          expect(["data", "param"]).toContain(e.meta.adLevel);
          if (e.kind === "FunctionCall") expect(e.meta.signature).toBeDefined();
          if (e.kind === "Variable") expect(e.meta.origin).toBeDefined();
        }
      }
    });
  }
});

describe("lecture model m1", () => {
  const program = checkStan(readFileSync(GOOD + "m1.stan", "utf8"), "m1.stan").program;

  it("marks parameter-dependent model locals and calls as param", () => {
    const model = program.model!.stmts;
    const ifStmt = model[0];
    expect(ifStmt.kind).toBe("IfElse");
    if (ifStmt.kind !== "IfElse" || ifStmt.then.kind !== "Block") throw new Error("shape");
    const [muDecl, muPlus, loop, target] = ifStmt.then.stmts;
    expect(muDecl.kind === "VarDecl" && muDecl.init?.meta.adLevel).toBe("data");
    expect(muPlus.kind === "Assign" && muPlus.lhs.meta.adLevel).toBe("param");
    // the loop reads mu[n] after `mu += Intercept`: param
    expect(loop.kind).toBe("For");
    expect(target.kind === "TargetPlus" && target.expr.meta).toMatchObject({
      type: { base: "real", arrayDims: 0 },
      adLevel: "param",
      signature: { source: "builtin", returnType: { base: "real", arrayDims: 0 } },
    });
    if (target.kind === "TargetPlus" && target.expr.kind === "FunctionCall") {
      expect(target.expr.args.map((a) => [a.meta.type.base, a.meta.adLevel])).toEqual([
        ["vector", "data"],
        ["matrix", "data"],
        ["vector", "param"],
        ["vector", "param"],
        ["real", "param"],
      ]);
    }
  });

  it("keeps transformed data at the data level and records origins", () => {
    for (const e of exprsOf(program.transformedData!.stmts)) expect(e.meta.adLevel).toBe("data");
    const gq = program.generatedQuantities!.stmts[0];
    expect(
      gq.kind === "VarDecl" && gq.init?.kind === "BinaryOp" && gq.init.left.meta,
    ).toMatchObject({ origin: "parameters", adLevel: "param" });
  });

  it("resolves the user function with its signature", () => {
    const assign = program.transformedParameters!.stmts.find((s) => s.kind === "Assign");
    expect(assign?.kind === "Assign" && assign.rhs.meta.signature?.source).toBe("user");
    expect(assign?.kind === "Assign" && assign.rhs.meta.type).toEqual({
      base: "matrix",
      arrayDims: 0,
    });
  });
});

/** The same tree with every span replaced by one synthetic span, as other stages build ASTs. */
function withSyntheticSpans<T>(value: T): T {
  const span = syntheticSpan();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v))
      out[k] = k === "span" || k === "nameSpan" || k === "distributionSpan" ? span : walk(x);
    return out;
  };
  return walk(value) as T;
}

describe("trees without real spans (built by other stages)", () => {
  it("get the same ad levels as parsed trees", () => {
    for (const f of ["m1.stan", "m2.stan", "m3.stan"]) {
      const parsed = parseStan(readFileSync(GOOD + f, "utf8"), f).program;
      const levels = (p: TypedProgram): string[] =>
        [p.transformedData, p.transformedParameters, p.model, p.generatedQuantities].flatMap((b) =>
          [...exprsOf(b?.stmts ?? [])].map((e) => `${e.kind}:${e.meta.adLevel}`),
        );
      expect(levels(checkProgram(withSyntheticSpans(parsed)))).toEqual(
        levels(checkProgram(parsed)),
      );
    }
  });

  it("keep data-level locals apart from parameter-level ones", () => {
    const parsed = parseStan(
      "parameters { real mu; } model { real a = 0; real b = mu; target += a + b; }",
      "s.stan",
    ).program;
    const typed = checkProgram(withSyntheticSpans(parsed));
    const target = typed.model!.stmts[2];
    if (target.kind !== "TargetPlus" || target.expr.kind !== "BinaryOp") throw new Error("shape");
    expect([target.expr.left.meta.adLevel, target.expr.right.meta.adLevel]).toEqual([
      "data",
      "param",
    ]);
  });
});

describe("forms stanc3 accepts", () => {
  it("declarations as loop and branch bodies, digit separators, empty row vectors", () => {
    const p = check(`transformed data {
      int big = 10_000;
      real small = 1_000.5e-1_0;
      row_vector[0] none = [];
      if (big > 0) real a = 1, b;
      for (i in 1:2) int k = i;
    }`);
    const [big, , , branch] = p.transformedData!.stmts;
    expect(big.kind === "VarDecl" && big.init?.kind === "IntLiteral" && big.init.text).toBe(
      "10000",
    );
    expect(branch.kind === "IfElse" && branch.then.kind).toBe("Block");
  });

  it("variables named like functions, self-referencing initialisers, loops that return", () => {
    check(`functions {
      real bar(real bar) { return bar; }
      real first_positive(vector v) { for (i in 1:rows(v)) if (v[i] > 0) return v[i]; }
      int search() { while (1) { return 1; } }
    }
    parameters { real y; }
    transformed parameters { real z = z; }
    model { y ~ normal(bar(0), 1); }`);
  });

  it("int .* int, .^ over arrays, data-only arguments in generated quantities", () => {
    check(`functions { real f(data real x) { return x; } }
      data { array[3] int n; }
      transformed data { int m = 2 .* 3; array[3] real p = n .^ 2; }
      parameters { real mu; }
      generated quantities { real g = f(mu); }`);
  });
});

describe("user-defined functions", () => {
  it("resolve overloads by argument type and allow (mutual) recursion", () => {
    const p = check(`functions {
      real twice(real x) { return 2 * x; }
      vector twice(vector x) { return 2 * x; }
      int is_even(int n);
      int is_odd(int n) { if (n == 0) return 0; return is_even(n - 1); }
      int is_even(int n) { if (n == 0) return 1; return is_odd(n - 1); }
      int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); }
    }
    transformed data { real a = twice(1); vector[2] b = twice([1, 2]'); int e = is_even(4) + fact(3); }`);
    const [a, b] = p.transformedData!.stmts;
    expect(a.kind === "VarDecl" && a.init?.meta.type).toEqual({ base: "real", arrayDims: 0 });
    expect(b.kind === "VarDecl" && b.init?.meta.type).toEqual({ base: "vector", arrayDims: 0 });
  });

  it("may call _lp functions and read target() in transformed parameters", () => {
    const p = check(`functions { real shift_lp(real x) { target += -x; return x + target(); } }
      parameters { real y; } transformed parameters { real z = shift_lp(y) + target(); } model { y ~ normal(0, 1); }`);
    const z = p.transformedParameters!.stmts[0];
    expect(z.kind === "VarDecl" && z.init?.meta.adLevel).toBe("param");
  });

  it("allow user CDFs of discrete variates", () => {
    const p = check(`functions {
      real geo_lpmf(int k, real p) { return log(p) + k * log1m(p); }
      real geo_lcdf(int k, real p) { return log1m((1 - p) ^ (k + 1)); }
      real geo_lccdf(int k, real p) { return (k + 1) * log1m(p); }
    }
    data { int k; } parameters { real<lower=0, upper=1> p; } model { k ~ geo(p) T[, 10]; }`);
    const t = p.model!.stmts[0];
    expect(t.kind === "Tilde" && t.resolvedName).toBe("geo_lpmf");
  });

  it("reject a second definition with the same argument types", () => {
    expect(
      semanticError("functions { real f(real x) { return x; } real f(real y) { return y; } }"),
    ).toBe("Function 'f' is already defined for arguments (real).");
  });

  it("see no variables from the program blocks", () => {
    expect(semanticError("functions { real f() { return N; } } data { int N; }")).toBe(
      "Identifier 'N' not in scope.",
    );
  });
});

describe("types and promotion", () => {
  it("types indexing of arrays, vectors and matrices", () => {
    const p = check(`data { array[3] matrix[2, 2] A; array[2] int idx; }
      transformed data { real a = A[1, 2, 1]; row_vector[2] r = A[1, 2]; vector[2] c = A[1, :, 2]; matrix[2, 2] m = A[1, idx];
        array[2] matrix[2, 2] sub = A[idx]; array[3] vector[2] cols = A[:, :, 1]; }`);
    expect(p.transformedData!.stmts).toHaveLength(6);
  });
  it("promotes int to real in calls, assignments and array literals", () => {
    const p = check(
      "transformed data { real x = 1; array[2] real xs = {1, 2.5}; real y = exp(2); array[2] int ns = {1, 2}; array[2] real zs = ns; }",
    );
    const [, xs] = p.transformedData!.stmts;
    expect(xs.kind === "VarDecl" && xs.init?.meta.type).toEqual({ base: "real", arrayDims: 1 });
  });
  it("resolves tilde statements to their density", () => {
    const p = check(
      "data { int n; array[n] int y; } parameters { real<lower=0> lambda; real mu; } model { y ~ poisson(lambda); mu ~ normal(0, 1) T[-5, 5]; }",
    );
    const names = p.model!.stmts.map((s) => (s.kind === "Tilde" ? s.resolvedName : undefined));
    expect(names).toEqual(["poisson_lpmf", "normal_lpdf"]);
  });
  it("resolves tilde to user-defined densities", () => {
    const p = check(
      "functions { real my_lpdf(real y, real mu) { return -square(y - mu); } } parameters { real x; } model { x ~ my(0); target += my_lupdf(x | 1); }",
    );
    const t = p.model!.stmts[0];
    expect(t.kind === "Tilde" && t.resolvedName).toBe("my_lpdf");
  });
  it("marks ints as data even when computed from parameters", () => {
    const p = check("parameters { real x; } model { int k = is_nan(x); real y = x * 2; }");
    const [k, y] = p.model!.stmts;
    expect(k.kind === "VarDecl" && k.init?.meta.adLevel).toBe("data");
    expect(y.kind === "VarDecl" && y.init?.meta.adLevel).toBe("param");
  });
  it("propagates param level through a loop-carried local", () => {
    const p = check(
      "parameters { real x; } model { real acc = 0; real prev = 0; for (i in 1:3) { prev = acc; acc = x; } target += prev; }",
    );
    const last = p.model!.stmts[3];
    expect(last.kind === "TargetPlus" && last.expr.meta.adLevel).toBe("param");
  });
  it("treats `jacobian +=` as assignment when a variable of that name is in scope", () => {
    const p = check(
      "parameters { real x; } model { real jacobian = 0; jacobian += x; target += jacobian; }",
    );
    expect(p.model!.stmts[1].kind).toBe("Assign");
  });
  it("warns when '~' is applied to a transformed parameter", () => {
    const src =
      "parameters { real<lower=0> s; vector[2] v; } model { log(s) ~ normal(0, 1); v[1] ~ normal(0, 1); }";
    const r = checkStan(src, "t.stan");
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({
      kind: "Warning",
      span: { start: { line: 1, column: src.indexOf("log(s)") + 1 } },
    });
    expect(r.warnings[0].message).toContain("log absolute Jacobian determinant");
  });
  it("warns about integer division", () => {
    const r = checkStan("transformed data { int a = 3 / 2; }", "t.stan");
    expect(r.warnings.map((w) => w.message)).toEqual([
      "Integer division rounds towards zero; write '%/%' to make that explicit, or multiply by 1.0 for real division.",
    ]);
  });
});

describe("semantic errors", () => {
  const cases: [string, string, string][] = [
    [
      "unknown identifier with a hint",
      "data { real sigma; } model { target += sigmaa; }",
      "Identifier 'sigmaa' not in scope.\nDid you mean 'sigma'?",
    ],
    [
      "unknown function with a hint",
      "parameters { real y; } model { target += nromal_lpdf(y | 0, 1); }",
      "Unknown function 'nromal_lpdf'.\nDid you mean 'normal_lpdf'?",
    ],
    [
      "assign to data",
      "data { real x; } model { x = 1; }",
      "Cannot assign to 'x': it is declared in the data block and is read-only everywhere.",
    ],
    [
      "assign to parameter",
      "parameters { real x; } model { x = 1; }",
      "Cannot assign to 'x': it is declared in the parameters block and is read-only everywhere.",
    ],
    [
      "assign to transformed data later",
      "transformed data { real x = 1; } model { x = 2; }",
      "Cannot assign to 'x': it is declared in the transformed data block and is read-only outside that block.",
    ],
    [
      "loop variable",
      "model { for (i in 1:3) i = 2; }",
      "'i' is a loop variable and cannot be assigned.",
    ],
    [
      "rng in model",
      "model { real x = normal_rng(0, 1); }",
      "Random number generators ('normal_rng') are only allowed in transformed data, generated quantities, and functions whose names end in '_rng'.",
    ],
    [
      "target in generated quantities",
      "generated quantities { target += 1; }",
      "'target +=' is only allowed in the model block or in functions whose names end in '_lp'.",
    ],
    [
      "tilde in transformed parameters",
      "parameters { real x; } transformed parameters { x ~ normal(0, 1); }",
      "'~' statements are only allowed in the model block or in functions whose names end in '_lp'.",
    ],
    [
      "redeclaration",
      "data { real x; } model { real x; }",
      "Identifier 'x' is already in use; Stan does not allow redeclaring or shadowing a variable.",
    ],
    [
      "int parameter",
      "parameters { int n; }",
      "Parameters cannot be integers: 'n' is declared int in the parameters block.",
    ],
    [
      "local constraint",
      "model { real<lower=0> x; }",
      "Local variable 'x' cannot have a constraint; bounds, offset/multiplier and constrained types such as simplex are only allowed on block-level variables.",
    ],
    [
      "bad assignment type",
      "model { vector[3] v; v = 1; }",
      "Cannot assign a value of type int to 'v' of type vector.",
    ],
    [
      "missing bar",
      "parameters { real y; } model { target += normal_lpdf(y, 0, 1); }",
      "Probability functions need a vertical bar between the variate and the parameters: write 'normal_lpdf(y | …)'.",
    ],
    [
      "return type",
      "functions { real f(real x) { return {x}; } }",
      "Function 'f' must return real, but this returns array[] real.",
    ],
    [
      "missing return",
      "functions { real f(real x) { if (x > 0) return x; } }",
      "Function 'f' may end without returning a value; every path must end in 'return' of type real.",
    ],
    [
      "int literal overflow",
      "transformed data { int n = 2147483648; }",
      "Integer literal 2147483648 is larger than the largest int, 2147483647; write it as a real (2147483648.0) if that is what you mean.",
    ],
    ["break outside loop", "model { break; }", "'break' is only allowed inside a loop."],
    [
      "lp outside model",
      "functions { void f_lp(real x) { target += x; } } generated quantities { f_lp(1); }",
      "Functions ending in '_lp' ('f_lp') can only be called in the model and transformed parameters blocks or in other '_lp' functions.",
    ],
  ];
  for (const [what, src, message] of cases)
    it(what, () => expect(semanticError(src)).toBe(message));

  it("names the modern spelling of removed functions", () => {
    expect(
      semanticError("parameters { real y; } model { increment_log_prob(normal_log(y, 0, 1)); }"),
    ).toBe(
      "Unknown function 'increment_log_prob'.\n'increment_log_prob(e)' was removed from Stan; write 'target += e;'.",
    );
    expect(semanticError("parameters { real y; } model { target += normal_log(y, 0, 1); }")).toBe(
      "Unknown function 'normal_log'.\nThe '_log' suffix was removed from Stan; use 'normal_lpdf', with '|' after the first argument.",
    );
    expect(
      semanticError(
        "data { int k; } parameters { real<lower=0> l; } model { target += poisson_cdf_log(k, l); }",
      ),
    ).toBe(
      "Unknown function 'poisson_cdf_log'.\nThe '_cdf_log' suffix was removed from Stan; use 'poisson_lcdf', with '|' after the first argument.",
    );
  });

  it("lists available signatures when none matches", () => {
    const msg = semanticError(
      "parameters { matrix[2, 2] m; } model { target += normal_lpdf(m | 0, 1); }",
    );
    expect(msg.split("\n").slice(0, 4)).toEqual([
      "No signature of normal_lpdf accepts (matrix | int, int).",
      "Argument 1 is matrix, but it must be one of real, vector, row_vector, array[] real.",
      "Available signatures:",
      "  normal_lpdf(real | real, real) => real",
    ]);
  });
});
