/** Every program shape the front end can generate must pass our own Stan type checker. */
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { buildFromScriptFile } from "../../src/brms/index";
import { parseStan } from "../../src/parse/parseStan";
import { checkProgram } from "../../src/typecheck/checkProgram";
import { brm, buildFrom } from "./helpers";

const VARIANTS = [
  "y ~ x + w + (1 + x || record_id)",
  "y ~ 0 + x + (1 | record_id)",
  "y ~ 1",
  "y ~ 1 + (1 | record_id) + (0 + x | name)",
  "bf(y ~ x + (1 | record_id)) + bf(z ~ x) + set_rescor(FALSE)",
  "mvbind(y, z) ~ x + (1 | c | record_id)",
  "bf(y ~ x, sigma ~ w + (1 | record_id))",
  "bf(y ~ x + (1 | p | record_id), sigma ~ w + (1 | p | record_id)) + bf(z ~ 1, sigma ~ 1) + set_rescor(FALSE)",
];

describe("generated Stan programs type-check", () => {
  it.each(VARIANTS)("%s", (formula) => {
    const build = buildFrom(brm(formula));
    expect(() => checkProgram(build.program)).not.toThrow();
    // The printed text parses back to the same tree.
    expect(printProgram(parseStan(build.stanCode, "variant.stan").program)).toBe(printProgram(build.program));
  });

  it.each(["m1", "m2", "m3"])("lecture %s", async (m) => {
    const build = await buildFromScriptFile(new URL(`../../fixtures/brms/${m}.R`, import.meta.url).pathname);
    expect(() => checkProgram(parseStan(build.stanCode, `${m}.stan`).program)).not.toThrow();
  });

  it("uses the likelihood brms chooses (spec §3.3)", () => {
    // A GLM without group terms takes the intercept itself, 0 without one (brms 2.18,
    // make_stancode(y ~ 0 + x, data = d): `target += normal_id_glm_lpdf(Y | X, 0, b, sigma);`).
    expect(buildFrom(brm("y ~ 0 + x")).stanCode).toContain("target += normal_id_glm_lpdf(Y | X, 0, b, sigma);");
    expect(buildFrom(brm("y ~ 1 + (1 | record_id)")).stanCode).toContain("target += normal_lpdf(Y | mu, sigma);");
    const mv = buildFrom(brm("mvbind(y, z) ~ x + (1 | c | record_id)")).stanCode;
    expect(mv).toContain("target += multi_normal_cholesky_lpdf(Y | Mu, LSigma);");
    expect(mv).toContain("mu_y += Intercept_y + Xc_y * b_y;");
  });
});
