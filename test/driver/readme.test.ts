/** The README quotes the help of sample, compile and demo verbatim; keep them in step. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileCommand } from "../../src/driver/commands/compile";
import { demoCommand } from "../../src/driver/commands/demo";
import { sampleCommand } from "../../src/driver/commands/sample";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README", () => {
  for (const command of [sampleCommand, compileCommand, demoCommand]) {
    it(`quotes \`stan2ts ${command.name} --help\` as the command prints it`, () => {
      expect(README).toContain(`### \`stan2ts ${command.name}\`\n\n\`\`\`text\n${command.help}\n\`\`\``);
    });
  }

  it("keeps the set-up and run commands", () => {
    expect(README).toMatch(/^npm ci\b/m);
    expect(README).toMatch(/^npm test\b/m);
    expect(README).toMatch(/^npm start\b/m);
  });
});
