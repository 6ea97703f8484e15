/**
 * The grammar of the R subset used by brms model scripts, as a Chevrotain CST parser. Precedence
 * follows R's `?Syntax`, lowest first: assignment, `~`, `|`/`||`, `&`/`&&`, `!`, comparison, `+ -`,
 * `* /`, `%op%`/`|>`, `:`, unary minus, `^`, then calls, `$` and indexing. Formulas are ordinary
 * expressions here (`(1 + x | id | g)` is `((1 + x) | id) | g`); their meaning is the front end's job.
 */
import { CstParser, type CstNode, type IToken } from "chevrotain";
import * as t from "./tokens";

class RParser extends CstParser {
  constructor() {
    super(t.allTokens, { maxLookahead: 3, recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  script = this.RULE("script", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.CONSUME(t.Semicolon) },
        { ALT: () => this.SUBRULE(this.statement) },
      ]);
    });
  });

  statement = this.RULE("statement", () => {
    this.SUBRULE(this.assignExpr);
  });

  assignExpr = this.RULE("assignExpr", () => {
    this.SUBRULE(this.tildeExpr);
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(t.LeftAssign) }, { ALT: () => this.CONSUME(t.Equals) }]);
      this.SUBRULE2(this.assignExpr);
    });
  });

  /** `lhs ~ rhs` or the one-sided `~ rhs`. */
  tildeExpr = this.RULE("tildeExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Tilde);
          this.SUBRULE(this.orExpr, { LABEL: "rhs" });
        },
      },
      {
        ALT: () => {
          this.SUBRULE2(this.orExpr, { LABEL: "lhs" });
          this.OPTION(() => {
            this.CONSUME2(t.Tilde);
            this.SUBRULE3(this.orExpr, { LABEL: "rhs" });
          });
        },
      },
    ]);
  });

  orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(t.Or, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(t.OrOr, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.andExpr, { LABEL: "operands" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(t.And, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(t.AndAnd, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.notExpr, { LABEL: "operands" });
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Not);
          this.SUBRULE(this.notExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.compareExpr) },
    ]);
  });

  compareExpr = this.RULE("compareExpr", () => {
    this.SUBRULE(this.addExpr, { LABEL: "operands" });
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(t.Compare, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(t.EqualEqual, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.addExpr, { LABEL: "operands" });
    });
  });

  addExpr = this.RULE("addExpr", () => {
    this.SUBRULE(this.mulExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(t.Plus, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(t.Minus, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.mulExpr, { LABEL: "operands" });
    });
  });

  mulExpr = this.RULE("mulExpr", () => {
    this.SUBRULE(this.specialExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(t.Star, { LABEL: "ops" }) }, { ALT: () => this.CONSUME(t.Slash, { LABEL: "ops" }) }]);
      this.SUBRULE2(this.specialExpr, { LABEL: "operands" });
    });
  });

  specialExpr = this.RULE("specialExpr", () => {
    this.SUBRULE(this.colonExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.SpecialOp, { LABEL: "ops" }) },
        { ALT: () => this.CONSUME(t.NativePipe, { LABEL: "ops" }) },
      ]);
      this.SUBRULE2(this.colonExpr, { LABEL: "operands" });
    });
  });

  colonExpr = this.RULE("colonExpr", () => {
    this.SUBRULE(this.unaryExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(t.Colon, { LABEL: "ops" });
      this.SUBRULE2(this.unaryExpr, { LABEL: "operands" });
    });
  });

  unaryExpr = this.RULE("unaryExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(t.Minus, { LABEL: "op" }) }, { ALT: () => this.CONSUME(t.Plus, { LABEL: "op" }) }]);
          this.SUBRULE(this.unaryExpr);
        },
      },
      { ALT: () => this.SUBRULE(this.powerExpr) },
    ]);
  });

  /** `^` is right-associative and binds tighter than unary minus on its left (`-2^2` is -4). */
  powerExpr = this.RULE("powerExpr", () => {
    this.SUBRULE(this.postfixExpr);
    this.OPTION(() => {
      this.CONSUME(t.Caret);
      this.SUBRULE(this.unaryExpr, { LABEL: "exponent" });
    });
  });

  postfixExpr = this.RULE("postfixExpr", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.callSuffix) },
        {
          ALT: () => {
            this.CONSUME(t.Dollar);
            this.CONSUME(t.Identifier, { LABEL: "member" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.LBracket);
            this.SUBRULE(this.argList, { LABEL: "index" });
            this.CONSUME(t.RBracket);
          },
        },
      ]);
    });
  });

  callSuffix = this.RULE("callSuffix", () => {
    this.CONSUME(t.LParen);
    this.SUBRULE(this.argList);
    this.CONSUME(t.RParen);
  });

  argList = this.RULE("argList", () => {
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.argument);
      });
    });
  });

  /** `name = value` or a positional value. */
  argument = this.RULE("argument", () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === t.Equals,
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(t.Identifier, { LABEL: "name" }) },
          { ALT: () => this.CONSUME(t.StringLiteral, { LABEL: "name" }) },
        ]);
        this.CONSUME(t.Equals);
      },
    });
    this.SUBRULE(this.tildeExpr, { LABEL: "value" });
  });

  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.CONSUME(t.Null) },
      { ALT: () => this.CONSUME(t.NA) },
      {
        ALT: () => {
          this.CONSUME(t.Identifier, { LABEL: "name" });
          this.OPTION(() => {
            this.CONSUME(t.DoubleColon);
            this.CONSUME2(t.Identifier, { LABEL: "name" });
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.assignExpr, { LABEL: "inner" });
          this.CONSUME(t.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.LBrace);
          this.MANY(() => {
            this.OR2([
              { ALT: () => this.CONSUME(t.Newline) },
              { ALT: () => this.CONSUME(t.Semicolon) },
              { ALT: () => this.SUBRULE(this.statement, { LABEL: "body" }) },
            ]);
          });
          this.CONSUME(t.RBrace);
        },
      },
    ]);
  });
}

/** The one parser instance; set `input` then call `script()`. */
export const rParser = new RParser();

export function parseRTokens(tokens: IToken[]): CstNode {
  rParser.input = tokens;
  return rParser.script();
}

export type { RParser };
