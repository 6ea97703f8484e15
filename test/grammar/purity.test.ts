/** The grammar is pure syntax: it may import only chevrotain and its own files. */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const GRAMMAR = fileURLToPath(new URL("../../grammar/stan/", import.meta.url));

describe("grammar/stan imports", () => {
  for (const f of readdirSync(GRAMMAR).filter((n) => n.endsWith(".ts"))) {
    it(`${f} imports only chevrotain and sibling grammar files`, () => {
      const source = readFileSync(GRAMMAR + f, "utf8");
      const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
      expect(imports.length).toBeGreaterThan(0);
      for (const spec of imports)
        expect(spec === "chevrotain" || /^\.\/[A-Za-z]+$/.test(spec), spec).toBe(true);
    });
  }
});
