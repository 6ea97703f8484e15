/**
 * The cheap half of the every-signature test (everySignature.slow.test.ts compiles and
 * gradient-checks): every supported entry has test cases for all its signatures, their programs
 * type-check, and the registry refuses an entry that claims signatures without a lowering.
 */
import { describe, expect, it } from "vitest";
import { checkStan as frontEnd } from "../../src/driver/compile";
import { checkEntry } from "../../src/primitives/registry";
import { sig } from "../../src/primitives/families/helpers";
import { batchProgram, casesFor, type SignatureCase, supportedEntries } from "./signatureCases";

describe("every supported primitive has test cases", () => {
  const entries = supportedEntries();

  it("generates a case for every signature of every supported entry", () => {
    const problems: string[] = [];
    let signatures = 0;
    for (const p of entries) {
      try {
        const cases = casesFor(p);
        signatures += p.signatures.length;
        const covered = new Set(cases.map((c) => c.signature));
        for (const s of p.signatures) if (!covered.has(s)) problems.push(`${p.name}: a signature has no case`);
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    }
    expect(problems).toEqual([]);
    // the registry really is walked (a broken filter would make this pass vacuously)
    expect(entries.length).toBeGreaterThan(200);
    expect(signatures).toBeGreaterThan(4000);
  });

  it("the programs the slow test compiles type-check", () => {
    // one program per family keeps this cheap; a rejected program is retried per entry to name it
    const byFamily = new Map<string, SignatureCase[]>();
    for (const p of entries) byFamily.set(p.family, [...(byFamily.get(p.family) ?? []), ...casesFor(p)]);
    const problems: string[] = [];
    for (const [family, cases] of byFamily) {
      try {
        frontEnd(batchProgram(cases).source, `${family}.stan`);
      } catch {
        for (const p of entries.filter((e) => e.family === family)) {
          try {
            frontEnd(batchProgram(casesFor(p)).source, `${p.name}.stan`);
          } catch (e) {
            problems.push(`${p.name}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("covers operators through their symbol and `_lupdf` through `~`", () => {
    const forms = (name: string) => new Set(casesFor(entries.find((p) => p.name === name)!).map((c) => c.form));
    expect([...forms("add")].sort()).toEqual(["call", "operator"]);
    expect([...forms("normal_lupdf")]).toEqual(["tilde"]);
    expect([...forms("normal_rng")]).toEqual(["rng"]);
  });
});

describe("the registry", () => {
  it("refuses an entry with signatures but no lowering", () => {
    expect(() => checkEntry({ name: "made_up", family: "test", signatures: [sig("real", "real")] })).toThrow(
      /made_up has signatures but no lowering/,
    );
  });

  it("accepts such an entry when it says why it is unsupported", () => {
    expect(() => checkEntry({ name: "made_up", family: "test", signatures: [sig("real", "real")], unsupported: "not yet" })).not.toThrow();
  });
});
