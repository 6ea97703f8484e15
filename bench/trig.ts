/**
 * Speed of the deterministic trigonometric functions (src/runtime/math/elementary/trig.ts) against
 * the engine's Math.*: nanoseconds per call over 65,536 pre-drawn arguments per row, the best of
 * several interleaved rounds (Math, ours, Math, ours, …) so that both see the same machine load.
 *
 *   node --import tsx bench/trig.ts [rounds=15]
 */
import * as trig from "../src/runtime/math/elementary/trig";

const ARGUMENTS = 65_536;
const rounds = Number(process.argv[2] ?? 15);

/** Arguments from a fixed linear congruential stream, mapped by `draw` (no Math.random: same rows every run). */
function argumentsFrom(draw: (u: number) => number): Float64Array {
  const values = new Float64Array(ARGUMENTS);
  let state = 12345;
  for (let i = 0; i < ARGUMENTS; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    values[i] = draw(state / 4294967296);
  }
  return values;
}

interface Row {
  label: string;
  ours: (x: number) => number;
  builtin: (x: number) => number;
  args: Float64Array;
}

const small = argumentsFrom((u) => (u - 0.5) * 1.5); // |x| < π/4: no reduction
const moderate = argumentsFrom((u) => (u - 0.5) * 200); // Cody–Waite
const huge = argumentsFrom((u) => (u - 0.5) * 2 ** (30 + 900 * u)); // Payne–Hanek
const unit = argumentsFrom((u) => 2 * u - 1);
const wide = argumentsFrom((u) => (u - 0.5) * 2 ** (60 * u - 30));

const rows: Row[] = [
  { label: "sin |x|<π/4", ours: trig.sin, builtin: Math.sin, args: small },
  { label: "sin |x|<100", ours: trig.sin, builtin: Math.sin, args: moderate },
  { label: "sin huge", ours: trig.sin, builtin: Math.sin, args: huge },
  { label: "cos |x|<100", ours: trig.cos, builtin: Math.cos, args: moderate },
  { label: "tan |x|<100", ours: trig.tan, builtin: Math.tan, args: moderate },
  { label: "asin", ours: trig.asin, builtin: Math.asin, args: unit },
  { label: "acos", ours: trig.acos, builtin: Math.acos, args: unit },
  { label: "atan", ours: trig.atan, builtin: Math.atan, args: wide },
];
const atan2Ours = (x: number) => trig.atan2(x, 1.5 - x * 0.25);
const atan2Builtin = (x: number) => Math.atan2(x, 1.5 - x * 0.25);
rows.push({ label: "atan2", ours: atan2Ours, builtin: atan2Builtin, args: moderate });

/** ns per call of one pass; the sum keeps the calls from being optimised away. */
function time(f: (x: number) => number, args: Float64Array): { ns: number; sum: number } {
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < args.length; i++) sum += f(args[i]);
  return { ns: Number(process.hrtime.bigint() - start) / args.length, sum };
}

let sink = 0;
console.log(`rounds: ${rounds}, ${ARGUMENTS} arguments per row (best round reported)`);
console.log(
  "function".padEnd(14) + "Math ns".padStart(9) + "ours ns".padStart(9) + "ratio".padStart(8),
);
for (const row of rows) {
  let bestBuiltin = Infinity;
  let bestOurs = Infinity;
  for (let r = 0; r < rounds; r++) {
    const a = time(row.builtin, row.args);
    const b = time(row.ours, row.args);
    bestBuiltin = Math.min(bestBuiltin, a.ns);
    bestOurs = Math.min(bestOurs, b.ns);
    sink += a.sum + b.sum;
  }
  console.log(
    row.label.padEnd(14) +
      bestBuiltin.toFixed(1).padStart(9) +
      bestOurs.toFixed(1).padStart(9) +
      (bestOurs / bestBuiltin).toFixed(2).padStart(8),
  );
}
if (Number.isNaN(sink)) console.log("(sink)", sink);
