/**
 * brms's `print(fit)` layout (spec §6) from per-variable summaries given as plain numbers, so it
 * does not depend on how the summaries were computed.
 */
import { rAsCharacter } from "./rArithmetic";
import type { BrmsModel, ResponseInfo } from "./buildModel";

export interface VariableSummary {
  /** Estimate and Est.Error: mean and sd, or median and MAD with brms's `robust = TRUE`. */
  readonly estimate: number;
  readonly estError: number;
  /** The credible interval's bounds (2.5% and 97.5% at brms's default `prob = 0.95`). */
  readonly lower: number;
  readonly upper: number;
  readonly rhat: number;
  readonly essBulk: number;
  readonly essTail: number;
}

export interface RunInfo {
  readonly chains: number;
  readonly iter: number;
  readonly warmup: number;
  readonly thin: number;
  /** Divergent transitions after warmup, summed over chains. */
  readonly divergences?: number;
}

/** C's `%.<digits>f`: exact binary value, ties to even, the sign of negative zero results kept. */
export function formatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const negative = x < 0 || Object.is(x, -0);
  const exact = Math.abs(x).toFixed(100);
  const [intPart, fracPart] = exact.split(".");
  const kept = intPart + fracPart.slice(0, digits);
  const rest = fracPart.slice(digits);
  let roundUp = false;
  if (rest[0] > "5") roundUp = true;
  else if (rest[0] === "5") {
    const beyond = /[1-9]/.test(rest.slice(1));
    roundUp = beyond || Number(kept[kept.length - 1]) % 2 === 1;
  }
  let digitsOut = kept;
  if (roundUp) {
    const chars = kept.split("");
    let i = chars.length - 1;
    while (i >= 0) {
      if (chars[i] === "9") {
        chars[i] = "0";
        i--;
      } else {
        chars[i] = String(Number(chars[i]) + 1);
        break;
      }
    }
    digitsOut = (i < 0 ? "1" : "") + chars.join("");
  }
  const intLength = digitsOut.length - digits;
  const body = digits > 0 ? `${digitsOut.slice(0, intLength)}.${digitsOut.slice(intLength)}` : digitsOut;
  return (negative ? "-" : "") + body.replace(/^0+(?=\d)/, "");
}

/** The columns of print(fit) for a credible interval of level `prob` (brms's `l-95% CI` at the default 0.95). */
function headersFor(prob: number): string[] {
  const percent = rAsCharacter(prob * 100);
  return ["Estimate", "Est.Error", `l-${percent}% CI`, `u-${percent}% CI`, "Rhat", "Bulk_ESS", "Tail_ESS"];
}

/** An R character matrix printed at width 80: columns that do not fit move to a further chunk. */
export function formatTable(rowLabels: readonly string[], headers: readonly string[], cells: readonly (readonly string[])[]): string {
  const labelWidth = Math.max(0, ...rowLabels.map((l) => l.length));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((row) => row[j].length)));
  const lines: string[] = [];
  let start = 0;
  while (start < headers.length) {
    let end = start;
    let width = labelWidth;
    while (end < headers.length && (end === start || width + 1 + widths[end] <= 79)) {
      width += 1 + widths[end];
      end++;
    }
    const columns = [...Array(end - start).keys()].map((k) => start + k);
    lines.push(" ".repeat(labelWidth) + columns.map((j) => ` ${headers[j].padStart(widths[j])}`).join(""));
    rowLabels.forEach((label, i) => {
      lines.push(label.padEnd(labelWidth) + columns.map((j) => ` ${cells[i][j].padStart(widths[j])}`).join(""));
    });
    start = end;
  }
  return lines.join("\n");
}

function summaryCells(s: VariableSummary): string[] {
  return [
    formatFixed(s.estimate, 2),
    formatFixed(s.estError, 2),
    formatFixed(s.lower, 2),
    formatFixed(s.upper, 2),
    formatFixed(s.rhat, 2),
    formatFixed(s.essBulk, 0),
    formatFixed(s.essTail, 0),
  ];
}

/** What the `print(fit)` header reads about one response. */
export interface ResponseHeader {
  /** brms's family name: `gaussian`, `poisson`. */
  readonly family: string;
  /** `mu = log; shape = identity`. */
  readonly links: string;
  readonly formulaText: string;
  readonly dparTexts: readonly string[];
  /** The family's distributional parameters other than mu, for the Family Specific section. */
  readonly dparNames: readonly string[];
}

/** What `print(fit)` reads from a model; the bundle rebuilds it from embedded JSON. */
export interface PrintModel {
  readonly multivariate: boolean;
  readonly responses: readonly ResponseHeader[];
  readonly dataName: string;
  readonly observations: number;
  readonly groups: readonly { readonly group: string; readonly levels: number }[];
}

export function responseHeader(r: ResponseInfo): ResponseHeader {
  // A parameter without a formula is shown with brms's identity link.
  const dparLinks = r.family.spec.dpars.map((d) => `${d.name} = ${r.dpars.find((p) => p.dpar === d.name)?.link ?? "identity"}`);
  return {
    // a mixture prints its components: `mixture(gaussian, student)`
    family: r.family.spec.mixture ? `mixture(${r.family.spec.mixture.components.map((c) => c.family).join(", ")})` : r.family.spec.name,
    // A categorical mu is only the vector of the category predictors, which the dpars list.
    links: [...(r.mu.categoryVector ? [] : [`mu = ${r.mu.link}`]), ...dparLinks].join("; "),
    formulaText: r.formulaText,
    dparTexts: r.dparTexts,
    dparNames: r.family.spec.dpars.map((d) => d.name),
  };
}

