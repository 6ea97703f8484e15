/**
 * The README quotes the help of sample, compile, demo and summary verbatim, and the walkthrough quotes
 * generated/m1.ts; keep them in step.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileCommand } from "../../src/driver/commands/compile";
import { demoCommand } from "../../src/driver/commands/demo";
import { sampleCommand } from "../../src/driver/commands/sample";
import { summaryCommand } from "../../src/driver/commands/summary";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  for (const command of [sampleCommand, compileCommand, demoCommand, summaryCommand]) {
    it(`quotes \`stan2ts ${command.name} --help\` as the command prints it`, () => {
      expect(README).toContain(`### \`stan2ts ${command.name}\`\n\n\`\`\`text\n${command.help}\n\`\`\``);
    });
  }

  it("quotes generated/m1.ts in the walkthrough line for line", () => {
    const generated = readFileSync(new URL("../../generated/m1.ts", import.meta.url), "utf8");
    const lines = new Set(generated.split("\n").map((l) => l.trim()));
    const walkthrough = README.slice(README.indexOf("**3. Follow one Stan line"), README.indexOf("**4. Sample.**"));
    const quoted = [...walkthrough.matchAll(/```ts\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n"));
    const code = quoted.map((l) => l.trim()).filter((l) => l !== "" && l !== "…" && l !== "{" && l !== "}");
    expect(code.length).toBeGreaterThan(8);
    for (const line of code) expect(lines.has(line), line).toBe(true);
  });

  it("keeps the set-up and run commands", () => {
    expect(README).toMatch(/^npm ci\b/m);
    expect(README).toMatch(/^npm test\b/m);
    expect(README).toMatch(/^npm start\b/m);
  });
});
