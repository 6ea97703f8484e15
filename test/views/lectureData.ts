/** The lecture's data and its printed precis table, shared by the views tests. */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** `../shared/data/williams-seed.csv` beside the repository (present in CI and on the dev machine). */
export const SEED_CSV = fileURLToPath(new URL("../../../shared/data/williams-seed.csv", import.meta.url));
export const LECTURE_TXT = fileURLToPath(new URL("../../../shared/seed/000_60ba7eba6ef80766.txt", import.meta.url));
export const haveSeedData = existsSync(SEED_CSV);

export interface LectureRow {
  readonly name: string;
  readonly cells: readonly string[];
  readonly histogram: string;
}

/** The header and rows of `rethinking::precis(d)` as the lecture prints them. */
export function lecturePrecis(): { text: string; rows: LectureRow[] } {
  const lines = readFileSync(LECTURE_TXT, "utf8").split("\n");
  const start = lines.findIndex((l) => l.startsWith("rethinking::precis(d)")) + 1;
  const tableLines = lines.slice(start, start + 11);
  const rows = tableLines.slice(1).map((line) => {
    const parts = line.trim().split(/\s+/);
    return { name: parts[0], cells: parts.slice(1, 5), histogram: parts[5] };
  });
  return { text: tableLines.join("\n") + "\n", rows };
}
