import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CLAIM, claimBatches, synthesizeBatch, writeManifest, type BatchOutput } from './batch-synthesis';
import { fleetBatches, type FleetBatch, type FleetToSynthesize } from './fleet-batches';
import { replaceDirectoryAsync } from './output-dir';
import type { SynthSummary } from './synthesize';

/** Stacks per batch: one cdktf app's worth; keeps memory flat and progress fine-grained. */
const BATCH_STACKS = 100;
/** Fewer stacks than this per thread, and a worker's start (loading cdktf again) costs more than it saves. */
const MIN_STACKS_PER_THREAD = 150;
const PROGRESS_INTERVAL_MS = 100;

export interface SynthWorkerData {
  readonly batches: readonly FleetBatch[];
  readonly outDir: string;
  readonly claims: Int32Array;
}

export interface ParallelSynthOptions {
  /** Threads that synthesize, this one included. @default - one per CPU when there are enough stacks */
  readonly threads?: number;
  /** Told how many fleets are done, between batches and every 100 ms. */
  readonly onProgress?: (fleetsDone: number) => void;
}

export interface ParallelSynthSummary extends SynthSummary {
  readonly threads: number;
}

/**
 * Synthesizes fleets in batches, one cdktf app per batch, on this thread and on worker
 * threads that claim batches from a shared counter. Each stack is synthesized on its own, so
 * the files are byte for byte those of one app holding every fleet; `outDir` is replaced
 * only when every batch succeeded.
 */
export async function synthesizeInParallel(fleets: readonly FleetToSynthesize[], outDir: string,
  options: ParallelSynthOptions = {}): Promise<ParallelSynthSummary> {
  const batches = fleetBatches(fleets.map(({ file, fleet }) => ({ file, fleet })), BATCH_STACKS);
  const stacks = batches.reduce((n, b) => n + b.stacks, 0);
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(stacks), batches.length));
  return replaceDirectoryAsync(outDir, async (temp) => {
    // Created here once, so that no two threads race to create it.
    mkdirSync(join(temp, 'stacks'));
    const claims = new Int32Array(new SharedArrayBuffer(CLAIM.slots * Int32Array.BYTES_PER_ELEMENT));
    const report = () => options.onProgress?.(Atomics.load(claims, CLAIM.fleetsDone));
    const timer = setInterval(report, PROGRESS_INTERVAL_MS);
    const workers = Array.from({ length: threads - 1 }, () => startWorker({ batches, outDir: temp, claims }));
    // A failed worker stops every thread from claiming more batches.
    for (const w of workers) w.outputs.catch(() => Atomics.store(claims, CLAIM.next, batches.length));
    try {
      const outputs: BatchOutput[] = [];
      for (const batch of claimBatches(batches, claims)) {
        outputs.push(synthesizeBatch(batch, temp));
        report();
        // Lets worker messages and the progress timer through between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const theirs of await Promise.all(workers.map((w) => w.outputs))) outputs.push(...theirs);
      report();
      outputs.sort((a, b) => a.index - b.index);
      writeManifest(temp, outputs);
      return { fleets: fleets.length, stacks: outputs.flatMap((o) => Object.keys(o.stacks)), outDir, threads };
    } finally {
      clearInterval(timer);
      // Before the temporary directory goes, no worker may still be writing into it.
      await Promise.all(workers.map((w) => w.worker.terminate()));
    }
  });
}

function defaultThreads(stacks: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(stacks / MIN_STACKS_PER_THREAD)));
}

function startWorker(data: SynthWorkerData): { worker: Worker; outputs: Promise<BatchOutput[]> } {
  const worker = new Worker(join(__dirname, 'synth-worker.js'), { workerData: data });
  const outputs = new Promise<BatchOutput[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a synth worker thread exited with code ${code} before it was done`)));
  });
  return { worker, outputs };
}
