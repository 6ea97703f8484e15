/**
 * Residual correlations of a multivariate student model (brms 2.18): the likelihood is one
 * multi_student_t over the responses, so they share one degrees-of-freedom parameter `nu`
 * (`real<lower=1> nu;`, prior gamma(2, 0.1)), and brms fixes each response's own `nu_<resp>` at 1
 * (its `no_nu`), refusing a formula for it.
 */
import { fail } from "../common/diagnostics";
import type { FamilyChoice } from "./families/index";
import type { ResponseSpec } from "./formula";

/** A response's family in a model with residual correlations: a student response's own nu becomes the constant 1. */
export function withSharedNu(choice: FamilyChoice, spec: ResponseSpec): FamilyChoice {
  if (choice.spec.name !== "student") return choice;
  const formula = spec.dpars.find((d) => d.dpar === "nu");
  if (formula) {
    fail("Semantic error", formula.span, "Cannot predict or fix 'nu' in this model.", [
      "With residual correlations (rescor) the responses of a multivariate student model share one nu; use set_rescor(FALSE) to give each response its own.",
    ]);
  }
  return { ...choice, spec: { ...choice.spec, dpars: choice.spec.dpars.map((d) => (d.name === "nu" ? { ...d, fixedValue: "1" } : d)) } };
}

/** True when the model has residual correlations of student responses, so one shared `nu` parameter. */
export function hasSharedNu(model: { readonly rescor: boolean; readonly responses: readonly { readonly family: FamilyChoice }[] }): boolean {
  return model.rescor && model.responses[0].family.spec.name === "student";
}
