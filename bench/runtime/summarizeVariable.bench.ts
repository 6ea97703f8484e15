/**
 * Speed of summarizeVariable at the size of the lecture's m2 fit: 1600 variables × 4 chains ×
 * 2000 draws. Run: `npx tsx bench/runtime/summarizeVariable.bench.ts`. Reports wall and CPU time
 * for two mixes: well-mixed draws (AR(1) φ = 0.3, like most posterior variables) and a hard mix
 * (a fifth at φ = 0.9, some at φ = 0.99, some discrete with ties).
 */
import { summarizeVariable } from "../../src/runtime/diagnostics";

const VARIABLES = 1600;
const CHAINS = 4;
const DRAWS = 2000;

let state = 1;
function uniform(): number {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return (state + 0.5) / 4294967296;
}
function normal(): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function makeDraws(
  phiFor: (v: number) => number,
  discrete: (v: number) => boolean,
): Float64Array[][] {
  const all: Float64Array[][] = [];
  for (let v = 0; v < VARIABLES; v++) {
    const phi = phiFor(v);
    const chains: Float64Array[] = [];
    for (let c = 0; c < CHAINS; c++) {
      const chain = new Float64Array(DRAWS);
      let x = 0;
      for (let i = 0; i < DRAWS; i++) {
        x = phi * x + normal();
        chain[i] = discrete(v) ? Math.round(x) : x;
      }
      chains.push(chain);
    }
    all.push(chains);
  }
  return all;
}

function time(label: string, draws: Float64Array[][]): void {
  for (let rep = 0; rep < 3; rep++) {
    const wall0 = performance.now();
    const cpu0 = process.cpuUsage();
    let checksum = 0;
    for (const chains of draws) checksum += summarizeVariable("x", chains, [0.025, 0.975]).essBulk;
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `${label} rep ${rep}: ${VARIABLES} variables × ${CHAINS * DRAWS} draws: wall ${(performance.now() - wall0).toFixed(0)} ms, ` +
        `cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (checksum ${checksum.toFixed(0)})`,
    );
  }
}

time(
  "well-mixed",
  makeDraws(
    () => 0.3,
    () => false,
  ),
);
time(
  "hard mix  ",
  makeDraws(
    (v) => (v % 5 === 0 ? 0.9 : v % 7 === 0 ? 0.99 : 0.3),
    (v) => v % 11 === 0,
  ),
);
