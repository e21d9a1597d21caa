import { SynthProgress, type ProgressStream } from '../cli/synthesis/synth-progress';

function stream(isTTY: boolean): ProgressStream & { text: string } {
  return { isTTY, text: '', write(t: string) { this.text += t; return true; } };
}

describe('SynthProgress', () => {
  let clock: number;
  const now = () => clock;
  beforeEach(() => { clock = 0; });

  it('on a terminal, shows fleets done / total once the synth has run for a second, then wipes it', () => {
    const out = stream(true);
    const progress = new SynthProgress(out, now);
    clock = 900;
    progress.update(10, 100);
    expect(out.text).toBe('');
    clock = 1100;
    progress.update(12, 100);
    progress.update(12, 100);
    clock = 1300;
    progress.update(40, 100);
    expect(out.text).toBe('\rsynthesizing: 12/100 fleets\x1b[K\rsynthesizing: 40/100 fleets\x1b[K');
    progress.finish();
    expect(out.text.endsWith('\r\x1b[K')).toBe(true);
  });

  it('writes nothing when not on a terminal (CI logs get the summary line only)', () => {
    const out = stream(false);
    const progress = new SynthProgress(out, now);
    clock = 60_000;
    progress.update(50, 100);
    progress.finish();
    expect(out.text).toBe('');
  });

  it('writes nothing for a synth done within the second', () => {
    const out = stream(true);
    const progress = new SynthProgress(out, now);
    clock = 300;
    progress.update(1, 1);
    progress.finish();
    expect(out.text).toBe('');
  });

  it('measures the elapsed time for the summary line', () => {
    const progress = new SynthProgress(stream(false), now);
    clock = 2500;
    expect(progress.elapsedSeconds()).toBe(2.5);
  });
});
