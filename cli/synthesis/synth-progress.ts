/** Where progress goes: a terminal gets a line redrawn in place; anything else gets nothing. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

/** Shown on a terminal only, and only for a synth that has run longer than this. */
const QUIET_MS = 1000;

/**
 * Progress of a long synth on a terminal: `synthesizing: 40/100 fleets`, redrawn in place and
 * wiped when done. Elsewhere (CI logs) it stays silent; the summary line says what happened.
 */
export class SynthProgress {
  private readonly started: number;
  private drawn: number | undefined;

  /** Starts the clock: create it when the command starts. */
  constructor(private readonly stream: ProgressStream, private readonly now: () => number = () => performance.now()) {
    this.started = now();
  }

  update(fleetsDone: number, totalFleets: number): void {
    if (!this.stream.isTTY || fleetsDone === this.drawn || this.now() - this.started < QUIET_MS) return;
    this.stream.write(`\rsynthesizing: ${fleetsDone}/${totalFleets} fleets\x1b[K`);
    this.drawn = fleetsDone;
  }

  finish(): void {
    if (this.drawn !== undefined) this.stream.write('\r\x1b[K');
    this.drawn = undefined;
  }

  /** Seconds since the command started, for the summary line. */
  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }
}
