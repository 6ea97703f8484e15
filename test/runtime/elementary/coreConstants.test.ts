/**
 * The cores of the deterministic functions are created by factories that bind every module
 * constant they read as the factory's own consts (see "Constants" in
 * src/runtime/math/elementary/bits.ts): in a bundle, module constants become mutable `var`s that
 * V8 reloads and re-checks on every read, while a factory's consts are folded into the optimised
 * code. A core that read a module binding directly would still compute the same bits, only slower,
 * so nothing else would notice; this test resolves every identifier inside each factory with the
 * TypeScript checker and fails on one that names a module-level binding (or an import) instead of
 * the factory's destructured constants.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const MATH = fileURLToPath(new URL("../../../src/runtime/math/", import.meta.url));
const FILES = [
  ...readdirSync(join(MATH, "elementary"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(MATH, "elementary", f)),
  join(MATH, "special.ts"),
];

/** The factories of a file: top-level functions named create…Core(s) taking one `constants` parameter. */
function factoriesOf(source: ts.SourceFile): ts.FunctionDeclaration[] {
  return source.statements.filter(
    (s): s is ts.FunctionDeclaration =>
      ts.isFunctionDeclaration(s) && s.name !== undefined && /^create\w*Cores?$/.test(s.name.text),
  );
}

/** True when the declaration sits at module level (no function between it and the source file). */
function isModuleLevel(declaration: ts.Node): boolean {
  for (let node = declaration.parent; node !== undefined; node = node.parent) {
    if (ts.isFunctionLike(node)) return false;
    if (ts.isSourceFile(node)) return true;
  }
  return false;
}

/** Module-level bindings a factory's code reads other than through its `constants` parameter, as "name (line)". */
function moduleReads(file: string): { factories: string[]; reads: string[] } {
  const program = ts.createProgram([file], { noResolve: true, noLib: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const factories = factoriesOf(source);
  const reads: string[] = [];
  for (const factory of factories) {
    const visit = (node: ts.Node): void => {
      if (ts.isTypeNode(node)) return; // types are erased
      if (ts.isIdentifier(node) && !(ts.isPropertyAccessExpression(node.parent) && node.parent.name === node)) {
        const declaration = checker.getSymbolAtLocation(node)?.declarations?.[0];
        if (declaration !== undefined && isModuleLevel(declaration)) {
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          reads.push(`${node.text} (line ${line})`);
        }
      }
      ts.forEachChild(node, visit);
    };
    // the parameter's type (`typeof X_CORE_CONSTANTS`) names the module's object on purpose
    if (factory.body !== undefined) visit(factory.body);
  }
  return { factories: factories.map((f) => f.name!.text), reads };
}

describe("the elementary and gamma-family cores read module constants only through their factory", () => {
  const withFactories = FILES.map((file) => ({ file, ...moduleReads(file) })).filter((r) => r.factories.length > 0);
  it("finds the factories", () => {
    expect(withFactories.flatMap((r) => r.factories)).toEqual(
      expect.arrayContaining(["createExpCores", "createLogCores", "createPowCore", "createTrigCores", "createGammaCores"]),
    );
  });
  for (const { file, factories, reads } of withFactories) {
    it(`${file.slice(MATH.length)} (${factories.join(", ")})`, () => {
      expect(reads).toEqual([]);
    });
  }
});
