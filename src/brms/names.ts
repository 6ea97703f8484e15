/** brms's name cleaning (spec §1.6). */

/** R's `make.names` for one name. */
export function makeNames(name: string): string {
  let out = name.replace(/[^A-Za-z0-9._]/g, ".");
  if (!/^([A-Za-z]|\.(?![0-9]))/.test(out)) out = `X${out}`;
  return out;
}

/** Response name → `resp` label: `N_A.std` → `NAstd`; duplicates made unique first (R make.unique). */
export function responseLabels(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw) => {
    let name = makeNames(raw);
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count > 0) name = `${name}.${count}`;
    return name.replace(/[._]/g, "");
  });
}

const REPLACEMENTS: readonly [RegExp, string][] = [
  [/[ ()[\],"'?]/g, ""],
  [/\+/g, "P"],
  [/-/g, "M"],
  [/\*/g, "MU"],
  [/\//g, "D"],
  [/\^/g, "E"],
  [/=/g, "EQ"],
];

/** Model-matrix column name → coefficient name used in brms output (`(Intercept)` → `Intercept`). */
export function coefName(column: string): string {
  if (column === "(Intercept)") return "Intercept";
  let out = column;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out;
}

/** Joins the non-empty parts with `_` (brms's prefix rule). */
export function joinNonEmpty(...parts: string[]): string {
  return parts.filter((p) => p !== "").join("_");
}

/** `name` or `name_suffix`. */
export function withSuffix(name: string, suffix: string): string {
  return suffix === "" ? name : `${name}_${suffix}`;
}
