import type { ProgressEvent } from "../sampler/sampleOptions";

/** A text stream such as `process.stderr` (anything with `write`; `isTTY` enables the live display). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** "auto": live display on a terminal, plain lines otherwise; "quiet": nothing at all. */
export type ProgressMode = "auto" | "live" | "plain" | "quiet";

export interface ProgressDisplayOptions {
  chains: number;
  mode?: ProgressMode;
  /** Minimum milliseconds between live redraws (default 100). */
  refreshMs?: number;
  /** Plain mode prints a line each time a chain crosses a multiple of this percentage (default 10). */
  plainEveryPercent?: number;
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
}

interface ChainState {
  iteration: number;
  total: number;
  phase: ProgressEvent["phase"];
  divergences: number;
  done: boolean;
  startedAt: number | null;
  finishedAt: number | null;
  lastPlainStep: number;
}

const BAR_WIDTH = 20;

/** "1:05", "12:00", "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/**
 * Shows how the chains are doing: on a terminal one live line per chain (bar, iteration,
 * warmup/sampling, divergences, elapsed and estimated remaining time), redrawn in place; elsewhere
 * CmdStan-style lines every 10%; nothing in quiet mode. Feed it the sampler's progress events.
 */
export class ProgressDisplay {
  private readonly states: ChainState[];
  private readonly mode: Exclude<ProgressMode, "auto">;
  private readonly refreshMs: number;
  private readonly plainStep: number;
  private readonly now: () => number;
  private linesDrawn = 0;
  private lastDraw = -Infinity;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressDisplayOptions,
  ) {
    const mode = options.mode ?? "auto";
    this.mode = mode === "auto" ? (stream.isTTY ? "live" : "plain") : mode;
    this.refreshMs = options.refreshMs ?? 100;
    this.plainStep = options.plainEveryPercent ?? 10;
    this.now = options.now ?? (() => globalThis.performance.now());
    this.states = Array.from({ length: options.chains }, () => ({
      iteration: 0,
      total: 0,
      phase: "warmup" as const,
      divergences: 0,
      done: false,
      startedAt: null,
      finishedAt: null,
      lastPlainStep: -1,
    }));
  }

  /** Suitable as `SampleOptions.onProgress`. */
  readonly update = (event: ProgressEvent): void => {
    if (this.mode === "quiet") return;
    const state = this.states[event.chain - 1];
    if (!state) return;
    const t = this.now();
    state.startedAt ??= t;
    state.total = event.totalIterations;
    state.phase = event.phase;
    // Post-warmup divergences only, as the summary's warning and CmdStan/brms count them: during
    // warmup the step size is still being tuned and divergences there are expected.
    state.divergences = event.phase === "sampling" ? event.divergences : 0;
    if (!event.done) state.iteration = event.iteration;
    if (event.done && !state.done) {
      state.done = true;
      state.finishedAt = t;
    }
    if (this.mode === "plain") this.plain(event.chain, state, event.done);
    else if (event.done || t - this.lastDraw >= this.refreshMs) this.draw();
  };

  /** Final redraw (live mode) so the display ends in its finished state. */
  finish(): void {
    if (this.mode === "live") this.draw();
  }

  private plain(chain: number, state: ChainState, done: boolean): void {
    if (done) {
      const seconds = ((state.finishedAt ?? 0) - (state.startedAt ?? 0)) / 1000;
      const divergent = state.divergences > 0 ? `, ${state.divergences} divergent transitions after warmup` : "";
      this.stream.write(`Chain ${chain} finished in ${seconds.toFixed(1)} seconds${divergent}.\n`);
      return;
    }
    const percent = state.total > 0 ? (100 * state.iteration) / state.total : 100;
    const step = Math.floor(percent / this.plainStep);
    if (step <= state.lastPlainStep && state.iteration !== 1) return;
    state.lastPlainStep = step;
    const width = String(state.total).length;
    const label = state.phase === "warmup" ? "Warmup" : "Sampling";
    this.stream.write(
      `Chain ${chain} Iteration: ${String(state.iteration).padStart(width)} / ${state.total} ` +
        `[${String(Math.floor(percent)).padStart(3)}%]  (${label})\n`,
    );
  }

  private line(chain: number, state: ChainState, t: number): string {
    const fraction = state.total > 0 ? Math.min(1, state.iteration / state.total) : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
    const started = state.startedAt ?? t;
    const elapsed = ((state.finishedAt ?? t) - started) / 1000;
    const remaining = state.done ? 0 : fraction > 0 ? (elapsed * (1 - fraction)) / fraction : NaN;
    const phase = state.done ? "done" : state.startedAt === null ? "waiting" : state.phase;
    const divergent = state.divergences > 0 ? `  ${state.divergences} divergent` : "";
    const width = String(state.total || 0).length;
    return (
      `Chain ${chain} [${bar}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
      `${String(state.iteration).padStart(width)}/${state.total}  ${phase.padEnd(8)}  ` +
      `${formatDuration(elapsed)} elapsed, ${state.done ? "" : "~"}${formatDuration(remaining)} left${divergent}`
    );
  }

  private draw(): void {
    const t = this.now();
    this.lastDraw = t;
    const columns = this.stream.columns ?? 120;
    let text = this.linesDrawn > 0 ? `\x1b[${this.linesDrawn}A` : "";
    this.states.forEach((state, i) => {
      text += "\x1b[2K" + this.line(i + 1, state, t).slice(0, Math.max(20, columns - 1)) + "\n";
    });
    this.linesDrawn = this.states.length;
    this.stream.write(text);
  }
}
