/**
 * The Stan grammar as a Chevrotain CST parser: syntax only. Rules are class fields so a misspelt
 * sub-rule fails to compile; the CST → AST conversion (src/parse) gives the tree its meaning and
 * rejects forms the grammar deliberately over-accepts (e.g. sizes on `real`, constraint kinds per
 * type), where a targeted message beats a generic "expected …".
 */
import { CstParser, type IOrAlt, type IParserErrorMessageProvider } from "chevrotain";
import * as T from "./tokens";

export class StanParser extends CstParser {
  /**
   * Alternatives of the hottest ORs, built once: Chevrotain's recommended caching, which also
   * avoids allocating a closure per alternative on every rule invocation.
   */
  private statementAlts?: IOrAlt<unknown>[];
  private blockItemAlts?: IOrAlt<unknown>[];
  private declTypeAlts?: IOrAlt<unknown>[];
  private basicTypeAlts?: IOrAlt<unknown>[];
  private unaryAlts?: IOrAlt<unknown>[];
  private prefixAlts?: IOrAlt<unknown>[];
  private primaryAlts?: IOrAlt<unknown>[];
  private functionDefAlts1?: IOrAlt<unknown>[];
  private functionDefAlts2?: IOrAlt<unknown>[];
  private unsizedTypeAlts3?: IOrAlt<unknown>[];
  private constraintItemAlts4?: IOrAlt<unknown>[];
  private expressionStatementAlts5?: IOrAlt<unknown>[];
  private printStatementAlts6?: IOrAlt<unknown>[];
  private printableAlts7?: IOrAlt<unknown>[];
  private postfixExprAlts8?: IOrAlt<unknown>[];
  private indexAlts9?: IOrAlt<unknown>[];
  private callArgsAlts10?: IOrAlt<unknown>[];

  /**
   * `validate: false` skips Chevrotain's grammar validations at construction: they find defects
   * of the grammar, never of the input, and cost ~40 ms of CPU on every cold start. The compiler
   * builds its parser unvalidated; test/grammar/validations.test.ts builds it validated.
   */
  constructor(errorMessageProvider?: IParserErrorMessageProvider, validate = true) {
    super(T.allTokens, {
      nodeLocationTracking: "full",
      maxLookahead: 3,
      skipValidations: !validate,
      ...(errorMessageProvider ? { errorMessageProvider } : {}),
    });
    this.performSelfAnalysis();
  }

  // ---------------------------------------------------------------------------------------------
  // Program and blocks

  program = this.RULE("program", () => {
    this.OPTION(() => this.SUBRULE(this.functionsBlock));
    this.OPTION2(() => {
      this.CONSUME(T.Data);
      this.SUBRULE(this.blockBody, { LABEL: "data" });
    });
    this.OPTION3(() => {
      this.CONSUME(T.Transformed);
      this.CONSUME2(T.Data);
      this.SUBRULE2(this.blockBody, { LABEL: "transformedData" });
    });
    this.OPTION4(() => {
      this.CONSUME(T.Parameters);
      this.SUBRULE3(this.blockBody, { LABEL: "parameters" });
    });
    this.OPTION5(() => {
      this.CONSUME2(T.Transformed);
      this.CONSUME2(T.Parameters);
      this.SUBRULE4(this.blockBody, { LABEL: "transformedParameters" });
    });
    this.OPTION6(() => {
      this.CONSUME(T.Model);
      this.SUBRULE5(this.blockBody, { LABEL: "model" });
    });
    this.OPTION7(() => {
      this.CONSUME(T.Generated);
      this.CONSUME(T.Quantities);
      this.SUBRULE6(this.blockBody, { LABEL: "generatedQuantities" });
    });
  });

