/**
 * Fuzzing the front end: deterministic, seeded token-level mutations of every fixture (delete,
 * duplicate, swap, replace with another token from the program, truncate). Each mutant must either
 * pass (and then print → re-parse to the same tree) or fail with a located CompileError — never an
 * internal error — and no input may hang (the bound is a hang detector, not a speed target).
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { stanLexer } from "../../grammar/stan/lexer";
import { checkStan } from "../../src/driver/compile";
import { CompileError, renderDiagnostic } from "../../src/common/diagnostics";
import { printProgram } from "../../src/ast/printer";
import { parseStan } from "../../src/parse/parseStan";
import { withoutSpans } from "./astShape";

const FIXTURES = ["good", "bad"].flatMap((dir) => {
  const path = fileURLToPath(new URL(`../../fixtures/stan/${dir}/`, import.meta.url));
  return readdirSync(path)
    .filter((f) => f.endsWith(".stan"))
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, source: readFileSync(path + f, "utf8") }));
});

const MUTANTS_PER_FIXTURE = 30;
const HANG_BOUND_MS = 2000;

/** mulberry32: a small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Piece {
  readonly start: number;
  readonly end: number;
}

/** Rebuilds the source with token `pieces` in the given order, keeping the text between tokens. */
function mutate(source: string, random: () => number): string {
  const tokens: Piece[] = stanLexer
    .tokenize(source)
    .tokens.map((t) => ({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 }));
  if (tokens.length < 2) return source.slice(0, Math.floor(random() * source.length));
  const pick = (): number => Math.floor(random() * tokens.length);
  const text = (p: Piece): string => source.slice(p.start, p.end);
  const order = tokens.map(text);
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const i = pick();
    switch (Math.floor(random() * 5)) {
      case 0:
        order.splice(i, 1);
        break;
      case 1:
        order.splice(i, 0, order[i]);
        break;
      case 2: {
        const j = Math.min(order.length - 1, i + 1);
        [order[i], order[j]] = [order[j], order[i]];
        break;
      }
      case 3:
        order[i] = text(tokens[pick()]);
        break;
      default:
        order.length = Math.max(0, i);
        break;
    }
  }
  return order.join(" ");
}

describe("front-end fuzzing", () => {
  it(`never fails internally on ${FIXTURES.length * MUTANTS_PER_FIXTURE} seeded mutants`, () => {
    let compileErrors = 0;
    let accepted = 0;
    let slowest = 0;
    FIXTURES.forEach((fixture, fi) => {
      const random = rng(0x5eed + fi);
      for (let m = 0; m < MUTANTS_PER_FIXTURE; m++) {
        const mutant = mutate(fixture.source, random);
        const started = performance.now();
        try {
          const { program } = checkStan(mutant, "fuzz.stan");
          accepted++;
          const untyped = parseStan(mutant, "fuzz.stan").program;
          const reparsed = parseStan(printProgram(program), "fuzz.stan").program;
          expect(withoutSpans(reparsed), `${fixture.name} mutant ${m} round trip`).toEqual(
            withoutSpans(untyped),
          );
        } catch (e) {
          if (!(e instanceof CompileError)) {
            throw new Error(
              `internal error on ${fixture.name} mutant ${m}: ${(e as Error).stack}\n--- input ---\n${mutant}`,
            );
          }
          compileErrors++;
          const sources = (e as CompileError & { sources?: Map<string, string> }).sources;
          expect(sources?.get("fuzz.stan"), "errors carry their source").toBe(mutant);
          const rendered = renderDiagnostic(e.diagnostic, sources ?? new Map());
          expect(rendered).toMatch(
            /^(Syntax|Semantic) error in 'fuzz\.stan', line \d+, column \d+/,
          );
        }
        const elapsed = performance.now() - started;
        slowest = Math.max(slowest, elapsed);
        expect(elapsed, `${fixture.name} mutant ${m} took ${elapsed} ms`).toBeLessThan(
          HANG_BOUND_MS,
        );
      }
    });
    expect(compileErrors).toBeGreaterThan(0);
    expect(accepted).toBeGreaterThan(0);
  });

  it("reports pathologically deep nesting as a user error", () => {
    for (const depth of [50, 5000]) {
      const source = `transformed data { real x = ${"(".repeat(depth)}1${")".repeat(depth)}; }`;
      let outcome = "accepted";
      try {
        checkStan(source, "deep.stan");
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        outcome = e.diagnostic.message;
      }
      expect(outcome).toBe(
        depth === 50 ? "accepted" : "Brackets are nested 501 deep here (5,001 at the deepest); stan2ts parses programs nested up to 500 deep.",
      );
    }
  });
});
