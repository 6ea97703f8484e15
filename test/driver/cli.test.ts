import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/stan2ts.js", import.meta.url));

describe("stan2ts CLI", () => {
  it("prints help and exits 0", () => {
    const out = execFileSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    expect(out).toMatch(/^stan2ts \d+\.\d+\.\d+/);
    expect(out).toContain("Usage: stan2ts <command>");
  });

  it("rejects an unknown command with exit code 2 and no stack trace", () => {
    const r = spawnSync(process.execPath, [BIN, "frobnicate"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