  functionsBlock = this.RULE("functionsBlock", () => {
    this.CONSUME(T.Functions);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.functionDef));
    this.CONSUME(T.RBrace);
  });

  functionDef = this.RULE("functionDef", () => {
    this.OR(
      (this.functionDefAlts1 ??= [
        { ALT: () => this.CONSUME(T.Void) },
        { ALT: () => this.SUBRULE(this.unsizedType, { LABEL: "returnType" }) },
      ]),
    );
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.functionParam);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.functionParam);
      });
    });
    this.CONSUME(T.RParen);
    this.OR2(
      (this.functionDefAlts2 ??= [
        { ALT: () => this.SUBRULE(this.blockStatement, { LABEL: "body" }) },
        { ALT: () => this.CONSUME(T.Semicolon) },
      ]),
    );
  });

  functionParam = this.RULE("functionParam", () => {
    this.OPTION(() => this.CONSUME(T.Data));
    this.SUBRULE(this.unsizedType);
    this.CONSUME(T.Identifier, { LABEL: "name" });
  });

  /** `array[,] real`, `vector`, or the legacy `real[]`. */
  unsizedType = this.RULE("unsizedType", () => {
    this.OR(
      (this.unsizedTypeAlts3 ??= [
        {
          ALT: () => {
            this.CONSUME(T.Array);
            this.CONSUME(T.LBracket);
            this.MANY(() => this.CONSUME(T.Comma));
            this.CONSUME(T.RBracket);
            this.SUBRULE(this.basicType);
          },
        },
        {
          ALT: () => {
            this.SUBRULE2(this.basicType);
            this.OPTION(() => {
              this.CONSUME2(T.LBracket, { LABEL: "legacyLBracket" });
              this.MANY2(() => this.CONSUME2(T.Comma, { LABEL: "legacyComma" }));
              this.CONSUME2(T.RBracket);
            });
          },
        },
      ]),
    );
  });

  basicType = this.RULE("basicType", () => {
    this.OR(
      (this.basicTypeAlts ??= [
        { ALT: () => this.CONSUME(T.Int) },
        { ALT: () => this.CONSUME(T.Real) },
        { ALT: () => this.CONSUME(T.Complex) },
        { ALT: () => this.CONSUME(T.Vector) },
        { ALT: () => this.CONSUME(T.RowVector) },
        { ALT: () => this.CONSUME(T.Matrix) },
        { ALT: () => this.CONSUME(T.ComplexVector) },
        { ALT: () => this.CONSUME(T.ComplexRowVector) },
        { ALT: () => this.CONSUME(T.ComplexMatrix) },
      ]),
    );
  });

  blockBody = this.RULE("blockBody", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.blockItem));
    this.CONSUME(T.RBrace);
  });

  blockItem = this.RULE("blockItem", () => {
    this.OR((this.blockItemAlts ??= [{ ALT: () => this.SUBRULE(this.statement) }]));
  });

  // ---------------------------------------------------------------------------------------------
  // Declarations

  varDecl = this.RULE("varDecl", () => {
    this.OPTION(() => {
      this.CONSUME(T.Array);
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression, { LABEL: "arrayDim" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression, { LABEL: "arrayDim" });
      });
      this.CONSUME(T.RBracket);
    });
    this.SUBRULE(this.declType);
    this.SUBRULE(this.declarator);
    this.MANY2(() => {
      this.CONSUME2(T.Comma);
      this.SUBRULE2(this.declarator);
    });
    this.CONSUME(T.Semicolon);
  });

  /** `x`, `x = e`, or the legacy `x[N]`; `real a, b = 1;` declares several variables of one type. */
  declarator = this.RULE("declarator", () => {
    this.CONSUME(T.Identifier, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LBracket, { LABEL: "legacyLBracket" });
      this.SUBRULE(this.expression, { LABEL: "legacyDim" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression, { LABEL: "legacyDim" });
      });
      this.CONSUME(T.RBracket);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Assign);
      this.SUBRULE3(this.expression, { LABEL: "init" });
    });
  });

  /** A type keyword, optional `<…>` constraint, optional `[sizes]`; shapes are checked later. */
  declType = this.RULE("declType", () => {
    this.OR(
      (this.declTypeAlts ??= [
        { ALT: () => this.CONSUME(T.Int, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.Real, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.Complex, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.ComplexVector, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.ComplexRowVector, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.ComplexMatrix, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.Vector, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.RowVector, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.Matrix, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.Simplex, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.UnitVector, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.SumToZeroVector, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.Ordered, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.PositiveOrdered, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.CholeskyFactorCorr, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.CholeskyFactorCov, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.CorrMatrix, { LABEL: "keyword" }) },
        { ALT: () => this.CONSUME(T.CovMatrix, { LABEL: "keyword" }) },
      ]),
    );
    this.OPTION(() => this.SUBRULE(this.constraint));
    this.OPTION2(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression, { LABEL: "size" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expression, { LABEL: "size" });
      });
      this.CONSUME(T.RBracket);
    });
  });

  /** `<lower=a, upper=b>` or `<offset=o, multiplier=m>`; bounds are arithmetic (no `<`/`>`). */
  constraint = this.RULE("constraint", () => {
    this.CONSUME(T.Less);
    this.SUBRULE(this.constraintItem);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.constraintItem);
    });
    this.CONSUME(T.Greater);
  });

  constraintItem = this.RULE("constraintItem", () => {
    this.OR(
      (this.constraintItemAlts4 ??= [
        { ALT: () => this.CONSUME(T.Lower, { LABEL: "which" }) },
        { ALT: () => this.CONSUME(T.Upper, { LABEL: "which" }) },
        { ALT: () => this.CONSUME(T.Offset, { LABEL: "which" }) },
        { ALT: () => this.CONSUME(T.Multiplier, { LABEL: "which" }) },
      ]),
    );
    this.CONSUME(T.Assign);
    this.SUBRULE(this.constraintExpr, { LABEL: "value" });
  });

  // ---------------------------------------------------------------------------------------------
  // Statements

  statement = this.RULE("statement", () => {
    this.OR(
      (this.statementAlts ??= [
        // Declarations are statements too (`if (c) real x = 1;` parses, as in stanc3).
        { ALT: () => this.SUBRULE(this.varDecl) },
        { ALT: () => this.SUBRULE(this.targetStatement) },
        { ALT: () => this.SUBRULE(this.forStatement) },
        { ALT: () => this.SUBRULE(this.whileStatement) },
        { ALT: () => this.SUBRULE(this.ifStatement) },
        {
          ALT: () => {
            this.CONSUME(T.Break);
            this.CONSUME(T.Semicolon);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Continue);
            this.CONSUME2(T.Semicolon);
          },
        },
        { ALT: () => this.SUBRULE(this.returnStatement) },
        { ALT: () => this.SUBRULE(this.printStatement) },
        { ALT: () => this.SUBRULE(this.profileStatement) },
        // A leading `{` is a block, never an array literal (as in stanc3).
        { ALT: () => this.SUBRULE(this.blockStatement), IGNORE_AMBIGUITIES: true },
        { ALT: () => this.CONSUME3(T.Semicolon, { LABEL: "empty" }) },
        { ALT: () => this.SUBRULE(this.expressionStatement) },
      ]),
    );
  });

  targetStatement = this.RULE("targetStatement", () => {
    this.CONSUME(T.Target);
    this.CONSUME(T.PlusAssign);
    this.SUBRULE(this.expression);
    this.CONSUME(T.Semicolon);
  });

  /** Starts with an expression: `lhs op= e;`, `e ~ dist(...) T[..];` or `f(...);`. */
  expressionStatement = this.RULE("expressionStatement", () => {
    this.SUBRULE(this.expression, { LABEL: "lhs" });
    this.OR(
      (this.expressionStatementAlts5 ??= [
        {
          ALT: () => {
            this.CONSUME(T.Tilde);
            this.CONSUME(T.Identifier, { LABEL: "distribution" });
            this.CONSUME(T.LParen);
            this.OPTION(() => {
              this.SUBRULE2(this.expression, { LABEL: "arg" });
              this.MANY(() => {
                this.CONSUME(T.Comma);
                this.SUBRULE3(this.expression, { LABEL: "arg" });
              });
            });
            this.CONSUME(T.RParen);
            this.OPTION2(() => this.SUBRULE(this.truncation));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.AssignOp);
            this.SUBRULE4(this.expression, { LABEL: "rhs" });
          },
        },
        // a bare call statement: `f(x);`
        { ALT: () => {} },
      ]),
    );
    this.CONSUME(T.Semicolon);
  });

  truncation = this.RULE("truncation", () => {
    this.CONSUME(T.Truncate);
    this.CONSUME(T.LBracket);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "lower" }));
    this.CONSUME(T.Comma);
    this.OPTION2(() => this.SUBRULE2(this.expression, { LABEL: "upper" }));
    this.CONSUME(T.RBracket);
  });

  forStatement = this.RULE("forStatement", () => {
    this.CONSUME(T.For);
    this.CONSUME(T.LParen);
    this.CONSUME(T.Identifier, { LABEL: "variable" });
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: "from" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: "to" });
    });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.statement, { LABEL: "body" });
  });

  whileStatement = this.RULE("whileStatement", () => {
    this.CONSUME(T.While);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: "condition" });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.statement, { LABEL: "body" });
  });

  ifStatement = this.RULE("ifStatement", () => {
    this.CONSUME(T.If);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression, { LABEL: "condition" });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.statement, { LABEL: "then" });
    this.OPTION(() => {
      this.CONSUME(T.Else);
      this.SUBRULE2(this.statement, { LABEL: "otherwise" });
    });
  });

  returnStatement = this.RULE("returnStatement", () => {
    this.CONSUME(T.Return);
    this.OPTION(() => this.SUBRULE(this.expression));
    this.CONSUME(T.Semicolon);
  });

  printStatement = this.RULE("printStatement", () => {
    this.OR(
      (this.printStatementAlts6 ??= [
        { ALT: () => this.CONSUME(T.Print, { LABEL: "which" }) },
        { ALT: () => this.CONSUME(T.Reject, { LABEL: "which" }) },
        { ALT: () => this.CONSUME(T.FatalError, { LABEL: "which" }) },
      ]),
    );
    this.CONSUME(T.LParen);
    this.SUBRULE(this.printable);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.printable);
    });
    this.CONSUME(T.RParen);
    this.CONSUME(T.Semicolon);
  });

  printable = this.RULE("printable", () => {
    this.OR(
      (this.printableAlts7 ??= [
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.SUBRULE(this.expression) },
      ]),
    );
  });

  profileStatement = this.RULE("profileStatement", () => {
    this.CONSUME(T.Profile);
    this.CONSUME(T.LParen);
    this.CONSUME(T.StringLiteral);
    this.CONSUME(T.RParen);
    this.SUBRULE(this.blockBody);
  });

  blockStatement = this.RULE("blockStatement", () => {
    this.SUBRULE(this.blockBody);
  });

  // ---------------------------------------------------------------------------------------------
  // Expressions, loosest first (Stan reference manual precedence table)

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.binaryExpr, { LABEL: "condition" });
    this.OPTION(() => {
      this.CONSUME(T.Question);
      this.SUBRULE(this.expression, { LABEL: "then" });
      this.CONSUME(T.Colon);
      this.SUBRULE2(this.expression, { LABEL: "otherwise" });
    });
  });

  /** `a op b op c …` for every binary operator but `^`; grouped by precedence in the AST builder. */
  binaryExpr = this.RULE("binaryExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.BinaryOp, { LABEL: "operator" });
      this.SUBRULE2(this.unaryExpr, { LABEL: "operand" });
    });
  });

  /** Bounds in `<lower=…, upper=…>`: arithmetic only, so `>` ends the constraint. */
  constraintExpr = this.RULE("constraintExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.ArithmeticOp, { LABEL: "operator" });
      this.SUBRULE2(this.unaryExpr, { LABEL: "operand" });
    });
  });

  unaryExpr = this.RULE("unaryExpr", () => {
    this.OR(
      (this.unaryAlts ??= [
        {
          ALT: () => {
            this.OR2(
              (this.prefixAlts ??= [
                { ALT: () => this.CONSUME(T.Not, { LABEL: "operator" }) },
                { ALT: () => this.CONSUME(T.Minus, { LABEL: "operator" }) },
                { ALT: () => this.CONSUME(T.Plus, { LABEL: "operator" }) },
              ]),
            );
            this.SUBRULE(this.unaryExpr, { LABEL: "operand" });
          },
        },
        { ALT: () => this.SUBRULE(this.powerExpr) },
      ]),
    );
  });

  /** `^` and `.^` bind tighter than unary minus and associate to the right. */
  powerExpr = this.RULE("powerExpr", () => {
    this.SUBRULE(this.postfixExpr, { LABEL: "base" });
    this.OPTION(() => {
      this.CONSUME(T.PowerOp, { LABEL: "operator" });
      this.SUBRULE(this.unaryExpr, { LABEL: "exponent" });
    });
  });

  postfixExpr = this.RULE("postfixExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR(
        (this.postfixExprAlts8 ??= [
          { ALT: () => this.SUBRULE(this.indices, { LABEL: "postfix" }) },
          { ALT: () => this.CONSUME(T.Transpose, { LABEL: "postfix" }) },
        ]),
      );
    });
  });

  indices = this.RULE("indices", () => {
    this.CONSUME(T.LBracket);
    this.SUBRULE(this.index);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.index);
    });
    this.CONSUME(T.RBracket);
  });

  /** Empty (all), `e`, `e:`, `:e`, `e:e`, or `:`. */
  index = this.RULE("index", () => {
    this.OPTION(() => {
      this.OR(
        (this.indexAlts9 ??= [
          {
            ALT: () => {
              this.CONSUME(T.Colon);
              this.OPTION2(() => this.SUBRULE(this.expression, { LABEL: "upper" }));
            },
          },
          {
            ALT: () => {
              this.SUBRULE2(this.expression, { LABEL: "lower" });
              this.OPTION3(() => {
                this.CONSUME2(T.Colon);
                this.OPTION4(() => this.SUBRULE3(this.expression, { LABEL: "upper" }));
              });
            },
          },
        ]),
      );
    });
  });

  primary = this.RULE("primary", () => {
    this.OR(
      (this.primaryAlts ??= [
        { ALT: () => this.CONSUME(T.IntLiteral) },
        { ALT: () => this.CONSUME(T.RealLiteral) },
        { ALT: () => this.CONSUME(T.ImagLiteral) },
        {
          ALT: () => {
            this.CONSUME(T.Identifier);
            this.OPTION(() => this.SUBRULE(this.callArgs));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Target);
            this.CONSUME(T.LParen);
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME2(T.LParen, { LABEL: "parenOpen" });
            this.SUBRULE(this.expression, { LABEL: "inner" });
            this.CONSUME2(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBrace);
            this.SUBRULE2(this.expression, { LABEL: "arrayElement" });
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.SUBRULE3(this.expression, { LABEL: "arrayElement" });
            });
            this.CONSUME(T.RBrace);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            this.OPTION2(() => {
              this.SUBRULE4(this.expression, { LABEL: "rowElement" });
              this.MANY2(() => {
                this.CONSUME2(T.Comma);
                this.SUBRULE5(this.expression, { LABEL: "rowElement" });
              });
            });
            this.CONSUME(T.RBracket);
          },
        },
      ]),
    );
  });

  /** `(a, b)` or the conditional form `(y | a, b)`. */
  callArgs = this.RULE("callArgs", () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: "arg" });
      this.OR(
        (this.callArgsAlts10 ??= [
          {
            ALT: () => {
              this.CONSUME(T.Bar);
              this.OPTION2(() => {
                this.SUBRULE2(this.expression, { LABEL: "arg" });
                this.MANY(() => {
                  this.CONSUME(T.Comma);
                  this.SUBRULE3(this.expression, { LABEL: "arg" });
                });
              });
            },
          },
          {
            ALT: () =>
              this.MANY2(() => {
                this.CONSUME2(T.Comma);
                this.SUBRULE4(this.expression, { LABEL: "arg" });
              }),
          },
        ]),
      );
    });
    this.CONSUME(T.RParen);
  });
}
