// A worker thread of a parallel synth (see SynthWorkerThread): waits for its work, claims
// batches until none is left or it has done its share, posts their outputs, then exits.
import { parentPort } from 'node:worker_threads';
import { claimBatches, synthesizeBatch, type BatchOutput } from './batch-synthesis';
import type { SynthWorkerData } from './parallel-synth';

parentPort?.once('message', ({ batches, outDir, claims, maxBatches }: SynthWorkerData) => {
  const outputs: BatchOutput[] = [];
  for (const batch of claimBatches(batches, claims, maxBatches)) outputs.push(synthesizeBatch(batch, outDir));
  parentPort?.postMessage(outputs);
});
