import { describe, expect, it } from "vitest";
import { parseRScript } from "../../src/brms/parseRScript";
import { deparseR } from "../../src/brms/rAst";
import { brm, buildFrom, errorOf } from "./helpers";

function summary(formula: string) {
  const { model } = buildFrom(brm(formula));
  return {
    responses: model.responses.map((r) => r.resp || r.variable),
    predictors: model.predictors.map((p) => ({ prefix: p.prefix, intercept: p.intercept, coefs: p.coefs.join(",") })),
    ids: model.ids.map((id) => `${id.id}:${id.group}:${id.correlated ? "cor" : "uncor"}:${id.coefs.map((c) => `${c.cn}=${c.predictor.prefix}/${c.coef}`).join(" ")}`),
  };
}

describe("R grammar", () => {
  it("deparses like R: spacing, numbers, group-ID bars", () => {
    const src = "m <- brm(y~1+x+(1+x|i|g), prior=c(prior(normal(0,1),class=b)), seed=1e4)\nz = -2^2; w <- .5";
    const shown = parseRScript(src, "s.R").statements.map(deparseR);
    expect(shown).toEqual([
      "m <- brm(y ~ 1 + x + (1 + x | i | g), prior = c(prior(normal(0, 1), class = b)), seed = 10000)",
      "z <- -2^2",
      "w <- 0.5",
    ]);
  });

  it("writes /, ^, :, %% and %/% without spaces, as R's deparse does", () => {
    // Rscript -e 'cat(deparse(quote(y ~ x + (1 | g1/g2))), deparse(quote(a %% b)), deparse(quote(a %/% b)), deparse(quote(a %in% b)), deparse(quote(I(x/2))), sep = "\n")'
    const src = "f <- y~x+(1|g1 / g2)\nr <- a %% b + a %/% b + a %in% b + I(x / 2) + a : b";
    expect(parseRScript(src, "s.R").statements.map(deparseR)).toEqual(["f <- y ~ x + (1 | g1/g2)", "r <- a%%b + a%/%b + a %in% b + I(x/2) + a:b"]);
  });

  it("continues statements across lines inside brackets and after operators, and skips comments", () => {
    const src = "a <- bf(y ~ x + # comment\n  (1 | g))\nb <- a %>%\n  mutate(x = 1)\n";
    const shown = parseRScript(src, "s.R").statements.map(deparseR);
    expect(shown).toEqual(["a <- bf(y ~ x + (1 | g))", "b <- a %>% mutate(x = 1)"]);
  });

  it("reports syntax errors with a location", () => {
    expect(errorOf("fit <- brm(y ~ x +, data = d)")).toMatch(/Syntax error in 'model.R', line 1, column 19:[\s\S]*Unexpected ','/);
    expect(errorOf("fit <- brm(y ~ x, data = d")).toMatch(/Syntax error in 'model.R'[\s\S]*ends in the middle of an expression/);
    expect(errorOf("d <- read_csv('a.csv') $ 3")).toMatch(/Syntax error[\s\S]*Unexpected '3'/);
  });
});

