import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataLoadError, loadStanJson, localCopy, parseStanJson } from "../../src/driver/loadData";
import { tempDir } from "../bundle/helpers";

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/data.json") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"N": 2, "y": [1.5, "-inf"], "X": [[1, 2], [3, 4]]}');
    } else if (req.url === "/d.csv") {
      res.writeHead(200, { "content-type": "text/csv" });
      res.end("a,b\n1,2\n");
    } else {
      res.writeHead(404);
      res.end("not here");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataLoadError);
    return (err as Error).message;
  }
  throw new Error("expected a DataLoadError");
};

describe("Stan JSON data", () => {
  it("reads numbers, nested arrays and CmdStan's NaN/Inf strings", () => {
    const data = parseStanJson('{"N": 3, "y": [1, "NaN", "Inf"], "m": [[1, 2], [3, 4]], "flag": true}', "d.json");
    expect(data.N).toBe(3);
    expect(data.y).toEqual([1, NaN, Infinity]);
    expect(data.m).toEqual([[1, 2], [3, 4]]);
    expect(data.flag).toBe(1);
  });

  it("locates JSON syntax errors by line and column", () => {
    expect(message(() => parseStanJson('{\n  "N": 3,\n  "y": [1, 2,]\n}', "d.json"))).toMatch(/^d\.json is not valid JSON at line 3, column 14: expected a value, found ']'\.$/);
  });

  it("names the field, row and column of a non-numeric value", () => {
    expect(message(() => parseStanJson('{"X": [[1, 2], [3, "abc"]]}', "d.json"))).toBe(
      `d.json: data field 'X', row 2, column 2 is the text "abc", not a number.`,
    );
    expect(message(() => parseStanJson('{"y": [1, null]}', "d.json"))).toMatch(/^d\.json: data field 'y', element 2 is null, not a number/);
    expect(message(() => parseStanJson('{"y": {"a": 1}}', "d.json"))).toMatch(/'y' is an object/);
  });

  it("rejects ragged matrices, naming the rows", () => {
    expect(message(() => parseStanJson('{"X": [[1, 2], [3]]}', "d.json"))).toBe(
      "d.json: data field 'X' is not rectangular: row 2 has 1 elements but row 1 has 2 elements.",
    );
  });

  it("rejects a top level that is not an object", () => {
    expect(message(() => parseStanJson("[1, 2]", "d.json"))).toMatch(/must be an object of named fields/);
  });

  it("reads files and reports unreadable ones", async () => {
    const dir = tempDir("data");
    writeFileSync(join(dir, "ok.json"), '{"N": 1}');
    expect(await loadStanJson(join(dir, "ok.json"))).toEqual({ N: 1 });
    await expect(loadStanJson(join(dir, "missing.json"))).rejects.toThrow(/Could not read the data file '.*missing\.json': no such file/);
  });

  it("downloads http(s) URLs", async () => {
    expect(await loadStanJson(`${base}/data.json`)).toEqual({ N: 2, y: [1.5, -Infinity], X: [[1, 2], [3, 4]] });
    await expect(loadStanJson(`${base}/nope.json`)).rejects.toThrow(/Could not download the data from .*nope\.json: HTTP 404/);
    const copy = await localCopy(`${base}/d.csv`, ".csv");
    expect(copy).toMatch(/data\.csv$/);
  });
});
