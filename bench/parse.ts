/**
 * Front-end speed: parse + type-check of the lecture's m2 (the largest lecture model), warm.
 * Reports the median and 90th percentile over many runs after a warm-up, split into parsing and
 * checking. Aim: under 20 ms warm for parse + check.
 *
 *   node --import tsx bench/parse.ts [runs=200] [file=fixtures/stan/good/m2.stan]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseStan } from "../src/parse/parseStan";
import { checkProgram } from "../src/typecheck/checkProgram";

const runs = Number(process.argv[2] ?? 200);
const file =
  process.argv[3] ?? fileURLToPath(new URL("../fixtures/stan/good/m2.stan", import.meta.url));
const source = readFileSync(file, "utf8");

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const warmup = Math.max(20, Math.floor(runs / 4));
for (let i = 0; i < warmup; i++) checkProgram(parseStan(source, file).program);

// CPU time of the whole timed loop: less sensitive than wall time when the machine is shared.
const cpuBefore = process.cpuUsage();
const parseTimes: number[] = [];
const checkTimes: number[] = [];
const totalTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const { program } = parseStan(source, file);
  const t1 = performance.now();
  checkProgram(program);
  const t2 = performance.now();
  parseTimes.push(t1 - t0);
  checkTimes.push(t2 - t1);
  totalTimes.push(t2 - t0);
}
const cpu = process.cpuUsage(cpuBefore);
const cpuMsPerRun = (cpu.user + cpu.system) / 1000 / runs;
for (const xs of [parseTimes, checkTimes, totalTimes]) xs.sort((a, b) => a - b);

const fmt = (x: number): string => x.toFixed(3).padStart(8);
console.log(
  `front end on ${file} (${source.length} chars), ${runs} warm runs after ${warmup} warm-up runs`,
);
console.log(`                 median      p90  (ms)`);
console.log(`parse          ${fmt(quantile(parseTimes, 0.5))} ${fmt(quantile(parseTimes, 0.9))}`);
console.log(`check          ${fmt(quantile(checkTimes, 0.5))} ${fmt(quantile(checkTimes, 0.9))}`);
console.log(
  `parse + check  ${fmt(quantile(totalTimes, 0.5))} ${fmt(quantile(totalTimes, 0.9))}   (target < 20 ms)`,
);
console.log(`CPU time per parse + check (mean, includes GC): ${cpuMsPerRun.toFixed(3)} ms`);
