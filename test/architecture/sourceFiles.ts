import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every `.ts` file under `dir`, recursively (the architecture tests' view of a source tree). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}
