/**
 * A synchronous file sink for `CmdStanCsvWriter` (Node only; kept out of `io/index.ts` so browser
 * bundles never import `node:fs`). Each write goes to the file immediately, so an interrupted run
 * keeps every row completed so far.
 */
import { closeSync, openSync, writeSync } from "node:fs";

export interface FileSink {
  readonly write: (text: string) => void;
  close(): void;
}

export function openFileSink(path: string): FileSink {
  let fd: number | undefined = openSync(path, "w");
  return {
    write: (text: string) => {
      if (fd === undefined) throw new Error(`write to closed output file ${path}`);
      writeSync(fd, text);
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
