import { type Rng, SamplingError } from "../model";
import type { Hamiltonian } from "../nuts/hamiltonian";
import { PhasePoint } from "../nuts/phasePoint";
import { log } from "../math/elementary";

const LOG_TARGET = log(0.8);

/**
 * Stan's `init_stepsize` heuristic (sampler spec §2.1): from `start`, double or halve ε until a
 * single leapfrog's acceptance crosses 0.8. `start` is left unchanged. Returns the new ε.
 */
export function findInitialStepSize(
  hamiltonian: Hamiltonian,
  start: PhasePoint,
  stepSize: number,
  rng: Rng,
  scratch: PhasePoint = new PhasePoint(hamiltonian.dim),
): number {
  if (hamiltonian.dim === 0) return NaN;
  if (stepSize === 0 || stepSize > 1e7 || Number.isNaN(stepSize)) return stepSize;

  const trial = (epsilon: number): number => {
    scratch.copyFrom(start);
    hamiltonian.sampleMomentum(scratch, rng);
    const h0 = hamiltonian.energy(scratch);
    hamiltonian.step = epsilon;
    hamiltonian.leapfrog(scratch);
    return h0 - hamiltonian.energy(scratch);
  };

  let epsilon = stepSize;
  const direction = trial(epsilon) > LOG_TARGET ? 1 : -1;
  for (;;) {
    const deltaH = trial(epsilon);
    if (direction === 1 && !(deltaH > LOG_TARGET)) break;
    if (direction === -1 && !(deltaH < LOG_TARGET)) break;
    epsilon = direction === 1 ? 2 * epsilon : 0.5 * epsilon;
    if (epsilon > 1e7) throw new SamplingError("Posterior is improper. Please check your model.");
    if (epsilon === 0) {
      throw new SamplingError("No acceptably small step size could be found. Perhaps the posterior is not continuous?");
    }
  }
  return epsilon;
}
