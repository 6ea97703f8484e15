import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `stan2ts-${prefix}-`));
}

type M1Data = { N: number; Y: number[]; K: number; X: number[][]; N_1: number; M_1: number; J_1: number[]; Z_1_1: number[]; Z_1_2: number[]; NC_1: number; prior_only: number };

/** fixtures/data/m1.data.json restricted to its first `people` people (keeps tests fast). */
export function m1Subsample(people: number): Record<string, unknown> {
  const d = JSON.parse(readFileSync(join(ROOT, "fixtures/data/m1.data.json"), "utf8")) as M1Data;
  const keep = d.J_1.map((j, i) => (j <= people ? i : -1)).filter((i) => i >= 0);
  return {
    ...d,
    N: keep.length,
    Y: keep.map((i) => d.Y[i]),
    X: keep.map((i) => d.X[i]),
    N_1: people,
    J_1: keep.map((i) => d.J_1[i]),
    Z_1_1: keep.map((i) => d.Z_1_1[i]),
    Z_1_2: keep.map((i) => d.Z_1_2[i]),
  };
}
