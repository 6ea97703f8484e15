/**
 * Every classic fixture with data: compile, then check the derived gradient against central
 * finite differences per coordinate at 20 random points (relative error < 1e-6).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "./gradientCheck";

const GOOD = fileURLToPath(new URL("../../fixtures/stan/good/", import.meta.url));
const DATA = fileURLToPath(new URL("../../fixtures/data/", import.meta.url));

/** Fixtures stan2ts cannot compile yet, with the start of the error it gives. */
const UNSUPPORTED: Record<string, string> = {};

const LECTURE = new Set(["m1", "m2", "m3"]);

/**
 * gp_cholesky factors a nearly singular kernel matrix (jitter 1e-9): its log density carries
 * rounding noise of ~1e-9, so no finite-difference step resolves the gradient to 1e-6 there
 * (steps from 1e-2 to 1e-5 scatter by ~3e-6). The derived gradient sits inside that scatter. The
 * noise moves with the last bits of exp: with the deterministic exp (issue 16) one point of the 20
 * measured 1.16e-5, hence 2e-5.
 */
const TOLERANCE: Record<string, number> = { gp_cholesky: 2e-5 };

const fixtures = readdirSync(GOOD)
  .filter((f) => f.endsWith(".stan"))
  .map((f) => f.replace(/\.stan$/, ""))
  .filter((n) => !LECTURE.has(n) && existsSync(`${DATA}${n}.data.json`));

describe("classic fixtures: derived gradient vs finite differences", () => {
  for (const name of fixtures) {
    const source = readFileSync(`${GOOD}${name}.stan`, "utf8");
    if (UNSUPPORTED[name]) {
      it(`${name}: not supported yet (${UNSUPPORTED[name]})`, async () => {
        await expect(loadCompiled(source, `${name}.stan`)).rejects.toThrow(UNSUPPORTED[name]);
      });
      continue;
    }
    it(`${name}: 20 random points`, async () => {
      const model = await loadCompiled(source, `${name}.stan`);
      const inst = model.create(JSON.parse(readFileSync(`${DATA}${name}.data.json`, "utf8")));
      const rnd = seededUniform(name.length * 104729 + name.charCodeAt(0));
      let checked = 0;
      for (let attempt = 0; attempt < 200 && checked < 20; attempt++) {
        const theta = randomPoint(inst.dim, rnd, 1);
        const g = new Float64Array(inst.dim);
        let lp: number;
        try {
          lp = inst.logDensityGradient(theta, g);
        } catch (e) {
          if ((e as Error).name === "StanDomainError") continue; // a rejected point, as in Stan: try another
          throw e;
        }
        if (!Number.isFinite(lp)) continue;
        expect(inst.logDensity(theta)).toBe(lp);
        const r = coordinateCheck(inst, theta);
        expect(r.worst, `${name} point ${checked}: ${r.where}`).toBeLessThan(TOLERANCE[name] ?? 1e-6);
        checked++;
      }
      expect(checked).toBe(20);
    });
  }
});

/**
 * Stan's own log_prob and gradient (rstan 2.21, docs/oracles/fixtures-logprob.json) at θ_i =
 * 0.1·sin(i + 1). Simplex parameters are left out: Stan 2.21 maps them by stick-breaking, while
 * transforms.ts follows the Stan 2.37 reference manual (another unconstrained parameterisation).
 */
const ORACLE = JSON.parse(readFileSync(fileURLToPath(new URL("../../docs/oracles/fixtures-logprob.json", import.meta.url)), "utf8")) as Record<
  string,
  { num_upars: number; upars: number[]; log_prob: number; gradient: number[] }
>;
const STICK_BREAKING_SIMPLEX = new Set(["hmm_forward", "dirichlet_categorical"]);

describe("classic fixtures: log density and gradient equal Stan's log_prob", () => {
  for (const [name, p] of Object.entries(ORACLE)) {
    if (UNSUPPORTED[name] || STICK_BREAKING_SIMPLEX.has(name) || !existsSync(`${GOOD}${name}.stan`)) continue;
    it(`${name}`, async () => {
      const model = await loadCompiled(readFileSync(`${GOOD}${name}.stan`, "utf8"), `${name}.stan`);
      const inst = model.create(JSON.parse(readFileSync(`${DATA}${name}.data.json`, "utf8")));
      expect(inst.dim).toBe(p.num_upars);
      const g = new Float64Array(inst.dim);
      const lp = inst.logDensityGradient(Float64Array.from(p.upars), g);
      expect(Math.abs(lp - p.log_prob) / Math.max(1, Math.abs(p.log_prob))).toBeLessThan(1e-8);
      let worst = 0;
      g.forEach((x, i) => (worst = Math.max(worst, Math.abs(x - p.gradient[i]) / Math.max(1, Math.abs(p.gradient[i])))));
      expect(worst).toBeLessThan(1e-6);
    });
  }
});
