import { describe, expect, it } from "vitest";
import { stanLexer } from "../../grammar/stan/lexer";

function kinds(src: string): string[] {
  const r = stanLexer.tokenize(src);
  expect(r.errors).toEqual([]);
  return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("Stan lexer", () => {
  it("keeps identifiers that start with a keyword whole", () => {
    expect(kinds("integer inv_logit realistic modelled data_x T Tau")).toEqual([
      "Identifier:integer",
      "Identifier:inv_logit",
      "Identifier:realistic",
      "Identifier:modelled",
      "Identifier:data_x",
      "Truncate:T",
      "Identifier:Tau",
    ]);
  });

  it("recognises keywords and compound type names", () => {
    expect(
      kinds(
        "int in real vector row_vector cholesky_factor_corr cholesky_factor_cov positive_ordered ordered",
      ),
    ).toEqual([
      "Int:int",
      "In:in",
      "Real:real",
      "Vector:vector",
      "RowVector:row_vector",
      "CholeskyFactorCorr:cholesky_factor_corr",
      "CholeskyFactorCov:cholesky_factor_cov",
      "PositiveOrdered:positive_ordered",
      "Ordered:ordered",
    ]);
  });

  it("prefers the longest operator", () => {
    expect(kinds("a .*= b ./= c %/% d .* e ./ f .^ g <= h == i != j += k")).toEqual([
      "Identifier:a",
      "ElementTimesAssign:.*=",
      "Identifier:b",
      "ElementDivideAssign:./=",
      "Identifier:c",
      "IntDivide:%/%",
      "Identifier:d",
      "ElementTimes:.*",
      "Identifier:e",
      "ElementDivide:./",
      "Identifier:f",
      "ElementPower:.^",
      "Identifier:g",
      "LessEqual:<=",
      "Identifier:h",
      "Equal:==",
      "Identifier:i",
      "NotEqual:!=",
      "Identifier:j",
      "PlusAssign:+=",
      "Identifier:k",
    ]);
  });

  it("lexes integer, real and scientific literals", () => {
    expect(kinds("1 23 1.5 .5 2. 1e10 1.5E-3 3e+2")).toEqual([
      "IntLiteral:1",
      "IntLiteral:23",
      "RealLiteral:1.5",
      "RealLiteral:.5",
      "RealLiteral:2.",
      "RealLiteral:1e10",
      "RealLiteral:1.5E-3",
      "RealLiteral:3e+2",
    ]);
  });

  it("skips comments and keeps legacy # comments in their own group", () => {
    const r = stanLexer.tokenize("a // x\n/* y\n z */ b # old\nc");
    expect(r.tokens.map((t) => t.image)).toEqual(["a", "b", "c"]);
    expect(r.groups.hashComments.map((t) => t.image)).toEqual(["# old"]);
  });

  it("reads a < -b as less-than and minus", () => {
    expect(kinds("a<-b")).toEqual(["Identifier:a", "Less:<", "Minus:-", "Identifier:b"]);
  });
});
