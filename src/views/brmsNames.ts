/**
 * `brms.json` in a sample output directory: how CmdStan's column names map to brms's variable
 * names, so the report can show `b_day01` rather than `b.1` and find group-level terms.
 *
 * Format (version 1), written by `stan2ts sample` for brms models:
 * ```json
 * { "format": "stan2ts-brms-names", "version": 1,
 *   "formula": "N_A.std ~ 1 + day01 + (1 + day01 | record_id)",          // optional, for the title
 *   "names": [ { "stan": "b.1", "brms": "b_day01" }, { "stan": "r_1_1.17", "brms": "r_record_id[17,Intercept]" }, … ] }
 * ```
 * `names` is `outputNames(model)` from src/brms, in brms's variable order; columns not listed are
 * internal to the Stan program (z_, L_, …) and are left out of the report.
 */
import type { OutputName } from "../brms/outputNames";
import { UserError } from "../brms/dataFrame";

export const BRMS_NAMES_FILE = "brms.json";
export const BRMS_NAMES_FORMAT = "stan2ts-brms-names";

export interface BrmsNames {
  readonly formula?: string;
  readonly names: readonly OutputName[];
}

/** The JSON text `stan2ts sample` writes beside the chain CSVs of a brms model. */
export function brmsNamesJson(names: readonly OutputName[], formula?: string): string {
  const body = { format: BRMS_NAMES_FORMAT, version: 1, ...(formula === undefined ? {} : { formula }), names };
  return JSON.stringify(body, null, 1) + "\n";
}

/**
 * Reads a name map. A JSON file of another kind (no `"format"` field — e.g. the draws JSON of a
 * model that happens to be called `brms`) yields `undefined`; a name map with bad content is an error.
 */
export function parseBrmsNamesJson(text: string, source: string): BrmsNames | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`'${source}' is not valid JSON: ${(err as Error).message}`);
  }
  const body = value as { format?: unknown; version?: unknown; formula?: unknown; names?: unknown };
  if (typeof body !== "object" || body === null || Array.isArray(body) || body.format === undefined) return undefined;
  if (body.format !== BRMS_NAMES_FORMAT) {
    throw new UserError(`'${source}' is not a stan2ts brms name map (expected "format": "${BRMS_NAMES_FORMAT}", got ${JSON.stringify(body.format)}).`);
  }
  if (body.version !== 1) throw new UserError(`'${source}' has version ${String(body.version)}; this stan2ts reads version 1.`);
  if (!Array.isArray(body.names)) throw new UserError(`'${source}': "names" must be a list of {"stan", "brms"} pairs.`);
  const names = body.names.map((entry: unknown, i: number): OutputName => {
    const pair = entry as { stan?: unknown; brms?: unknown };
    if (typeof pair?.stan !== "string" || typeof pair?.brms !== "string") {
      throw new UserError(`'${source}': names[${i}] must have string fields "stan" and "brms".`);
    }
    return { stan: pair.stan, brms: pair.brms };
  });
  return { formula: typeof body.formula === "string" ? body.formula : undefined, names };
}

/** A brms group-level name `r_<group>[__<prefix>][<level>,<coef>]` taken apart. */
export interface GroupLevelName {
  readonly group: string;
  /** Response or distributional-parameter prefix (`sigma`, `NAstd`), "" for the mean of a univariate model. */
  readonly prefix: string;
  readonly level: string;
  readonly coef: string;
}

export function parseGroupLevelName(brms: string): GroupLevelName | undefined {
  const m = /^r_(.+?)(?:__(.+))?\[(.+),([^,\]]+)\]$/.exec(brms);
  if (!m) return undefined;
  return { group: m[1], prefix: m[2] ?? "", level: m[3], coef: m[4] };
}
