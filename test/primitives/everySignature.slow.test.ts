/**
 * Every signature the type checker accepts compiles, evaluates, and has its gradient checked
 * against finite differences (issue #17): the cases come from the registry (signatureCases.ts),
 * so a primitive added without a working rule fails here. Signatures are batched many to a
 * program (compiling is the slow part); each case has its own variables, so a wrong partial is
 * reported for its signature. A batch that fails to compile or evaluate is retried case by case
 * to name the culprit.
 *
 * Grid (as Stan Math's `expect_ad`): two random interior points, then every argument at the low
 * edge of its domain, at the high edge, and alternating. Tolerance: |gradient − finite
 * difference| ≤ 1e-6 · max(1, |finite difference|) (fourth-order central differences at the best
 * of four steps). Integer-valued and piecewise constant functions are evaluated only; `_rng`
 * draws must be finite (integers for integer generators).
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lowerStan } from "../../src/driver/compile";
import { emitModuleText } from "../../src/codegen/emitModule";
import { differentiate } from "../../src/ad/differentiate";
import type { CompiledModel, ModelInstance } from "../../src/runtime/model";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import {
  batchData,
  batchProgram,
  batchTheta,
  casesFor,
  elementValue,
  POINTS,
  type Point,
  type SignatureCase,
  supportedEntries,
} from "./signatureCases";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const OUT_DIR = join(tmpdir(), "stan2ts-every-signature");
/** Statements per program: compile time grows faster than linearly with program size. */
const BATCH = 16;
const TOLERANCE = 1e-6;

let loadCounter = 0;

/** Compiles without prettier (formatting is a third of the time and tests nothing here). */
async function load(source: string): Promise<CompiledModel> {
  const ir = lowerStan(source, "every_signature.stan");
  const code = emitModuleText(differentiate(ir), {
    runtimeImport: join(SRC, "runtime"),
    supportImport: join(SRC, "codegen/support/modelSupport"),
  });
  mkdirSync(OUT_DIR, { recursive: true });
  // .mts: tsx (see vitest.config.ts) reads a .ts outside any package as CommonJS, with a second,
  // CommonJS copy of the runtime
  const path = join(OUT_DIR, `batch_${process.pid}_${(loadCounter++).toString(36)}.mts`);
  writeFileSync(path, code);
  return ((await import(/* @vite-ignore */ path)) as { model: CompiledModel }).model;
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n").slice(0, 6).join("\n    ");
}

/** A case's arguments at `point` (the first three elements of a container), for a failure report. */
function describeArgs(c: SignatureCase, point: Point): string {
  return c.args
    .map((a, i) => {
      if (a.domain.kind === "structured") return a.domain.structure;
      const value = (j: number) => +elementValue(c, i, j, point).toPrecision(4);
      const isScalar = a.type.arrayDims === 0 && (a.type.base === "real" || a.type.base === "int");
      return isScalar ? `${value(0)}` : `[${[0, 1, 2].map(value).join(", ")}, …]`;
    })
    .join(", ");
}

/** Value of f at theta, NaN when the model rejects the point. */
function safeLogDensity(inst: ModelInstance, theta: Float64Array): number {
  try {
    return inst.logDensity(theta);
  } catch {
    return NaN;
  }
}

/**
 * Fourth-order central difference along `v` (weights on coordinates `at`), at whichever of four
 * steps agrees best with `g`: the right step trades truncation against rounding error and is not
 * known in advance; a wrong gradient disagrees at every step.
 *
 * Stops at the first step that agrees within the tolerance even relative to |g| − err: a step
 * that agreed better would lie within `err` of `g`, so its |finite difference| ≥ |g| − err and it
 * would pass too. The verdict is the one all four steps give; a wrong gradient still pays for
 * all four steps, a right one stops at the first step that agrees.
 */
function bestFd(
  inst: ModelInstance,
  theta: Float64Array,
  at: readonly number[],
  v: readonly number[],
  g: number,
): number {
  const x = Float64Array.from(theta);
  const f = (t: number) => {
    at.forEach((i, k) => (x[i] = theta[i] + t * v[k]));
    return safeLogDensity(inst, x);
  };
  let best = NaN;
  let bestErr = Infinity;
  for (const h of [1e-2, 1e-3, 1e-4, 1e-5]) {
    const fd = (-f(2 * h) + 8 * f(h) - 8 * f(-h) + f(-2 * h)) / (12 * h);
    const err = Math.abs(fd - g);
    if (err < bestErr) {
      best = fd;
      bestErr = err;
    }
    if (err <= TOLERANCE * Math.max(1, Math.abs(g) - err)) return fd;
  }
  return best;
}

