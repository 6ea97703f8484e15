/**
 * Errors classified once (issue #15): what the user got wrong is reported with its cause, exit 1;
 * only a defect of stan2ts is "internal error", exit 70. Unit level; the CLI runs are in
 * test/e2e/userErrors.slow.test.ts.
 */
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCsv } from "../../src/brms/dataFrame";
import { reportError } from "../../src/driver/cli";
import { UsageError } from "../../src/driver/command";
import { readInit } from "../../src/driver/commands/sample";
import { prepareOutputDir } from "../../src/driver/outputDir";
import { parseStanJson, stripBom } from "../../src/driver/loadData";
import { ChainError } from "../../src/runtime/sampler/chainScheduler";
import { tempDir } from "../bundle/helpers";

/** The exit code and what reportError printed. */
function reported(err: unknown): { code: number; text: string } {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
  try {
    return { code: reportError(err), text: lines.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

const thrown = async (fn: () => unknown): Promise<Error> => {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
};

afterEach(() => vi.restoreAllMocks());

describe("reportError: one classification for every error", () => {
  it("errors re-created from a chain worker keep their class: init failures and improper posteriors exit 1", () => {
    for (const name of ["InitializationError", "SamplingError", "StanDataError", "StanDomainError"]) {
      const r = reported(new ChainError(1, name, "Chain 1: Initialization failed: all 100 attempts were rejected"));
      expect(r.code).toBe(1);
      expect(r.text).toBe("Error: Chain 1: Initialization failed: all 100 attempts were rejected");
    }
  });

  it("file-system errors name the path and the reason, exit 1", () => {
    const eisdir = Object.assign(new Error("EISDIR: illegal operation on a directory, open 'out/m_1.csv'"), { code: "EISDIR", syscall: "open", path: "out/m_1.csv" });
    expect(reported(eisdir)).toEqual({ code: 1, text: "Error: cannot write 'out/m_1.csv': it is a folder (EISDIR)." });
    const eacces = Object.assign(new Error("EACCES"), { code: "EACCES", syscall: "mkdir", path: "/x" });
    expect(reported(eacces)).toEqual({ code: 1, text: "Error: cannot create the folder '/x': permission denied (EACCES)." });
  });

  it("usage errors exit 2; anything else is an internal error, exit 70", () => {
    expect(reported(new UsageError("--chains must be a positive integer, got 'x'.")).code).toBe(2);
    const bug = reported(new TypeError("dims is not iterable"));
    expect(bug.code).toBe(70);
    expect(bug.text).toContain("internal error: dims is not iterable");
  });
});

describe("--init values", () => {
  it("a number is a radius: 0 or more and finite", async () => {
    expect(await readInit("0")).toBe(0);
    expect(await readInit("0.5")).toBe(0.5);
    expect(await readInit("2e-1")).toBe(0.2);
    for (const bad of ["-1", "1e400", "inf", "nan", "-0.5"]) {
      const e = await thrown(() => readInit(bad));
      expect(e.name).toBe("UserError");
      expect(e.message).toContain(`--init ${bad}: an init radius must be a finite number, 0 or more`);
    }
  });

  it("anything else must be an existing Stan JSON file", async () => {
    const e = await thrown(() => readInit("no-such-inits.json"));
    expect(e.name).toBe("UserError");
    expect(e.message).toBe("--init 'no-such-inits.json' is neither an init radius (a number, 0 or more) nor an existing Stan JSON file of initial values.");
    const file = join(tempDir("init"), "init.json");
    writeFileSync(file, '\uFEFF{"sigma": 1.5}');
    expect(await readInit(file)).toEqual({ sigma: 1.5 });
  });
});

describe("output folders", () => {
  it("creates missing levels, accepts an existing folder", () => {
    const base = tempDir("out");
    const deep = join(base, "a", "b", "c");
    prepareOutputDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    prepareOutputDir(deep);
  });

  it("a file in the way (EEXIST, ENOTDIR) is a user error naming the path", () => {
    const base = tempDir("out");
    const file = join(base, "taken");
    writeFileSync(file, "x");
    expect(() => prepareOutputDir(file)).toThrow(`cannot use '${file}' as the output folder: it is a file.`);
    const below = join(file, "sub");
    const e = (() => {
      try {
        prepareOutputDir(below);
      } catch (err) {
        return err as Error;
      }
      throw new Error("expected an error");
    })();
    expect(e.name).toBe("UserError");
    expect(e.message).toMatch(new RegExp(`^cannot use '${below}' as the output folder: .*(file|ENOTDIR)`));
  });

  it("a folder the system will not create (/proc/x) fails at once instead of spinning", () => {
    if (!existsSync("/proc/self")) return; // Linux only
    const started = Date.now();
    expect(() => prepareOutputDir("/proc/stan2ts-test-x/y")).toThrow(/^cannot create the output folder '\/proc\/stan2ts-test-x\/y': /);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("data files", () => {
  it("JSON nested 3,000 deep, even in an unused field, is a data error naming the field", () => {
    const text = `{"y": 1, "unused": ${"[".repeat(3000)}${"]".repeat(3000)}}`;
    const e = (() => {
      try {
        parseStanJson(text, "deep.json");
      } catch (err) {
        return err as Error;
      }
      throw new Error("expected an error");
    })();
    expect(e.name).toBe("StanDataError");
    expect(e.message).toBe("deep.json: data field 'unused' nests arrays more than 100 levels deep; Stan data have one level per dimension.");
  });

  it("unclosed brackets nested too deeply to locate still give a data error", () => {
    expect(() => parseStanJson(`{"u": ${"[".repeat(200_000)}`, "open.json")).toThrow(/^open\.json is not valid JSON/);
  });

  it("a BOM is accepted in JSON, Stan text and CSV alike", () => {
    expect(parseStanJson('\uFEFF{"N": 2}', "bom.json")).toEqual({ N: 2 });
    expect(stripBom("\uFEFFdata { }")).toBe("data { }");
    expect(stripBom("data { }\uFEFF")).toBe("data { }\uFEFF");
    const frame = parseCsv("\uFEFFx,y\n1,2\n", "bom.csv");
    expect([...frame.columns.keys()]).toEqual(["x", "y"]);
  });

  it("fields named like Object.prototype members are ordinary own fields", () => {
    const data = parseStanJson('{"__proto__": 3, "toString": 4}', "odd.json");
    expect(Object.keys(data)).toEqual(["__proto__", "toString"]);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(parseStanJson("{}", "empty.json"), "toString")).toBe(false);
  });

  it("a CSV with two columns of the same name is an error naming the column", () => {
    expect(() => parseCsv("id,x,y,x\n1,2,3,4\n", "dup.csv")).toThrow(
      "The CSV data in 'dup.csv' has two columns named 'x' (columns 2 and 4); rename one of them.",
    );
    // readr's names for empty header cells are distinct, so several empty cells are fine.
    expect([...parseCsv(",,a\n1,2,3\n", "empty.csv").columns.keys()]).toEqual(["...1", "...2", "a"]);
  });
});

