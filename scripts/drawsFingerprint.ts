/**
 * Fingerprints of the draws every fixture program gives for a fixed seed: one short chain per
 * program (`stan2ts sample`, 150 warmup + 150 draws, seed 7), hashed over the CSV's draw rows.
 * A compiler refactoring that must not change the draws is checked by comparing this output
 * before and after:
 *
 *   node --import tsx scripts/drawsFingerprint.ts > before.txt   (on the old commit)
 *   node --import tsx scripts/drawsFingerprint.ts > after.txt && diff before.txt after.txt
 *
 * `--only a,b` limits the run to those fixtures.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const goodDir = join(root, "fixtures/stan/good");
const dataDir = join(root, "fixtures/data");
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? new Set(process.argv[onlyAt + 1].split(",")) : undefined;

for (const file of readdirSync(goodDir).filter((f) => f.endsWith(".stan")).sort()) {
  const name = file.replace(/\.stan$/, "");
  if (only && !only.has(name)) continue;
  const data = join(dataDir, `${name}.data.json`);
  if (!existsSync(data)) continue;
  const out = mkdtempSync(join(tmpdir(), "fingerprint-"));
  try {
    execFileSync(
      process.execPath,
      [join(root, "bin/stan2ts.js"), "sample", join(goodDir, file), "--data", data, "--chains", "1", "--warmup", "150", "--samples", "150", "--seed", "7", "-q", "-o", out],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    const csv = readdirSync(out).find((f) => f.endsWith(".csv"));
    const rows = readFileSync(join(out, csv as string), "utf8").split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    console.log(`${name} ${rows.length - 1} ${createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16)}`);
  } catch (e) {
    console.log(`${name} failed: ${String((e as { stderr?: Buffer }).stderr ?? e).split("\n")[0]}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
