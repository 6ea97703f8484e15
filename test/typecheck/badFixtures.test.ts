/**
 * Every program in fixtures/stan/bad must fail with exactly the message in its `.expected` file
 * (the rendered diagnostic, as the CLI prints it). `STAN2TS_UPDATE_EXPECTED=1 npx vitest run
 * test/typecheck/badFixtures.test.ts` rewrites the files; review the diff before committing.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkStan } from "../../src/driver/compile";
import { CompileError, renderDiagnostic } from "../../src/common/diagnostics";

const BAD = fileURLToPath(new URL("../../fixtures/stan/bad/", import.meta.url));
const UPDATE = process.env.STAN2TS_UPDATE_EXPECTED === "1";

function renderedError(file: string, source: string): string {
  try {
    checkStan(source, file);
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    const sources = (e as CompileError & { sources?: Map<string, string> }).sources ?? new Map();
    return renderDiagnostic(e.diagnostic, sources) + "\n";
  }
  return "(no error)\n";
}

describe("invalid programs yield their expected located message", () => {
  const files = readdirSync(BAD)
    .filter((f) => f.endsWith(".stan"))
    .sort();
  it("has at least 40 invalid programs", () => expect(files.length).toBeGreaterThanOrEqual(40));
  for (const f of files) {
    it(f, () => {
      const actual = renderedError(f, readFileSync(BAD + f, "utf8"));
      const expectedFile = BAD + f.replace(/\.stan$/, ".expected");
      if (UPDATE) writeFileSync(expectedFile, actual);
      expect(existsSync(expectedFile)).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, "utf8"));
      expect(actual).toMatch(/^(Syntax|Semantic) error in '/);
    });
  }
});
