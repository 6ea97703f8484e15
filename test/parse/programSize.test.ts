/** A program over the size limit is refused with a located message, not run out of memory (issue #15). */
import { describe, expect, it } from "vitest";
import { CompileError } from "../../src/common/diagnostics";
import { MAX_PROGRAM_CHARS, parseStan } from "../../src/parse/parseStan";

describe("program size", () => {
  const program = "parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n";
  const padded = (length: number) => `${program}// ${"x".repeat(length - program.length - 3)}`;

  it("a program of exactly the limit parses", () => {
    expect(padded(MAX_PROGRAM_CHARS).length).toBe(MAX_PROGRAM_CHARS);
    expect(parseStan(padded(MAX_PROGRAM_CHARS), "big.stan").program).toBeDefined();
  });

  it("one character more is a syntax error naming the size and the limit", () => {
    let error: unknown;
    try {
      parseStan(padded(MAX_PROGRAM_CHARS + 1), "big.stan");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).diagnostic.message).toBe(
      "The program is 1.0 million characters long; stan2ts compiles programs of up to 1,000,000 characters.",
    );
  });
});
