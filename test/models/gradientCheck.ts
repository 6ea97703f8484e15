/**
 * Gradient checks for compiled models: derived gradient vs central finite differences, per
 * coordinate (small models) or along random directions (large ones), with a seeded generator.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompiledModel, ModelInstance } from "../../src/runtime/model";
import { compileStan } from "../../src/driver/compile";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

let loadCounter = 0;

/** Compiles Stan source to a module in a temp folder and imports it. */
export async function loadCompiled(
  source: string,
  file: string,
  options: { sufficientStatistics?: boolean; instrument?: (code: string) => string } = {},
): Promise<CompiledModel> {
  const { instrument, ...compileOptions } = options;
  const r = await compileStan(source, file, {
    ...compileOptions,
    runtimeImport: join(SRC, "runtime"),
    supportImport: join(SRC, "codegen/support/modelSupport"),
  });
  const dir = join(tmpdir(), "stan2ts-test");
  mkdirSync(dir, { recursive: true });
  // .mts: a Node loader (the slow tier's tsx) reads a .ts outside any package as CommonJS, which
  // would load a second, CommonJS copy of the runtime for the model
  const unique = `${process.pid}_${Date.now()}_${(loadCounter++).toString(36)}`;
  const path = join(dir, `${r.name}_${unique}.mts`);
  writeFileSync(path, instrument ? instrument(r.code) : r.code);
  const mod = (await import(/* @vite-ignore */ path)) as { model: CompiledModel };
  return mod.model;
}

export function seededUniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Fourth-order central difference of f along direction v at theta. */
export function directionalFd(inst: ModelInstance, theta: Float64Array, v: Float64Array, h: number): number {
  const x = new Float64Array(theta.length);
  const f = (t: number) => {
    for (let i = 0; i < x.length; i++) x[i] = theta[i] + t * v[i];
    return inst.logDensity(x);
  };
  return (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
}

export interface CheckResult {
  readonly worst: number;
  readonly where: string;
}

/**
 * The finite difference at the step that agrees best with `g`, over several steps: the right step
 * trades truncation error against rounding error in |f| (a log density of −4·10⁶ loses 10⁻⁶ to
 * rounding at h = 10⁻⁴), and is not known in advance. A wrong gradient disagrees at every step.
 */
export function bestFd(inst: ModelInstance, theta: Float64Array, v: Float64Array, g: number): number {
  let best = NaN;
  let bestErr = Infinity;
  for (const h of [1e-2, 1e-3, 1e-4, 1e-5]) {
    const fd = directionalFd(inst, theta, v, h);
    const err = Math.abs(fd - g);
    if (err < bestErr || Number.isNaN(best)) {
      best = fd;
      bestErr = err;
    }
  }
  return best;
}

/** Per-coordinate check: max relative error max|g − fd| / max(1, |fd|). */
export function coordinateCheck(inst: ModelInstance, theta: Float64Array): CheckResult {
  const g = new Float64Array(inst.dim);
  inst.logDensityGradient(theta, g);
  let worst = 0;
  let where = "";
  const e = new Float64Array(inst.dim);
  for (let i = 0; i < inst.dim; i++) {
    e.fill(0);
    e[i] = 1;
    const fd = bestFd(inst, theta, e, g[i]);
    const err = Math.abs(fd - g[i]) / Math.max(1, Math.abs(fd));
    if (err > worst) {
      worst = err;
      where = `${inst.unconstrainedNames[i]}: gradient ${g[i]}, finite difference ${fd}`;
    }
  }
  return { worst, where };
}

/** Directional check along `directions` random unit directions. */
export function directionalCheck(inst: ModelInstance, theta: Float64Array, rnd: () => number, directions: number): CheckResult {
  const g = new Float64Array(inst.dim);
  inst.logDensityGradient(theta, g);
  let worst = 0;
  let where = "";
  for (let d = 0; d < directions; d++) {
    const v = new Float64Array(inst.dim);
    let norm = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] = rnd() * 2 - 1;
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    let gv = 0;
    for (let i = 0; i < v.length; i++) {
      v[i] /= norm;
      gv += g[i] * v[i];
    }
    const fd = bestFd(inst, theta, v, gv);
    const err = Math.abs(fd - gv) / Math.max(1, Math.abs(fd));
    if (err > worst) {
      worst = err;
      where = `direction ${d}: gradient·v ${gv}, finite difference ${fd}`;
    }
  }
  return { worst, where };
}

export function randomPoint(dim: number, rnd: () => number, scale = 1): Float64Array {
  const t = new Float64Array(dim);
  for (let i = 0; i < dim; i++) t[i] = (rnd() * 2 - 1) * scale;
  return t;
}
