// A worker thread of a parallel synth: claims batches until none is left or it has done its share, then posts their outputs.
import { parentPort, workerData } from 'node:worker_threads';
import { claimBatches, synthesizeBatch, type BatchOutput } from './batch-synthesis';
import type { SynthWorkerData } from './parallel-synth';

const { batches, outDir, claims, maxBatches } = workerData as SynthWorkerData;
const outputs: BatchOutput[] = [];
for (const batch of claimBatches(batches, claims, maxBatches)) outputs.push(synthesizeBatch(batch, outDir));
parentPort?.postMessage(outputs);
