/** `stan2ts check model.stan`: parse and type-check; print a short summary or the located error. */
import type { ProgramBlock, Typed, TypedProgram } from "../../ast/ast";
import { printDeclType } from "../../ast/printer";
import { renderDiagnostic } from "../../common/diagnostics";
import type { Command } from "../command";
import { checkStan } from "../compile";
import { readStanFileArg } from "./stanFile";

const BLOCKS: readonly [keyof TypedProgram, string][] = [
  ["functions", "functions"],
  ["data", "data"],
  ["transformedData", "transformed data"],
  ["parameters", "parameters"],
  ["transformedParameters", "transformed parameters"],
  ["model", "model"],
  ["generatedQuantities", "generated quantities"],
];

/** The summary `check` prints for a valid program. */
export function summariseProgram(file: string, program: TypedProgram): string {
  const lines = [`${file}: OK`];
  const present = BLOCKS.filter(([key]) => program[key] !== undefined).map(([, name]) => name);
  lines.push(`blocks: ${present.join(", ") || "(none)"}`);
  if (program.functions && program.functions.defs.length > 0) {
    const names = [...new Set(program.functions.defs.map((d) => d.name))];
    lines.push(`functions: ${names.join(", ")}`);
  }
  const declared = (block: ProgramBlock<Typed> | undefined, title: string): void => {
    const decls = (block?.stmts ?? []).flatMap((s) => (s.kind === "VarDecl" ? [s] : []));
    if (decls.length === 0) return;
    lines.push(`${title}:`);
    const width = Math.max(...decls.map((d) => d.name.length));
    for (const d of decls) lines.push(`  ${d.name.padEnd(width)}  ${printDeclType(d.declType)}`);
  };
  declared(program.parameters, "parameters");
  declared(program.transformedParameters, "transformed parameters");
  declared(program.generatedQuantities, "generated quantities");
  return lines.join("\n");
}

export const checkCommand: Command = {
  name: "check",
  summary: "parse and type-check a Stan program; print its blocks and parameters",
  help: [
    "Usage: stan2ts check <model.stan>",
    "",
    "Parses and type-checks the program. On success prints the blocks present and every",
    "parameter, transformed parameter and generated quantity with its type and constraint,",
    "and exits 0. On error prints the located message and exits 1. Warnings go to stderr.",
  ].join("\n"),
  async run(argv) {
    const { file, source } = readStanFileArg(argv, "check");
    const { program, warnings } = checkStan(source, file);
    const sources = new Map([[file, source]]);
    for (const w of warnings) console.error(renderDiagnostic(w, sources));
    console.log(summariseProgram(file, program));
    return 0;
  },
};
