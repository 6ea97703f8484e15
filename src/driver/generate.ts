/**
 * `npm run generate` compiles the lecture models fixtures/stan/good/m{1,2,3}.stan into generated/
 * and writes docs/functions.md from the primitive registry; `npm run generate:check` (CI)
 * regenerates both in memory and fails on any difference.
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileStan } from "./compile";
import { renderFunctionReference } from "../primitives/functionReference";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const GENERATED_MODELS = ["m1", "m2", "m3"] as const;

export async function generatedText(name: string): Promise<string> {
  const file = `${ROOT}fixtures/stan/good/${name}.stan`;
  const result = await compileStan(readFileSync(file, "utf8"), `${name}.stan`, {
    name,
    runtimeImport: "../src/runtime",
    supportImport: "../src/codegen/support/modelSupport",
  });
  return result.code;
}

async function main(check: boolean): Promise<number> {
  let stale = 0;
  mkdirSync(`${ROOT}generated`, { recursive: true });
  for (const name of GENERATED_MODELS) {
    const path = `${ROOT}generated/${name}.ts`;
    const text = await generatedText(name);
    if (check) {
      const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
      if (current !== text) {
        console.error(`generated/${name}.ts is out of date: run \`npm run generate\`.`);
        stale++;
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote generated/${name}.ts`);
    }
  }
  const reference = `${ROOT}docs/functions.md`;
  const referenceText = renderFunctionReference();
  if (check) {
    if (!existsSync(reference) || readFileSync(reference, "utf8") !== referenceText) {
      console.error("docs/functions.md is out of date: run `npm run generate`.");
      stale++;
    }
  } else {
    writeFileSync(reference, referenceText);
    console.log("wrote docs/functions.md");
  }
  if (check && stale === 0) console.log(`generated/ is up to date (${GENERATED_MODELS.join(", ")}), and docs/functions.md.`);
  return stale === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.includes("--check")).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
