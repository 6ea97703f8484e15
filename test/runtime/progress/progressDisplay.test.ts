import { describe, expect, it } from "vitest";
import { formatDuration, ProgressDisplay } from "../../../src/runtime/progress/progressDisplay";
import type { ProgressEvent } from "../../../src/runtime/sampler/sampleOptions";
import { sampleInProcess } from "../../../src/runtime/sampler/sampleInProcess";
import { iidNormal } from "../models/targets";

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 200, write: (t: string) => chunks.push(t) }, chunks };
}

const event = (chain: number, iteration: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  chain,
  iteration,
  totalIterations: 2000,
  phase: iteration > 1000 ? "sampling" : "warmup",
  divergences: 0,
  done: false,
  ...extra,
});

describe("progress display", () => {
  it("redraws one line per chain in place on a terminal, with elapsed and remaining time", () => {
    const { stream, chunks } = capture(true);
    let clock = 0;
    const display = new ProgressDisplay(stream, { chains: 2, now: () => clock, refreshMs: 0 });
    display.update(event(1, 1));
    clock = 10_000;
    display.update(event(1, 500));
    display.update(event(2, 1200, { divergences: 3 }));
    const last = chunks.at(-1)!;
    expect(last.startsWith("\x1b[2A")).toBe(true);
    const [line1, line2] = last.split("\n");
    expect(line1).toContain("Chain 1");
    expect(line1).toContain(" 500/2000");
    expect(line1).toContain("warmup");
    expect(line1).toContain("0:10 elapsed, ~0:30 left");
    expect(line2).toContain("Chain 2");
    expect(line2).toContain("sampling");
    expect(line2).toContain("3 divergent");
  });

  it("counts only post-warmup divergences, as the summary's warning does", () => {
    const { stream, chunks } = capture(true);
    const display = new ProgressDisplay(stream, { chains: 1, now: () => 0, refreshMs: 0 });
    display.update(event(1, 500, { divergences: 7 })); // warmup: the step size is still being tuned
    expect(chunks.at(-1)).not.toContain("divergent");
    display.update(event(1, 1200, { divergences: 2 }));
    expect(chunks.at(-1)).toContain("2 divergent");
  });

  it("throttles live redraws", () => {
    const { stream, chunks } = capture(true);
    let clock = 0;
    const display = new ProgressDisplay(stream, { chains: 1, now: () => clock, refreshMs: 100 });
    for (let i = 1; i <= 50; i++) {
      clock = i; // 50 events within 50 ms
      display.update(event(1, i));
    }
    expect(chunks.length).toBe(1);
  });

  it("prints CmdStan-style lines every 10% and a closing line when not on a terminal", () => {
    const { stream, chunks } = capture(false);
    let clock = 0;
    const display = new ProgressDisplay(stream, { chains: 1, now: () => clock });
    for (let i = 1; i <= 2000; i++) display.update(event(1, i));
    clock = 2500;
    display.update(event(1, 2000, { done: true, divergences: 2 }));
    expect(chunks[0]).toBe("Chain 1 Iteration:    1 / 2000 [  0%]  (Warmup)\n");
    expect(chunks).toContain("Chain 1 Iteration:  200 / 2000 [ 10%]  (Warmup)\n");
    expect(chunks).toContain("Chain 1 Iteration: 1200 / 2000 [ 60%]  (Sampling)\n");
    expect(chunks.length).toBe(12);
    expect(chunks.at(-1)).toBe("Chain 1 finished in 2.5 seconds, 2 divergent transitions after warmup.\n");
  });

  it("writes nothing in quiet mode", () => {
    const { stream, chunks } = capture(true);
    const display = new ProgressDisplay(stream, { chains: 1, mode: "quiet" });
    display.update(event(1, 10));
    display.finish();
    expect(chunks).toEqual([]);
  });

  it("receives events from a sampling run", () => {
    const { stream, chunks } = capture(false);
    const display = new ProgressDisplay(stream, { chains: 2 });
    sampleInProcess(iidNormal(2), { chains: 2, warmup: 50, samples: 50, seed: 1, onProgress: display.update });
    expect(chunks.filter((c) => c.startsWith("Chain 2 Iteration")).length).toBe(11);
    expect(chunks.filter((c) => c.includes("finished")).length).toBe(2);
  });

  it("formats durations", () => {
    expect(formatDuration(5)).toBe("0:05");
    expect(formatDuration(65)).toBe("1:05");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(NaN)).toBe("?");
  });
});