export function printModelOf(model: BrmsModel): PrintModel {
  return {
    multivariate: model.multivariate,
    responses: model.responses.map(responseHeader),
    dataName: model.script.dataName,
    observations: model.rows.length,
    groups: model.ids.map((id) => ({ group: id.group, levels: id.levels.length })),
  };
}

export function printFit(model: PrintModel, variables: readonly string[], summaries: ReadonlyMap<string, VariableSummary>, run: RunInfo, prob = 0.95): string {
  const out: string[] = [];
  const headers = headersFor(prob);
  const responses = model.responses;
  out.push(` Family: ${model.multivariate ? `MV(${responses.map((r) => r.family).join(", ")})` : responses[0].family} `);
  const links = responses.map((r) => r.links);
  links.forEach((l, i) => out.push(`${i === 0 ? "  Links: " : "         "}${l}${i === links.length - 1 ? " " : ""}`));
  const formulaLines: string[] = [];
  for (const r of responses) {
    formulaLines.push(`${r.formulaText} `);
    formulaLines.push(...r.dparTexts);
  }
  formulaLines.forEach((l, i) => out.push(`${i === 0 ? "Formula: " : "         "}${l}`));
  out.push(`   Data: ${model.dataName} (Number of observations: ${model.observations}) `);
  const total = Math.ceil(((run.iter - run.warmup) / run.thin) * run.chains);
  out.push(`  Draws: ${run.chains} chains, each with iter = ${run.iter}; warmup = ${run.warmup}; thin = ${run.thin};`);
  out.push(`         total post-warmup draws = ${total}`);
  out.push("");

  const section = (title: string, tables: { heading?: string; labels: string[]; names: string[] }[]) => {
    const nonEmpty = tables.filter((t) => t.names.length > 0);
    if (nonEmpty.length === 0) return;
    out.push(`${title} `);
    for (const t of nonEmpty) {
      if (t.heading) out.push(`${t.heading} `);
      const cells = t.names.map((name) => {
        const s = summaries.get(name);
        return s ? summaryCells(s) : headers.map(() => "NA");
      });
      out.push(formatTable(t.labels, headers, cells));
      out.push("");
    }
  };

  // s() terms: their sds (`sds_sx_1`) as `sds(sx_1)`, before the group-level effects
  const smooths = variables.filter((v) => v.startsWith("sds_"));
  section("Smooth Terms:", [{ names: smooths, labels: smooths.map((v) => `sds(${v.slice("sds_".length)})`) }]);
  // gp() terms: sdgp_<coef> and lscale_<coef> as `sdgp(<coef>)`, before the group-level effects (brms's summary$gp).
  const gaussianProcess = variables.filter((v) => /^(sdgp|lscale)_/.test(v));
  section("Gaussian Process Terms:", [{ names: gaussianProcess, labels: gaussianProcess.map((v) => `${v.replace(/_/, "(")})`) }]);
  const groups = [...new Set(model.groups.map((g) => g.group))];
  section(
    "Group-Level Effects:",
    groups.map((group) => {
      const id = model.groups.find((x) => x.group === group)!;
      const sd = variables.filter((v) => v.startsWith(`sd_${group}__`));
      const cor = variables.filter((v) => v.startsWith(`cor_${group}__`));
      return {
        heading: `~${group} (Number of levels: ${id.levels})`,
        names: [...sd, ...cor],
        labels: [
          ...sd.map((v) => `sd(${v.slice(`sd_${group}__`.length)})`),
          ...cor.map((v) => `cor(${v.slice(`cor_${group}__`.length).split("__").join(",")})`),
        ],
      };
    }),
  );
  // Category-specific effects (bcs_x[1]) are shown with the population-level ones, as `x[1]`.
  // Monotonic effects (bsp_moedu) too, as `moedu`; their simplexes (simo_moedu1[1]) get a section of their own.
  // The smooths' unpenalised coefficients (bs_sx_1) too, as `sx_1`.
  const population = variables.filter((v) => v.startsWith("b_") || v.startsWith("bcs_") || v.startsWith("bsp_") || v.startsWith("bs_"));
  section("Population-Level Effects:", [{ names: population, labels: population.map((v) => v.slice(v.indexOf("_") + 1)) }]);
  const simplexes = variables.filter((v) => v.startsWith("simo_"));
  section("Simplex Parameters:", [{ names: simplexes, labels: simplexes.map((v) => v.slice("simo_".length)) }]);
  const dparNames = ["mu", ...new Set(responses.flatMap((r) => r.dparNames))];
  const family = variables.filter((v) => dparNames.some((d) => v === d || v.startsWith(`${d}_`)));
  section("Family Specific Parameters:", [{ names: family, labels: family }]);
  const rescor = variables.filter((v) => v.startsWith("rescor__"));
  section("Residual Correlations:", [{ names: rescor, labels: rescor.map((v) => `rescor(${v.slice("rescor__".length).split("__").join(",")})`) }]);

  out.push("Draws were sampled using sampling(NUTS). For each parameter, Bulk_ESS");
  out.push("and Tail_ESS are effective sample size measures, and Rhat is the potential");
  out.push("scale reduction factor on split chains (at convergence, Rhat = 1).");
  const warnings: string[] = [];
  if ([...summaries.values()].some((s) => s.rhat > 1.05)) {
    warnings.push("Warning message:\nParts of the model have not converged (some Rhats are > 1.05). Be careful when analysing the results! We recommend running more iterations and/or setting stronger priors.");
  }
  if (run.divergences !== undefined && run.divergences > 0) {
    warnings.push(
      `Warning message:\nThere were ${run.divergences} divergent transitions after warmup. Increasing adapt_delta above 0.8 may help. See http://mc-stan.org/misc/warnings.html#divergent-transitions-after-warmup`,
    );
  }
  return `${out.join("\n")}\n${warnings.map((w) => `${w}\n`).join("")}`;
}
