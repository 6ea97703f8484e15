/**
 * The compiler builds the Stan lexer and parser without Chevrotain's grammar validations (they
 * cost start-up time and only find defects of the grammar). Here they run: building both
 * validated throws on a grammar defect, and the validated and unvalidated ones read every good
 * fixture to the same tokens and the same concrete syntax tree.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CstElement, type CstNode, type IToken, Lexer } from "chevrotain";
import { describe, expect, it } from "vitest";
import { STAN_LEXER_CONFIG, stanLexer } from "../../grammar/stan/lexer";
import { StanParser } from "../../grammar/stan/parser";
import { allTokens } from "../../grammar/stan/tokens";
import { stanErrorMessages } from "../../src/parse/syntaxMessages";
import { ROOT } from "../bundle/helpers";

const GOOD = join(ROOT, "fixtures/stan/good");

const tokenText = (t: IToken) => `${t.tokenType.name}:${t.image}@${t.startOffset}`;

/** A CST as plain data: rule names, child keys in order, tokens as type, text and offset. */
function plain(element: CstElement): unknown {
  if (!("children" in element)) return tokenText(element);
  const node = element as CstNode;
  return { name: node.name, children: Object.fromEntries(Object.entries(node.children).map(([k, v]) => [k, v.map(plain)])) };
}

describe("Stan grammar validations", () => {
  it("the lexer and the parser pass Chevrotain's validations", () => {
    expect(() => new Lexer(allTokens, STAN_LEXER_CONFIG)).not.toThrow();
    expect(() => new StanParser(stanErrorMessages)).not.toThrow();
  });

  it("validated and unvalidated read every good fixture alike", () => {
    const validatedLexer = new Lexer(allTokens, STAN_LEXER_CONFIG);
    const validated = new StanParser(stanErrorMessages);
    const unvalidated = new StanParser(stanErrorMessages, false);
    const files = readdirSync(GOOD).filter((f) => f.endsWith(".stan"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const source = readFileSync(join(GOOD, file), "utf8");
      const tokens = validatedLexer.tokenize(source).tokens;
      expect(stanLexer.tokenize(source).tokens.map(tokenText), file).toEqual(tokens.map(tokenText));
      validated.input = tokens;
      const expected = plain(validated.program());
      unvalidated.input = tokens;
      expect(plain(unvalidated.program()), file).toEqual(expected);
      expect(unvalidated.errors, file).toEqual([]);
    }
  });
});
