import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchOutput } from './batch-synthesis';
import type { SynthWorkerData } from './parallel-synth';

/** A running synth worker and what it will post: the outputs of the batches it claimed. */
export interface SynthWork {
  readonly worker: Worker;
  readonly outputs: Promise<BatchOutput[]>;
}

/**
 * A synth worker thread (dist/cli/synth-worker.js). It can start before its work is known:
 * loading cdktf in a new thread takes ~0.1 s, which then overlaps the main thread's loading
 * of the fleet files. It does not keep the process alive until it is given work, so one that
 * is never used only costs its start.
 */
export class SynthWorkerThread {
  private readonly worker: Worker;
  private given = false;
  /** How it ended before it was given work, if it did (it cannot post then). */
  private early?: { error?: unknown; exitCode?: number };

  constructor() {
    this.worker = new Worker(join(__dirname, 'synth-worker.js'));
    this.worker.unref();
    this.worker.once('error', (error) => { this.early ??= { error }; });
    this.worker.once('exit', (exitCode) => { this.early ??= { exitCode }; });
  }

  /** Starts a worker and gives it its work at once. */
  static run(data: SynthWorkerData): SynthWork {
    return new SynthWorkerThread().give(data);
  }

  /** Gives the worker its work (once); it posts the outputs of the batches it claims, then exits. */
  give(data: SynthWorkerData): SynthWork {
    if (this.given) throw new Error('SynthWorkerThread: already given its work');
    this.given = true;
    const worker = this.worker;
    const outputs = new Promise<BatchOutput[]>((resolve, reject) => {
      if (this.early) {
        reject(this.early.error ?? new Error(`a synth worker thread exited with code ${this.early.exitCode} before it was given work`));
        return;
      }
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`a synth worker thread exited with code ${code} before it was done`)));
    });
    worker.ref();
    worker.postMessage(data);
    return { worker, outputs };
  }

  /** Stops a worker that was never given work. */
  dismiss(): void {
    if (!this.given) void this.worker.terminate();
  }
}

/**
 * Fleet files from which a synth will likely want a second thread: at 17 regions a fleet, 15
 * files are 255 stacks, past MIN_STACKS_PER_THREAD (parallel-synth.ts).
 */
const FILES_FOR_AN_EARLY_WORKER = 15;

/**
 * A worker to start before `fileCount` fleet files are loaded, when the synth will likely
 * want one (`jobs` of 2 or more, or, by default, several CPUs and many files); else undefined.
 * One that turns out not to be needed is stopped by `synthesizeInParallel`.
 */
export function startEarly(fileCount: number, jobs?: number): SynthWorkerThread | undefined {
  const wanted = jobs === undefined ? availableParallelism() > 1 && fileCount >= FILES_FOR_AN_EARLY_WORKER : jobs > 1;
  return wanted ? new SynthWorkerThread() : undefined;
}
