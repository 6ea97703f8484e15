/**
 * Output folders the user names (`sample -o`, `compile -o`): created safely, and every problem is
 * a user error naming the path and the reason.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserInputError } from "./command";
import { fileErrorReason } from "./fileErrors";

/**
 * Creates the output folder and any missing parents, one level at a time (Node 20's recursive
 * mkdirSync never returns for some paths, e.g. /proc/x). A path that is a file, or a folder that
 * cannot be created, is a user error naming the path.
 */
export function prepareOutputDir(outputDir: string): void {
  const target = resolve(outputDir);
  const missing: string[] = [];
  for (let path = target; ; path = dirname(path)) {
    let stats;
    try {
      stats = statSync(path, { throwIfNoEntry: false });
    } catch (error) {
      throw new UserInputError(`cannot use '${outputDir}' as the output folder: ${fileErrorReason(error)}.`);
    }
    if (stats !== undefined) {
      if (!stats.isDirectory()) {
        const where = path === target ? "it is a file" : `'${path}' is a file, not a folder`;
        throw new UserInputError(`cannot use '${outputDir}' as the output folder: ${where}.`);
      }
      break;
    }
    missing.push(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST" && statSync(path).isDirectory()) continue; // made meanwhile
      throw new UserInputError(`cannot create the output folder '${outputDir}': ${fileErrorReason(error)}.`);
    }
  }
}

/** Writes one file into the output folder; failure names the file and the reason. */
export function writeOutputFile(outputDir: string, name: string, text: string): void {
  const path = join(outputDir, name);
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UserInputError(`cannot write '${path}' in the output folder: ${fileErrorReason(error)}.`);
  }
}
