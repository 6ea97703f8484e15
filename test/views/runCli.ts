/** Runs the CLI in-process (spawning tsx costs seconds per call on a busy machine) and captures its output. */
import { vi } from "vitest";
import { main } from "../../src/driver/cli";

export async function runCli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const log = vi.spyOn(console, "log").mockImplementation((...parts: unknown[]) => {
    stdout += parts.join(" ") + "\n";
  });
  const error = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    stderr += parts.join(" ") + "\n";
  });
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}
