/** Buffer and window sizes of the windowed metric adaptation (CmdStan defaults 75 / 50 / 25). */
export interface WindowSettings {
  initBuffer: number;
  termBuffer: number;
  window: number;
}

export const DEFAULT_WINDOWS: WindowSettings = { initBuffer: 75, termBuffer: 50, window: 25 };

/**
 * "intended": with fewer than I + W + T warmup iterations, use the 15% / 75% / 10% split with one
 * metric update (what Stan's code means to do). "stan": reproduce Stan's unsigned wrap-around,
 * where that split is stored but no window ever closes (sampler spec §3.5).
 */
export type AdaptationCompat = "intended" | "stan";

const UINT32_WRAP = 4294967296;

/**
 * The window bookkeeping of Stan's `windowed_adaptation` (spec §3.2–3.4): which warmup iterations
 * feed the metric estimate and after which ones the metric is updated.
 */
export class WindowSchedule {
  private numWarmup = 0;
  private initBuffer = 0;
  private termBuffer = 0;
  private baseWindow = 0;
  private counter = 0;
  private windowSize = 0;
  private nextWindow = 0;
  /** Messages Stan logs when the warmup is short (for the run's output). */
  readonly messages: string[] = [];

  constructor(numWarmup: number, settings: WindowSettings = DEFAULT_WINDOWS, compat: AdaptationCompat = "intended") {
    this.restart();
    if (numWarmup < 20) {
      this.messages.push("No variance estimation is performed for num_warmup < 20");
      return;
    }
    const { initBuffer, termBuffer, window } = settings;
    if (initBuffer + window + termBuffer > numWarmup) {
      this.numWarmup = numWarmup;
      this.initBuffer = Math.floor(0.15 * numWarmup);
      this.termBuffer = Math.floor(0.1 * numWarmup);
      this.baseWindow = numWarmup - (this.initBuffer + this.termBuffer);
      this.messages.push(
        "WARNING: There aren't enough warmup iterations to fit the three stages of adaptation as currently configured.",
        `  Reducing each adaptation stage to 15%/75%/10% of the given number of warmup iterations:`,
        `  init_buffer = ${this.initBuffer}`,
        `  adapt_window = ${this.baseWindow}`,
        `  term_buffer = ${this.termBuffer}`,
      );
      if (compat === "intended") {
        this.restart();
      } else {
        this.messages.push("  (Stan compatibility: as in Stan, no metric update is made.)");
      }
      return;
    }
    this.numWarmup = numWarmup;
    this.initBuffer = initBuffer;
    this.termBuffer = termBuffer;
    this.baseWindow = window;
    this.restart();
  }

  restart(): void {
    this.counter = 0;
    this.windowSize = this.baseWindow;
    this.nextWindow = wrap(this.initBuffer + this.windowSize - 1);
  }

  /** The 0-based warmup iteration the next `advance` refers to. */
  get iteration(): number {
    return this.counter;
  }

  /** Whether the current iteration's draw goes into the estimate. */
  inWindow(): boolean {
    return (
      this.counter >= this.initBuffer &&
      this.counter < wrap(this.numWarmup - this.termBuffer) &&
      this.counter !== this.numWarmup
    );
  }

  /** Whether the current iteration closes a window (the metric is then updated). */
  endsWindow(): boolean {
    return this.counter === this.nextWindow && this.counter !== this.numWarmup;
  }

  /** Sets up the next, doubled window; the last one stretches to the start of the term buffer. */
  computeNextWindow(): void {
    const last = wrap(this.numWarmup - this.termBuffer - 1);
    if (this.nextWindow === last) return;
    this.windowSize *= 2;
    this.nextWindow = wrap(this.counter + this.windowSize);
    if (this.nextWindow !== last) {
      const boundary = wrap(this.nextWindow + 2 * this.windowSize);
      if (boundary >= wrap(this.numWarmup - this.termBuffer)) this.nextWindow = last;
    }
  }

  advance(): void {
    this.counter++;
  }
}

/** Stan does this arithmetic in unsigned ints; reproduce the wrap-around. */
function wrap(value: number): number {
  return ((value % UINT32_WRAP) + UINT32_WRAP) % UINT32_WRAP;
}

/** The iterations (0-based) after which the metric is updated, for a given warmup length. */
export function metricUpdateIterations(
  numWarmup: number,
  settings: WindowSettings = DEFAULT_WINDOWS,
  compat: AdaptationCompat = "intended",
): { updates: number[]; windowSamples: number[] } {
  const schedule = new WindowSchedule(numWarmup, settings, compat);
  const updates: number[] = [];
  const windowSamples: number[] = [];
  let inCurrent = 0;
  for (let c = 0; c < numWarmup; c++) {
    if (schedule.inWindow()) inCurrent++;
    if (schedule.endsWindow()) {
      schedule.computeNextWindow();
      updates.push(c);
      windowSamples.push(inCurrent);
      inCurrent = 0;
    }
    schedule.advance();
  }
  return { updates, windowSamples };
}