describe("formula variants", () => {
  it("implies an intercept and keeps written order", () => {
    expect(summary("y ~ x + w").predictors).toEqual([{ prefix: "", intercept: true, coefs: "x,w" }]);
    expect(summary("y ~ 1 + x").predictors).toEqual([{ prefix: "", intercept: true, coefs: "x" }]);
  });

  it("drops the intercept with 0 or -1", () => {
    expect(summary("y ~ 0 + x").predictors[0].intercept).toBe(false);
    expect(summary("y ~ x - 1").predictors[0].intercept).toBe(false);
    expect(summary("y ~ -1 + x").predictors[0].intercept).toBe(false);
  });

  it("numbers group IDs in model order and shares them by ID token", () => {
    expect(summary("y ~ x + (1 + x | record_id)").ids).toEqual(["1:record_id:cor:1=/Intercept 2=/x"]);
    expect(summary("y ~ x + (x | record_id)").ids).toEqual(["1:record_id:cor:1=/Intercept 2=/x"]);
    expect(summary("y ~ x + (0 + x | record_id)").ids).toEqual(["1:record_id:cor:1=/x"]);
    expect(summary("y ~ x + (1 + x || record_id)").ids).toEqual(["1:record_id:uncor:1=/Intercept 2=/x"]);
    expect(summary("y ~ (1 | record_id) + (0 + x | day)").ids).toEqual(["1:record_id:cor:1=/Intercept", "2:day:cor:1=/x"]);
    expect(summary("bf(y ~ x + (1 + x |i| record_id), sigma ~ 1 + (1 |i| record_id))").ids).toEqual([
      "1:record_id:cor:1=/Intercept 2=/x 3=sigma/Intercept",
    ]);
    expect(summary("bf(y ~ x + (1 + x | i | record_id), sigma ~ w + (1 | record_id))").ids).toEqual([
      "1:record_id:cor:1=/Intercept 2=/x",
      "2:record_id:cor:1=sigma/Intercept",
    ]);
  });

  it("builds multivariate models from bf() + bf() and mvbind()", () => {
    const s = summary("bf(y ~ x + (1 | c | record_id)) + bf(z ~ x + (1 | c | record_id)) + set_rescor(FALSE)");
    expect(s.responses).toEqual(["y", "z"]);
    expect(s.ids).toEqual(["1:record_id:cor:1=y/Intercept 2=z/Intercept"]);
    const mv = summary("mvbind(y, z) ~ x + (1 | record_id)");
    expect(mv.predictors.map((p) => p.prefix)).toEqual(["y", "z"]);
    expect(mv.ids).toEqual(["1:record_id:cor:1=y/Intercept", "2:record_id:cor:1=z/Intercept"]);
  });

  it("warns when rescor is left to brms's default", () => {
    const { model } = buildFrom(brm("mvbind(y, z) ~ x"));
    expect(model.rescor).toBe(true);
    expect(model.warnings.warnings.map((w) => w.message)).toContain("Setting 'rescor' to TRUE by default for this model");
  });

  it("rejects unsupported terms with located messages", () => {
    expect(errorOf(brm("y ~ s(x, z)"))).toMatch(/line 3, column 21:[\s\S]*smooths of several covariates are not supported by stan2ts yet/);
    expect(errorOf(brm("y ~ poly(x, 2, coefs = 1)"))).toMatch(/poly\(\) argument 'coefs' is not supported/);
    expect(errorOf(brm("y ~ x + (1 | gr(record_id, cov = A))"))).toMatch(/gr\(\) argument 'cov' is not supported/);
    expect(errorOf(brm("y ~ x + (1 + s(x) | record_id)"))).toMatch(/Smooth terms s\(\) belong in the population part of the formula, not in a group term/);
    expect(errorOf(brm("y ~ x + (w %in% x)"))).toMatch(/The formula term 'w %in% x' is not supported/);
    expect(errorOf(brm("y ~ log(name)"))).toMatch(/Column 'name' holds text/);
    // R reads `(x)` as the term x.
    expect(errorOf(brm("y ~ (x)"))).toBe("no error");
    expect(errorOf(brm("y ~ (x + (1 | record_id))"))).toMatch(/not a group term/);
    expect(errorOf(brm("bf(y ~ x, nu ~ 1)"))).toMatch(/'nu' is not a distributional parameter/);
    expect(errorOf(brm("bf(y ~ (1 | a | record_id), sigma ~ (1 | a | day))"))).toMatch(/group ID 'a' is used with two grouping factors/);
    expect(errorOf(brm("y ~ (1 | record_id) + (1 | record_id)"))).toMatch(/'Intercept' appears twice for the grouping factor 'record_id'/);
    expect(errorOf(brm("log(y) ~ x"))).toMatch(/response must be a variable name/);
  });

  it("rejects unknown functions and arguments, and notes ignored ones", () => {
    expect(errorOf(brm("y ~ x", ", foo = 3"))).toMatch(/line 3[\s\S]*brm\(\) argument 'foo' is not supported/);
    expect(errorOf("d <- read_csv('x.csv')\nd2 <- summarise(d, m = mean(y))\n")).toMatch(/line 2, column 7[\s\S]*Unknown function 'summarise'/);
    expect(errorOf("d <- read_csv('x.csv')\nfit <- brm(y ~ x, data = d, family = logistic_normal)\n")).toMatch(/family 'logistic_normal' is not supported yet/);
    expect(errorOf("d <- read_csv('x.csv')\nfit <- brm(y ~ x, data = d, family = \"poison\")\n")).toMatch(/'poison' is not a brms family/);
    expect(errorOf(brm("y ~ x", ", prior = prior(normal(0, 1), klass = b)"))).toMatch(/Unknown argument 'klass' of prior\(\)/);
    const { model } = buildFrom(brm("y ~ x", ", file = here('m'), backend = 'cmdstanr', refresh = 0"));
    expect(model.script.notes.map((n) => n.message)).toEqual([
      "brm(file = ...) does not change the model or the draws; stan2ts ignores it.",
      "brm(backend = ...) does not change the model or the draws; stan2ts ignores it.",
      "brm(refresh = ...) does not change the model or the draws; stan2ts ignores it.",
    ]);
  });

  it("reads sampling settings from brm()", () => {
    const { model } = buildFrom(brm("y ~ x", ", iter = 3000, warmup = 1000, chains = 4, cores = 4, seed = 14, control = list(adapt_delta = 0.95)"));
    expect(model.script.sampling).toMatchObject({ iter: 3000, warmup: 1000, chains: 4, cores: 4, seed: 14, adaptDelta: 0.95 });
  });
});
