/**
 * Seeded RNG and the adjoint harness shared by the linalg and container kernel tests: each
 * adjoint is checked against central finite differences along random directions and by the
 * dot-product test ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩.
 */

function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const rng = makeRng(7411);
const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
export const randomVector = (n: number) => Float64Array.from({ length: n }, normal);

/** Central difference with one Richardson step: error O(h⁴). */
function derivative(f: (t: number) => number, h = 1e-3): number {
  const d = (step: number) => (f(step) - f(-step)) / (2 * step);
  return (4 * d(h / 2) - d(h)) / 3;
}
function expectClose(actual: number, expected: number, relTol: number, label: string): void {
  const scale = Math.max(Math.abs(actual), Math.abs(expected), 1e-3);
  if (!(Math.abs(actual - expected) <= relTol * scale))
    throw new Error(
      `${label}: got ${actual}, expected ${expected} (relative error ${Math.abs(actual - expected) / scale})`,
    );
}

export interface KernelCase {
  /** The exported forward kernel this case checks. */
  kernel: string;
  label: string;
  /** Differentiable arguments (a scalar argument is a length-1 array, passed as a number / box). */
  args: Float64Array[];
  /** Arguments that must stay symmetric n×n (perturbed as E_ij + E_ji). */
  symmetric?: { index: number; n: number }[];
  forward(args: Float64Array[]): Float64Array;
  adjoint(
    outAdj: Float64Array,
    out: Float64Array,
    args: Float64Array[],
    adjs: (Float64Array | null)[],
  ): void;
}

/** Unit perturbation directions for argument a: coordinates, or symmetric pairs. */
function directions(c: KernelCase, a: number): Array<{ label: string; dir: Float64Array }> {
  const len = c.args[a].length;
  const sym = c.symmetric?.find((s) => s.index === a);
  const dirs: Array<{ label: string; dir: Float64Array }> = [];
  if (sym) {
    for (let j = 0; j < sym.n; j++)
      for (let i = j; i < sym.n; i++) {
        const dir = new Float64Array(len);
        dir[i + j * sym.n] = 1;
        dir[j + i * sym.n] = 1;
        dirs.push({ label: `[${i},${j}]+[${j},${i}]`, dir });
      }
  } else
    for (let p = 0; p < len; p++) {
      const dir = new Float64Array(len);
      dir[p] = 1;
      dirs.push({ label: `[${p}]`, dir });
    }
  return dirs;
}

function shifted(args: Float64Array[], a: number, dir: Float64Array, t: number): Float64Array[] {
  return args.map((x, k) => (k === a ? x.map((v, p) => v + t * dir[p]) : x));
}

export function checkAdjoint(c: KernelCase): void {
  const out = c.forward(c.args);
  const w = randomVector(out.length);
  const adjs = c.args.map((x) => new Float64Array(x.length).fill(0.5));
  c.adjoint(w, out, c.args, adjs);
  const objective = (args: Float64Array[]) => c.forward(args).reduce((s, v, i) => s + v * w[i], 0);
  // Gradient of ⟨w, f(x)⟩ coordinate by coordinate (symmetric arguments: along E_ij + E_ji).
  c.args.forEach((_, a) => {
    for (const { label, dir } of directions(c, a)) {
      const fd = derivative((t) => objective(shifted(c.args, a, dir, t)));
      const adj = adjs[a].reduce((s, v, p) => s + (v - 0.5) * dir[p], 0);
      expectClose(adj, fd, 1e-6, `${c.label}: argument ${a}${label}`);
    }
  });
  // Dot-product test ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ along one random direction in every argument at once.
  const vs = c.args.map((x, a) => {
    const v = randomVector(x.length);
    const sym = c.symmetric?.find((s) => s.index === a);
    if (sym)
      for (let j = 0; j < sym.n; j++)
        for (let i = 0; i < j; i++) v[i + j * sym.n] = v[j + i * sym.n];
    return v;
  });
  const jv = derivative((t) => objective(c.args.map((x, a) => x.map((v, p) => v + t * vs[a][p]))));
  const jtw = adjs.reduce(
    (s, adj, a) => s + adj.reduce((ss, v, p) => ss + (v - 0.5) * vs[a][p], 0),
    0,
  );
  expectClose(jtw, jv, 1e-6, `${c.label}: dot-product test`);
  // Data arguments: every adjoint may be null.
  c.adjoint(
    w,
    out,
    c.args,
    c.args.map(() => null),
  );
}