const relativeError = (fd: number, g: number) => Math.abs(fd - g) / Math.max(1, Math.abs(fd));

/** Coordinates a case checks one by one; above this, along random directions first. */
const PER_COORDINATE = 6;
const DIRECTIONS = 2;

/**
 * The case's gradient (coordinates `at` of `g`) against finite differences: undefined when it
 * agrees, else the worst coordinate (name, finite difference, gradient).
 */
function checkCaseGradient(
  inst: ModelInstance,
  theta: Float64Array,
  g: Float64Array,
  at: readonly number[],
  seed: number,
): { readonly coordinate: string; readonly fd: number; readonly g: number } | undefined {
  const byCoordinate = () => {
    let worst: { coordinate: string; fd: number; g: number; err: number } | undefined;
    for (const i of at) {
      const fd = bestFd(inst, theta, [i], [1], g[i]);
      const err = relativeError(fd, g[i]);
      if (!(err <= TOLERANCE) && (worst === undefined || !(err <= worst.err)))
        worst = { coordinate: inst.unconstrainedNames[i], fd, g: g[i], err };
    }
    return worst;
  };
  if (at.length <= PER_COORDINATE) return byCoordinate();
  let s = seed || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296 - 0.5;
  };
  for (let d = 0; d < DIRECTIONS; d++) {
    const v = at.map(() => next());
    const gv = at.reduce((sum, i, k) => sum + g[i] * v[k], 0);
    const fd = bestFd(inst, theta, at, v, gv);
    if (!(relativeError(fd, gv) <= TOLERANCE))
      return (
        byCoordinate() ?? {
          coordinate: `a random direction over ${at.length} coordinates`,
          fd,
          g: gv,
        }
      );
  }
  return undefined;
}

interface Outcome {
  /** Cases that failed, each with the reason. */
  readonly failures: { readonly c: SignatureCase; readonly why: string }[];
  /** Whether the program as a whole failed (compile or evaluation) before naming a case. */
  readonly wholeProgram?: string;
}

/** Compiles, evaluates and gradient-checks one program of cases. */
async function runBatch(cases: readonly SignatureCase[]): Promise<Outcome> {
  const b = batchProgram(cases);
  let model: CompiledModel;
  try {
    model = await load(b.source);
  } catch (e) {
    return { failures: [], wholeProgram: `does not compile: ${message(e)}` };
  }
  const failures: { c: SignatureCase; why: string }[] = [];
  const failed = new Set<number>();
  const fail = (k: number, why: string) => {
    if (failed.has(k)) return;
    failed.add(k);
    failures.push({ c: cases[k], why });
  };
  for (const point of POINTS) {
    let inst: ModelInstance;
    try {
      inst = model.create(batchData(b, point));
    } catch (e) {
      return {
        failures,
        wholeProgram: `rejects its data at the ${point.kind} point: ${message(e)}`,
      };
    }
    const theta = batchTheta(b, inst.unconstrainedNames, point);
    let lp: number;
    const g = new Float64Array(inst.dim);
    try {
      lp = inst.logDensityGradient(theta, g);
    } catch (e) {
      return {
        failures,
        wholeProgram: `fails to evaluate at the ${point.kind} point: ${message(e)}`,
      };
    }
    if (!Number.isFinite(lp))
      return { failures, wholeProgram: `evaluates to ${lp} at the ${point.kind} point` };
    const coordinates = new Map<number, number[]>();
    inst.unconstrainedNames.forEach((full, i) => {
      const k = b.vars.get(full.split(".")[0])!.caseIndex;
      coordinates.set(k, [...(coordinates.get(k) ?? []), i]);
    });
    for (const [k, at] of coordinates) {
      const c = cases[k];
      if (c.mode !== "gradient" || failed.has(k)) continue;
      const nonFinite = at.find((i) => !Number.isFinite(g[i]));
      if (nonFinite !== undefined) {
        fail(
          k,
          `gradient ${g[nonFinite]} for ${inst.unconstrainedNames[nonFinite]} at the ${point.kind} point (${describeArgs(c, point)})`,
        );
        continue;
      }
      const bad = checkCaseGradient(inst, theta, g, at, point.seed * 7919 + k);
      if (bad)
        fail(
          k,
          `∂/∂${bad.coordinate.replace(/^c\d+_(\d+)/, (_m, i: string) => `argument ${Number(i) + 1}`)} at the ${point.kind} point (${describeArgs(c, point)}): finite difference ${bad.fd}, gradient ${bad.g}`,
        );
    }
    if (b.draws.size > 0) {
      const out = new Float64Array(inst.outputLength);
      try {
        inst.writeConstrained(theta, new Xoshiro128(point.seed), out);
      } catch (e) {
        // a generator that rejects its arguments stops the block: the batch is split to name it
        return {
          failures,
          wholeProgram: `rejects a draw at the ${point.kind} point: ${message(e)}`,
        };
      }
      let offset = 0;
      const columns = new Map<string, number[]>();
      for (const variable of inst.variables) {
        const n = variable.dims.reduce((a, d) => a * d, 1);
        columns.set(variable.name, Array.from(out.subarray(offset, offset + n)));
        offset += n;
      }
      for (const [k, name] of b.draws) {
        const values = columns.get(name) ?? [];
        if (cases[k].form === "constant") {
          if (values.length !== 1) fail(k, `writes ${values.length} values`);
          continue;
        }
        const integer = cases[k].primitive.rng?.intResult ?? false;
        const bad = values.find((x) => !Number.isFinite(x) || (integer && !Number.isInteger(x)));
        if (values.length === 0 || bad !== undefined)
          fail(
            k,
            `draws ${values.length === 0 ? "nothing" : bad} at the ${point.kind} point (${describeArgs(cases[k], point)})`,
          );
      }
    }
  }
  return { failures };
}

