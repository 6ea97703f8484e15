import { describe, expect, it } from "vitest";
import { model as m1 } from "../../generated/m1";
import { model as m2 } from "../../generated/m2";
import { model as m3 } from "../../generated/m3";
import type { CompiledModel } from "../../src/runtime/model";
import { lectureDataAvailable, lectureStanData, readLectureOracle } from "./lectureData";
import { directionalCheck, randomPoint, seededUniform } from "./gradientCheck";

const MODELS: [string, CompiledModel][] = [
  ["m1", m1],
  ["m2", m2],
  ["m3", m3],
];

describe.skipIf(!lectureDataAvailable())("lecture models on the lecture data", () => {
  for (const [name, model] of MODELS) {
    describe(name, () => {
      const inst = model.create(lectureStanData(name as "m1"));
      const oracle = readLectureOracle(name as "m1");

      it("has Stan's number of unconstrained parameters", () => {
        expect(inst.dim).toBe(oracle.num_upars);
      });

      it("matches rstan's log_prob and gradient at the oracle points (1e-8 relative)", () => {
        for (const [point, p] of Object.entries(oracle.points)) {
          const theta = Float64Array.from(p.upars);
          const g = new Float64Array(inst.dim);
          const lp = inst.logDensityGradient(theta, g);
          expect(Math.abs(lp - p.log_prob) / Math.abs(p.log_prob), `${point} log density`).toBeLessThan(1e-8);
          expect(inst.logDensity(theta)).toBe(lp);
          let worst = 0;
          for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - p.gradient[i]) / Math.max(1, Math.abs(p.gradient[i])));
          expect(worst, `${point} gradient`).toBeLessThan(1e-8);
        }
      });

      it("gradient agrees with finite differences at 20 random points (relative error < 1e-6)", () => {
        const rnd = seededUniform(name.charCodeAt(1) * 7919);
        for (let k = 0; k < 20; k++) {
          const theta = randomPoint(inst.dim, rnd, 0.5);
          const r = directionalCheck(inst, theta, rnd, 2);
          expect(r.worst, `point ${k}: ${r.where}`).toBeLessThan(1e-6);
        }
      });
    });
  }
});
