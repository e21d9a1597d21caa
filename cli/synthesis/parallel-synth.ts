import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { CLAIM, claimBatches, synthesizeBatch, writeManifest, type BatchOutput } from './batch-synthesis';
import { fleetBatches, type FleetBatch, type FleetToSynthesize } from './fleet-batches';
import { checkOutputTarget, writeOutputAsync } from '../output-dir';
import { planSynthOutput, SYNTH_OUTPUT } from '../synth-output';
import { SynthWorkerThread } from './synth-worker-thread';
import type { SynthSummary } from './synthesize';

/** Stacks per batch: one cdktf app's worth; keeps progress fine-grained. */
const BATCH_STACKS = 100;
/**
 * Fewer stacks than this per thread, and a worker's start (loading cdktf again) costs more
 * than it saves: 2 threads paid at 40 fleets x 17 regions, not at 20.
 */
const MIN_STACKS_PER_THREAD = 250;
/** cdktf keeps every token, and with it every app, in a process-wide map: a worker is replaced after this many batches, so memory stays bounded. */
const BATCHES_PER_WORKER = 30;
/**
 * Batches this thread synthesizes when workers do too. Its token map lives until the process
 * ends, so it takes fewer than a worker: enough to keep both cores busy while a worker starts
 * (at 100 fleets it does about half), without holding 3,000 stacks' tokens through a long run.
 */
const MAIN_THREAD_BATCHES = 10;
const PROGRESS_INTERVAL_MS = 100;

export interface SynthWorkerData {
  readonly batches: readonly FleetBatch[];
  readonly outDir: string;
  /** Shared with every thread: see CLAIM. */
  readonly claims: Int32Array;
  readonly maxBatches: number;
}

export interface ParallelSynthOptions {
  /** Threads that synthesize. @default - one per CPU when there are enough stacks */
  readonly threads?: number;
  /** Told how many fleets are done, between batches and every 100 ms. */
  readonly onProgress?: (fleetsDone: number) => void;
  /**
   * A worker started while the fleets were loading (`startEarly`): used as the first
   * worker if there are enough stacks for one, else stopped.
   */
  readonly earlyWorker?: SynthWorkerThread;
}

export interface ParallelSynthSummary extends SynthSummary {
  readonly threads: number;
}

export interface SynthInputs {
  /** The paths the user named (fleet files and folders): the output may not hold them or lie inside a folder of them. */
  readonly paths?: readonly string[];
}

/**
 * Synthesizes fleets in batches, one cdktf app per batch: on this thread when there are few
 * stacks, else on this thread and worker threads, which claim batches from a shared counter.
 * Each stack is synthesized on its own, so the files are byte for byte those of one app
 * holding every fleet; `outDir` is replaced only when every batch succeeded.
 */
export async function synthesizeInParallel(fleets: readonly FleetToSynthesize[], outDir: string,
  options: ParallelSynthOptions & SynthInputs = {}): Promise<ParallelSynthSummary> {
  const { earlyWorker } = options;
  try {
    // The manifest takes cdktf's version from a synthesized batch; the CLI never gets here without a fleet.
    if (fleets.length === 0) throw new Error('synthesizeInParallel: no fleets to synthesize');
    const target = checkOutputTarget(outDir, SYNTH_OUTPUT, [...fleets.map((f) => f.file), ...(options.paths ?? [])]);
    const plan = planSynthOutput(target, fleets);
    const batches = fleetBatches(fleets.map(({ file, fleet, userDataTemplate }) => ({ file, fleet, userDataTemplate })), BATCH_STACKS);
    const stacks = batches.reduce((n, b) => n + b.stacks, 0);
    const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(stacks), batches.length));
    // Not wanted: stopped now, before it takes a core from this thread.
    if (threads === 1) earlyWorker?.dismiss();
    return await writeOutputAsync(target, async (temp) => {
      // Created here once, so that no two threads race to create it.
      mkdirSync(join(temp, 'stacks'));
      const claims = new Int32Array(new SharedArrayBuffer(CLAIM.slots * Int32Array.BYTES_PER_ELEMENT));
      const report = () => options.onProgress?.(Atomics.load(claims, CLAIM.fleetsDone));
      const timer = setInterval(report, PROGRESS_INTERVAL_MS);
      try {
        const outputs = threads === 1 ? await synthesizeHere(batches, temp, claims, report)
          : await synthesizeOnThreads(threads, { batches, outDir: temp, claims, maxBatches: BATCHES_PER_WORKER }, report, earlyWorker);
        report();
        outputs.sort((a, b) => a.index - b.index);
        writeManifest(temp, outputs, plan);
        const result = { fleets: fleets.length, stacks: outputs.flatMap((o) => Object.keys(o.stacks)), outDir, threads, notes: plan.notes };
        return { result, stale: plan.stale };
      } finally {
        clearInterval(timer);
      }
    });
  } finally {
    // A no-op once it was given work.
    earlyWorker?.dismiss();
  }
}

function defaultThreads(stacks: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.floor(stacks / MIN_STACKS_PER_THREAD)));
}

/** Synthesizes batches on this thread until none is left or `max` were claimed, yielding between batches. */
async function synthesizeHere(batches: readonly FleetBatch[], outDir: string, claims: Int32Array, report: () => void,
  max = Infinity): Promise<BatchOutput[]> {
  const outputs: BatchOutput[] = [];
  for (const batch of claimBatches(batches, claims, max)) {
    outputs.push(synthesizeBatch(batch, outDir));
    report();
    // Lets the progress timer and the workers' messages through between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return outputs;
}

/**
 * Keeps `threads` threads busy until no batch is left: this one, for MAIN_THREAD_BATCHES
 * (so that its token map stays small), and `threads - 1` workers; each
 * worker, and this thread once it has done its share, is followed by a new worker for as
 * long as batches are left. This thread is one of the threads: on two cores, two workers
 * beside an idle main thread cost a second worker's start and memory for nothing.
 */
async function synthesizeOnThreads(threads: number, data: SynthWorkerData, report: () => void,
  earlyWorker?: SynthWorkerThread): Promise<BatchOutput[]> {
  const running = new Set<Worker>();
  let early = earlyWorker;
  const keepOneBusy = async (slot: number): Promise<BatchOutput[]> => {
    const outputs = slot === 0 ? await synthesizeHere(data.batches, data.outDir, data.claims, report, MAIN_THREAD_BATCHES) : [];
    while (Atomics.load(data.claims, CLAIM.next) < data.batches.length) {
      const { worker, outputs: theirs } = early?.give(data) ?? SynthWorkerThread.run(data);
      early = undefined;
      running.add(worker);
      try {
        outputs.push(...await theirs);
      } finally {
        running.delete(worker);
      }
    }
    return outputs;
  };
  try {
    return (await Promise.all(Array.from({ length: threads }, (_, slot) => keepOneBusy(slot)))).flat();
  } catch (e) {
    // One failure stops every thread from claiming more.
    Atomics.store(data.claims, CLAIM.next, data.batches.length);
    throw e;
  } finally {
    // Before the temporary directory goes, no worker may still be writing into it.
    await Promise.all([...running].map((w) => w.terminate()));
  }
}