/** Runs a batch; when the whole program fails, runs its cases one by one to name the culprits. */
async function checkCases(cases: readonly SignatureCase[]): Promise<string[]> {
  const outcome = await runBatch(cases);
  if (outcome.wholeProgram === undefined) {
    if (cases.length === 1) return outcome.failures.map(({ c, why }) => `${c.label}: ${why}`);
    // Confirm alone: in a batch, the rounding error of a large log density elsewhere (a product of
    // edge values, say) pollutes every finite difference.
    const confirmed: string[] = [];
    for (const { c } of outcome.failures) confirmed.push(...(await checkCases([c])));
    return confirmed;
  }
  if (cases.length === 1) return [`${cases[0].label}: ${outcome.wholeProgram}`];
  const half = Math.ceil(cases.length / 2);
  return [...(await checkCases(cases.slice(0, half))), ...(await checkCases(cases.slice(half)))];
}

const entries = supportedEntries();
const CASES_PER_TEST = 800;
const families = [...new Set(entries.map((p) => p.family))];

describe("every supported signature compiles, evaluates and has a finite-difference-checked gradient", () => {
  for (const family of families) {
    const all = entries.filter((p) => p.family === family).flatMap(casesFor);
    // a large family runs as several tests, each well inside the timeout on a busy 2-core machine
    const parts = Math.ceil(all.length / CASES_PER_TEST);
    for (let part = 0; part < parts; part++) {
      const cases = all.slice(part * CASES_PER_TEST, (part + 1) * CASES_PER_TEST);
      const title =
        parts === 1
          ? `${family}: ${cases.length} cases`
          : `${family} (part ${part + 1} of ${parts}): ${cases.length} cases`;
      defineFamilyTest(family, title, cases);
    }
  }
});

function defineFamilyTest(family: string, title: string, cases: readonly SignatureCase[]): void {
  it(
    title,
    async () => {
      const failures: string[] = [];
      for (let i = 0; i < cases.length; i += BATCH)
        failures.push(...(await checkCases(cases.slice(i, i + BATCH))));
      // EVERY_SIGNATURE_REPORT=file collects every failure in one file (the assertion shows them per family)
      const reportFile = process.env.EVERY_SIGNATURE_REPORT;
      if (reportFile && failures.length > 0)
        appendFileSync(reportFile, failures.map((f) => `${family}\t${f}\n`).join(""));
      expect(failures, `${failures.length} failing signatures:\n${failures.join("\n")}`).toEqual(
        [],
      );
    },
    600_000,
  );
}
