/**
 * The same draws on every JavaScript engine (issue 16): `Math`'s transcendental functions and the
 * `**` operator may return different last bits on V8, JavaScriptCore and others, so the runtime
 * (outside src/runtime/math/elementary, which implements them in plain double arithmetic) and the
 * generated model code must not use them. Comments and strings are skipped by scanning tokens.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { sourceFiles } from "./sourceFiles";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { compileStan } from "../../src/driver/compile";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ELEMENTARY = join(ROOT, "src/runtime/math/elementary");

/** Math functions whose results are implementation-approximated in ECMAScript (sqrt, abs, floor, … are exact). */
const ENGINE_DEPENDENT = new Set([
  "exp", "expm1", "log", "log1p", "log2", "log10", "pow", "cbrt", "hypot",
  "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
  "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
]);

/** `Math.f` uses of engine-dependent functions and `**` on numbers (BigInt `**` is exact), as "line: text". */
export function engineDependentMath(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ true, ts.LanguageVariant.Standard, source);
  const found: string[] = [];
  const tokens: { kind: ts.SyntaxKind; text: string; pos: number }[] = [];
  // brace depth per open template substitution: a template's middle and tail are only recognised
  // by re-scanning at the closing brace of its `${`
  const braceDepths: number[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken && braceDepths.length > 0) braceDepths[braceDepths.length - 1]++;
    if (kind === ts.SyntaxKind.CloseBraceToken && braceDepths.length > 0) {
      if (braceDepths[braceDepths.length - 1] === 0) {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) braceDepths.pop();
      } else braceDepths[braceDepths.length - 1]--;
    }
    if (kind === ts.SyntaxKind.TemplateHead) braceDepths.push(0);
    tokens.push({ kind, text: scanner.getTokenText(), pos: scanner.getTokenStart() });
  }
  const lineOf = (pos: number) => source.slice(0, pos).split("\n").length;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === ts.SyntaxKind.Identifier && t.text === "Math" && tokens[i + 1]?.kind === ts.SyntaxKind.DotToken) {
      const name = tokens[i + 2]?.text;
      if (name !== undefined && ENGINE_DEPENDENT.has(name)) found.push(`${lineOf(t.pos)}: Math.${name}`);
    }
    const isPower = t.kind === ts.SyntaxKind.AsteriskAsteriskToken || t.kind === ts.SyntaxKind.AsteriskAsteriskEqualsToken;
    if (isPower && tokens[i - 1]?.kind !== ts.SyntaxKind.BigIntLiteral) found.push(`${lineOf(t.pos)}: **`);
  }
  return found;
}

function report(file: string, source: string): string[] {
  return engineDependentMath(source).map((use) => `${file}:${use}`);
}

describe("deterministic elementary functions", () => {
  it("the scanner finds Math calls and ** outside comments and strings, and not BigInt powers", () => {
    const sample = [
      "// Math.exp(1) in a comment",
      "const a = Math.exp(x) + Math.sqrt(y);",
      "const s = 'Math.log(2)';",
      "const b = x ** 2;",
      "const c = 10n ** 3n;",
      "const t = `${Math.sin(x)} and Math.cos`;",
      "const d = f(x) ** 2;",
    ].join("\n");
    expect(engineDependentMath(sample)).toEqual(["2: Math.exp", "4: **", "6: Math.sin", "7: **"]);
  });

  it("src/runtime uses them only inside src/runtime/math/elementary", () => {
    const bad = sourceFiles(join(ROOT, "src/runtime"))
      .filter((file) => !file.startsWith(ELEMENTARY + "/"))
      .flatMap((file) => report(relative(ROOT, file), readFileSync(file, "utf8")));
    expect(bad).toEqual([]);
  });

  it("the generated model support code does not use them", () => {
    const bad = sourceFiles(join(ROOT, "src/codegen/support")).flatMap((file) => report(relative(ROOT, file), readFileSync(file, "utf8")));
    expect(bad).toEqual([]);
  });

  it("the committed generated modules (m1–m3) do not use them", () => {
    const dir = join(ROOT, "generated");
    const bad = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => report(`generated/${f}`, readFileSync(join(dir, f), "utf8")));
    expect(bad).toEqual([]);
  });

  it("the modules compiled from every good Stan fixture do not use them", async () => {
    const dir = join(ROOT, "fixtures/stan/good");
    const bad: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".stan"))) {
      const { code } = await compileStan(readFileSync(join(dir, file), "utf8"), file);
      bad.push(...report(file, code));
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
