/** A family as a script chooses it: the family entry plus the links set for mu and each dpar. */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import { FAMILIES, findFamily, UNSUPPORTED_FAMILIES } from "./catalog";
import { INVERSE_LINK, type DparSpec, type FamilySpec } from "./family";

export interface FamilyChoice {
  readonly spec: FamilySpec;
  /** The mu link. */
  readonly link: string;
  /** Links of the other distributional parameters (used when they have a formula). */
  readonly dparLinks: ReadonlyMap<string, string>;
  readonly span: Span;
}

export function isFamilyName(name: string): boolean {
  return findFamily(name) !== undefined || UNSUPPORTED_FAMILIES.includes(name);
}

/**
 * The family called `name` with the given links. `called` is true for the R function form
 * (`Gamma`, `Gamma()`), whose default link can differ from the string form (`"Gamma"`), as in R.
 */
export function familyFromName(name: string, span: Span, called: boolean, links: readonly { dpar: string; link: string; span: Span }[] = []): FamilyChoice {
  const spec = findFamily(name);
  if (!spec) {
    if (UNSUPPORTED_FAMILIES.includes(name)) {
      fail("Semantic error", span, `The family '${name}' is not supported yet.`, [`stan2ts implements the families ${FAMILIES.map((f) => f.name).join(", ")}.`]);
    }
    fail("Semantic error", span, `'${name}' is not a brms family.`, [`stan2ts implements the families ${FAMILIES.map((f) => f.name).join(", ")}.`]);
  }
  let link = (called && spec.calledDefaultLink) || spec.links[0];
  const dparLinks = new Map(spec.dpars.map((d) => [d.name, d.links[0]]));
  for (const given of links) {
    if (given.dpar === "mu") {
      checkLink(given.link, spec.links, `the ${spec.name} family's mu`, given.span);
      link = given.link;
      continue;
    }
    const dpar = spec.dpars.find((d) => d.name === given.dpar);
    if (!dpar) {
      fail("Semantic error", given.span, `link_${given.dpar}: '${given.dpar}' is not a distributional parameter of the ${spec.name} family.`, [dparList(spec)]);
    }
    checkLink(given.link, dpar.links, `${dpar.name} in the ${spec.name} family`, given.span);
    dparLinks.set(dpar.name, given.link);
  }
  const unusable = spec.unusableLinks?.[link];
  if (unusable !== undefined) fail("Semantic error", span, `The ${spec.name} family with the ${link} link is not supported: ${unusable}.`, [`Choose another link: ${spec.links.filter((l) => spec.unusableLinks?.[l] === undefined).join(", ")}.`]);
  return { spec, link, dparLinks, span };
}

function checkLink(link: string, allowed: readonly string[], what: string, span: Span): void {
  if (!allowed.includes(link)) fail("Semantic error", span, `The link '${link}' is not available for ${what}.`, [`Links stan2ts supports there: ${allowed.join(", ")}.`]);
  if (INVERSE_LINK[link] === undefined) fail("Semantic error", span, `The link '${link}' is not supported yet.`);
}

export function dparList(spec: FamilySpec): string {
  const names = spec.dpars.map((d) => `'${d.name}'`);
  return names.length === 0
    ? `The ${spec.name} family has only 'mu' (the main formula).`
    : `The ${spec.name} family has the parameters 'mu' (the main formula) and ${names.join(", ")}.`;
}

export function findDpar(spec: FamilySpec, name: string): DparSpec | undefined {
  return spec.dpars.find((d) => d.name === name);
}

export { FAMILIES, findFamily };
export type { DparSpec, FamilySpec };
